package org.rtc4j.dtls;

/** Which side of the DTLS handshake this endpoint plays (SDP {@code a=setup}, RFC 8842: active is the client). */
public enum DtlsRole {
    /** Sends the ClientHello ({@code a=setup:active}). */
    CLIENT,
    /** Waits for a ClientHello ({@code a=setup:passive}). */
    SERVER
}
