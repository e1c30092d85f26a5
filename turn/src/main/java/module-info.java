/** The STUN server engine (RFC 8489), later the TURN server (RFC 8656), and the UDP/TCP runners for them. */
module org.rtc4j.turn {
    requires transitive org.rtc4j.core;
    requires transitive org.rtc4j.ice;
    requires org.slf4j;

    exports org.rtc4j.turn;
}
