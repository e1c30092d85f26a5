/** Runnable mains mirroring the classic WebRTC samples. */
module org.rtc4j.examples {
    requires org.rtc4j.webrtc;
    requires org.rtc4j.codec.vp8;
    requires jdk.httpserver;

    exports org.rtc4j.examples;
}
