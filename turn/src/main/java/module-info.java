/**
 * The STUN server engine (RFC 8489) and the TURN server engine (RFC 8656), sans-IO; their socket runner is
 * in module server.
 */
module org.rtc4j.turn {
    requires transitive org.rtc4j.core;
    requires transitive org.rtc4j.ice;
    requires org.slf4j;

    exports org.rtc4j.turn;
}
