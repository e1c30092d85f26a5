package org.rtc4j.sdp;

/** The side an endpoint takes in the DTLS handshake: the client sends the ClientHello. */
public enum DtlsRole {
    CLIENT,
    SERVER;

    /** The other side. */
    public DtlsRole opposite() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
