package org.rtc4j.ice;

/** The agent's gathering state (the W3C {@code RTCIceGatheringState} values). */
public enum IceGatheringState {
    NEW,
    GATHERING,
    /** Every local candidate is out: the end-of-candidates indication (RFC 8838 section 8.2). */
    COMPLETE
}
