package org.rtc4j.dtls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options of a {@link DtlsConnection} that the standards leave to the implementation. Immutable; start from
 * {@link #defaults()} and change what you need with the {@code with...} methods.
 *
 * @param initialResendTimeout the first handshake retransmission timer (doubling on each resend). RFC 6347
 *        suggests 1 s; on the paths WebRTC uses a lost flight costs less with a shorter one, as libwebrtc does
 * @param handshakeTimeout how long the whole handshake may take before it fails
 * @param srtpProfiles the use_srtp profiles to offer or accept, in order of preference; empty for none
 * @param mtu the largest datagram to send (handshake messages are fragmented to fit)
 * @param keyLogFile where to append NSS key log lines (for Wireshark), or {@code null}; {@link #defaults()}
 *        takes it from the SSLKEYLOGFILE environment variable, as browsers do
 * @param maxQueuedDatagrams received datagrams waiting for the handshake before more are dropped
 * @param loopHandshake run the handshake on the caller's thread (our sans-IO DTLS 1.2 engine, timers through
 *        {@link DtlsConnection#pollTimeout}; ECDHE with AES-128-GCM only) rather than Bouncy Castle's blocking
 *        one on a virtual thread
 */
public record DtlsSettings(Duration initialResendTimeout, Duration handshakeTimeout, List<DtlsSrtpProfile> srtpProfiles,
        int mtu, Path keyLogFile, int maxQueuedDatagrams, boolean loopHandshake) {

    public DtlsSettings {
        Objects.requireNonNull(initialResendTimeout, "initialResendTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        srtpProfiles = List.copyOf(srtpProfiles);
        if (initialResendTimeout.toMillis() < 1 || handshakeTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeouts must be at least 1 ms");
        }
        if (mtu < 256 || mtu > 65_507) {
            throw new IllegalArgumentException("mtu out of range 256..65507: " + mtu);
        }
        if (maxQueuedDatagrams < 1) {
            throw new IllegalArgumentException("maxQueuedDatagrams must be at least 1");
        }
    }

    /** 100 ms first resend, 30 s handshake, GCM profiles first (as Chromium), MTU 1200, SSLKEYLOGFILE. */
    public static DtlsSettings defaults() {
        String keyLog = System.getenv("SSLKEYLOGFILE");
        return new DtlsSettings(Duration.ofMillis(100), Duration.ofSeconds(30),
                List.of(DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM, DtlsSrtpProfile.SRTP_AEAD_AES_256_GCM,
                        DtlsSrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, DtlsSrtpProfile.SRTP_AES128_CM_HMAC_SHA1_32),
                1200, keyLog == null || keyLog.isBlank() ? null : Path.of(keyLog), 256,
                !"false".equals(System.getProperty("rtc4j.dtls.loopHandshake")));
    }

    public DtlsSettings withInitialResendTimeout(Duration value) {
        return new DtlsSettings(value, handshakeTimeout, srtpProfiles, mtu, keyLogFile, maxQueuedDatagrams,
                loopHandshake);
    }

    public DtlsSettings withHandshakeTimeout(Duration value) {
        return new DtlsSettings(initialResendTimeout, value, srtpProfiles, mtu, keyLogFile,
                maxQueuedDatagrams, loopHandshake);
    }

    public DtlsSettings withSrtpProfiles(List<DtlsSrtpProfile> value) {
        return new DtlsSettings(initialResendTimeout, handshakeTimeout, value, mtu, keyLogFile,
                maxQueuedDatagrams, loopHandshake);
    }

    public DtlsSettings withMtu(int value) {
        return new DtlsSettings(initialResendTimeout, handshakeTimeout, srtpProfiles, value, keyLogFile,
                maxQueuedDatagrams, loopHandshake);
    }

    public DtlsSettings withKeyLogFile(Path value) {
        return new DtlsSettings(initialResendTimeout, handshakeTimeout, srtpProfiles, mtu, value,
                maxQueuedDatagrams, loopHandshake);
    }

    public DtlsSettings withMaxQueuedDatagrams(int value) {
        return new DtlsSettings(initialResendTimeout, handshakeTimeout, srtpProfiles, mtu, keyLogFile, value,
                loopHandshake);
    }

    public DtlsSettings withLoopHandshake(boolean value) {
        return new DtlsSettings(initialResendTimeout, handshakeTimeout, srtpProfiles, mtu, keyLogFile,
                maxQueuedDatagrams, value);
    }
}
