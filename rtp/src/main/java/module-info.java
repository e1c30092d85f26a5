/** RTP/RTCP, payload formats and SRTP/SRTCP (RFC 3550, RFC 3711, RFC 7714). */
module org.rtc4j.rtp {
    requires org.rtc4j.core;
    requires org.slf4j;

    exports org.rtc4j.rtp;
    exports org.rtc4j.rtp.payload;
    exports org.rtc4j.rtp.rtcp;
    exports org.rtc4j.rtp.session;
    exports org.rtc4j.rtp.srtp;
}
