package org.rtc4j.ice;

/** The agent's connection state (the W3C {@code RTCIceConnectionState} values, mapped by the webrtc module). */
public enum IceConnectionState {
    /** Waiting for remote candidates or credentials. */
    NEW,
    /** Checks are running; no pair is selected yet. */
    CHECKING,
    /** A pair is selected and consent holds. */
    CONNECTED,
    /** Connected, and gathering and checking are over (both sides sent end-of-candidates). */
    COMPLETED,
    /** Consent responses stopped coming (RFC 7675); may come back. */
    DISCONNECTED,
    /** Every pair failed, or consent expired. A restart may recover. */
    FAILED,
    /** Closed by the application. */
    CLOSED
}
