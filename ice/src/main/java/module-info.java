/** STUN (RFC 8489) codec, the ICE agent (RFC 8445) with its UDP runner, and the TURN client (RFC 8656). */
module org.rtc4j.ice {
    requires transitive org.rtc4j.core;
    requires org.slf4j;

    exports org.rtc4j.ice;
    exports org.rtc4j.ice.stun;
    exports org.rtc4j.ice.turn;
}
