/**
 * STUN (RFC 8489) codec, the ICE agent (RFC 8445), the TURN client (RFC 8656), and an mDNS (RFC 6762)
 * resolver for the peer's {@code .local} candidates: sans-IO engines, driven by the peer connection's socket
 * driver (module webrtc) or a test's pump.
 */
module org.rtc4j.ice {
    requires transitive org.rtc4j.core;

    exports org.rtc4j.ice;
    exports org.rtc4j.ice.mdns;
    exports org.rtc4j.ice.stun;
    exports org.rtc4j.ice.turn;
}
