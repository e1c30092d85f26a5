/** Media Capture and Streams (the W3C names), sources, sinks, codecs and containers. */
module org.rtc4j.media {
    requires transitive org.rtc4j.rtp;
    requires org.slf4j;
    // Java Sound (microphones, speakers), java.awt.Robot (screen capture) and ImageIO (PNG snapshots).
    requires java.desktop;
    // Codecs, optional (see org.rtc4j.media.codec): codec-opus for Opus (Concentus, improved), JCodec for H.264.
    requires static org.rtc4j.codec.opus;
    requires static jcodec;
    // VP8: rtc4j's own codec, which needs nothing else.
    requires org.rtc4j.codec.vp8;

    exports org.rtc4j.media;
    exports org.rtc4j.media.codec;
    exports org.rtc4j.media.container;
}
