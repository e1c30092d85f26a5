package org.rtc4j.dtls;

import java.security.cert.X509Certificate;

/**
 * What a {@link DtlsConnection} reports through {@code pollEvent()}. Application data is not an event: it is
 * what {@link DtlsConnection#receive} and {@link DtlsConnection#pollData} return.
 */
public sealed interface DtlsEvent {

    /**
     * The handshake finished and the peer's certificate matched the remote fingerprint.
     *
     * @param peerCertificate the peer's (self-signed) certificate
     * @param peerFingerprint the remote fingerprint it matched
     * @param srtpProfile the negotiated use_srtp profile, or {@code null} when the peers agreed on none
     * @param srtpKeyingMaterial "EXTRACTOR-dtls_srtp" output (client key, server key, client salt, server
     *        salt), or {@code null} without a profile
     * @param cipherSuite the negotiated cipher suite, by its IANA name
     */
    record Connected(X509Certificate peerCertificate, DtlsFingerprint peerFingerprint, DtlsSrtpProfile srtpProfile,
            byte[] srtpKeyingMaterial, String cipherSuite) implements DtlsEvent {
    }

    /** The connection closed: close_notify from the peer, or our {@code close()}. */
    record Closed(boolean byPeer) implements DtlsEvent {
    }

    /** The handshake or the connection failed; {@code reason} says why in words a user can act on. */
    record Failed(String reason, Throwable cause) implements DtlsEvent {
    }
}
