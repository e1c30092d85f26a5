/** VP8 (RFC 6386) in pure Java: a decoder bit-exact with libvpx and a real-time encoder. */
module org.rtc4j.codec.vp8 {
    requires org.rtc4j.core;

    exports org.rtc4j.codec.vp8;
}
