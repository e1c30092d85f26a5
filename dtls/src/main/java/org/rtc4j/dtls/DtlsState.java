package org.rtc4j.dtls;

/** Where a {@link DtlsConnection} is in its life (the W3C RTCDtlsTransportState without "new"). */
public enum DtlsState {
    /** Created, {@code start} not called yet. */
    NEW,
    /** Handshake in progress. */
    CONNECTING,
    /** Handshake done, peer verified: records flow. */
    CONNECTED,
    /** Closed by either side with close_notify, or by {@code close()}. */
    CLOSED,
    /** The handshake or the connection failed; the event says why. */
    FAILED
}
