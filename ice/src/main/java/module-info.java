/** STUN (RFC 8489) message codec; later the ICE agent (RFC 8445) and the TURN client (RFC 8656). */
module org.rtc4j.ice {
    requires transitive org.rtc4j.core;

    exports org.rtc4j.ice.stun;
}
