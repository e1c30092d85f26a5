package org.rtc4j;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.rtc4j.dtls.DtlsCertificate;

/**
 * A certificate and private key for DTLS (W3C section 4.9). Make one with
 * {@link RTCPeerConnection#generateCertificate()}, or wrap one of your own with {@link #of(DtlsCertificate)} to
 * keep a stable fingerprint across connections.
 */
public final class RTCCertificate {

    /** A fingerprint of the certificate (W3C RTCDtlsFingerprint). */
    public record RTCDtlsFingerprint(String algorithm, String value) {
    }

    private final DtlsCertificate certificate;

    private RTCCertificate(DtlsCertificate certificate) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
    }

    public static RTCCertificate of(DtlsCertificate certificate) {
        return new RTCCertificate(certificate);
    }

    /** When the certificate expires (milliseconds since the epoch, as the specification says). */
    public long expires() {
        return certificate.expires().toEpochMilli();
    }

    /** @throws InvalidAccessError when expired at {@code now} (W3C section 4.4.1.1: a connection cannot use it) */
    void checkUnexpired(Instant now) {
        if (isExpired(now)) {
            throw new InvalidAccessError("the certificate expired at " + Instant.ofEpochMilli(expires())
                    + ": generate a new one with RTCPeerConnection.generateCertificate()");
        }
    }

    public boolean isExpired(Instant now) {
        return certificate.isExpired(now);
    }

    /** The SHA-256 fingerprint, as it goes into {@code a=fingerprint}. */
    public List<RTCDtlsFingerprint> getFingerprints() {
        var f = certificate.fingerprint();
        String sdp = f.toSdp();
        return List.of(new RTCDtlsFingerprint(f.algorithm(), sdp.substring(sdp.indexOf(' ') + 1)));
    }

    /** The underlying DTLS certificate. */
    public DtlsCertificate dtlsCertificate() {
        return certificate;
    }
}
