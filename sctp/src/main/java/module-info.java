/** SCTP (RFC 9260, sans-IO) and WebRTC data channels (RFC 8831, RFC 8832). */
module org.rtc4j.sctp {
    requires transitive org.rtc4j.core;
    requires org.slf4j;

    exports org.rtc4j.sctp;
    exports org.rtc4j.sctp.datachannel;
}
