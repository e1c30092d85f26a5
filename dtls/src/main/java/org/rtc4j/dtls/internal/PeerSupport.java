package org.rtc4j.dtls.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.CipherType;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.dtls.DtlsFingerprint;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.dtls.DtlsSrtpProfile;

/**
 * What the Bouncy Castle client and server peers share: our identity, the remote fingerprints to check the
 * peer against, cipher suite and group choices, and what the handshake produced. Written by the handshake
 * thread, read by the driver after the handshake completes (fields are volatile).
 */
public final class PeerSupport {

    /** Browser order (issue 7): ECDSA before RSA, GCM before ChaCha20 before the CBC fallbacks. */
    private static final int[] SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    };
    private static final String[] SUITE_NAMES = {
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    };

    /** X25519 first, then P-256 (issue 7; as browsers). */
    private static final int[] GROUPS = {NamedGroup.x25519, NamedGroup.secp256r1};

    /** The largest handshake message either side accepts: Bouncy Castle's own default, which our peers keep. */
    public static final int MAX_HANDSHAKE_MESSAGE = 32 * 1024;


    private final DtlsSettings settings;
    private final DtlsCertificate certificate;
    private final JcaTlsCrypto crypto;
    private final RecordFilter filter;
    private final CompletableFuture<List<DtlsFingerprint>> remoteFingerprints = new CompletableFuture<>();
    private volatile String failure;
    private volatile DtlsSrtpProfile srtpProfile;
    private volatile byte[] keyingMaterial;
    private volatile byte[] peerCertificate;
    private volatile DtlsFingerprint matchedFingerprint;
    private volatile int cipherSuite = -1;

    public PeerSupport(DtlsSettings settings, DtlsCertificate certificate, RecordFilter filter) {
        this.settings = settings;
        this.certificate = certificate;
        this.filter = filter;
        this.crypto = RtcTlsCrypto.shared();
    }

    public JcaTlsCrypto crypto() {
        return crypto;
    }

    int resendMillis() {
        return (int) settings.initialResendTimeout().toMillis();
    }

    int timeoutMillis() {
        return (int) settings.handshakeTimeout().toMillis();
    }

    public void setRemoteFingerprints(List<DtlsFingerprint> fingerprints) {
        remoteFingerprints.complete(List.copyOf(fingerprints));
    }

    /** The suites we offer as a client (all), or accept as a server (those our certificate can sign). */
    int[] cipherSuites(boolean server) {
        List<Integer> chosen = new ArrayList<>();
        boolean rsa = certificate.keyType() == DtlsCertificate.KeyType.RSA_2048;
        for (int suite : SUITES) {
            int kx = TlsUtils.getKeyExchangeAlgorithm(suite);
            boolean rsaSuite = kx == org.bouncycastle.tls.KeyExchangeAlgorithm.ECDHE_RSA;
            if (!server || rsaSuite == rsa) {
                chosen.add(suite);
            }
        }
        int[] suites = chosen.stream().mapToInt(Integer::intValue).toArray();
        return TlsUtils.getSupportedCipherSuites(crypto, suites);
    }

    int[] groups() {
        return java.util.Arrays.stream(GROUPS).filter(crypto::hasNamedGroup).toArray();
    }

    Vector<Integer> groupVector() {
        Vector<Integer> v = new Vector<>();
        for (int g : groups()) {
            v.add(g);
        }
        return v;
    }

    int[] srtpProfileIds() {
        return settings.srtpProfiles().stream().mapToInt(DtlsSrtpProfile::id).toArray();
    }

    /** The first of our profiles the client offered (RFC 5764 4.1.3: the server picks), or null. */
    DtlsSrtpProfile chooseSrtpProfile(int[] offered) {
        for (DtlsSrtpProfile ours : settings.srtpProfiles()) {
            for (int id : offered) {
                if (id == ours.id()) {
                    return ours;
                }
            }
        }
        return null;
    }

    void setSrtpProfile(DtlsSrtpProfile profile) {
        this.srtpProfile = profile;
    }

    boolean offers(int profileId) {
        return settings.srtpProfiles().stream().anyMatch(p -> p.id() == profileId);
    }

    /**
     * Accepts the peer only if its end-entity certificate hashes to one of the remote description's
     * fingerprints (RFC 8122 section 5, RFC 8827 section 6.5). Waits for the fingerprints if the remote
     * description has not arrived yet. Bouncy Castle checks that the peer holds the certificate's key.
     */
    void verifyPeer(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw fail(AlertDescription.handshake_failure, "the peer sent no certificate");
        }
        TlsCertificate first = chain.getCertificateAt(0);
        byte[] der = first.getEncoded();
        List<DtlsFingerprint> expected;
        try {
            expected = remoteFingerprints.get(settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw fail(AlertDescription.internal_error, "no remote fingerprint was set to check the peer against");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the remote fingerprint");
        } catch (ExecutionException e) {
            throw fail(AlertDescription.internal_error, "remote fingerprints unavailable: " + e.getCause());
        }
        for (DtlsFingerprint f : expected) {
            if (f.matches(der)) {
                peerCertificate = der;
                matchedFingerprint = f;
                return;
            }
        }
        String algorithm = expected.isEmpty() ? DtlsFingerprint.DEFAULT_ALGORITHM : expected.get(0).algorithm();
        throw fail(AlertDescription.bad_certificate, "the peer's certificate fingerprint "
                + DtlsFingerprint.of(der, algorithm).toSdp() + " does not match the remote description's "
                + (expected.isEmpty() ? "(none)" : expected.stream().map(DtlsFingerprint::toSdp).toList())
                + ": possible man in the middle, handshake refused");
    }

    private TlsFatalAlert fail(short alert, String reason) {
        if (failure == null) {
            failure = reason;
        }
        return new TlsFatalAlert(alert, reason);
    }

    /** Our certificate and key as Bouncy Castle credentials, signing with a hash the peer accepts. */
    TlsCredentialedSigner signer(TlsContext context, Vector<?> peerSigAlgs) throws IOException {
        boolean rsa = certificate.keyType() == DtlsCertificate.KeyType.RSA_2048;
        short signature = rsa ? SignatureAlgorithm.rsa : SignatureAlgorithm.ecdsa;
        SignatureAndHashAlgorithm preferred = SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, signature);
        SignatureAndHashAlgorithm chosen = null;
        if (peerSigAlgs == null || peerSigAlgs.contains(preferred)) {
            chosen = preferred;
        } else {
            for (Object o : peerSigAlgs) {
                SignatureAndHashAlgorithm a = (SignatureAndHashAlgorithm) o;
                if (a.getSignature() == signature && a.getHash() != HashAlgorithm.sha1) {
                    chosen = a;
                    break;
                }
            }
        }
        if (chosen == null) {
            throw fail(AlertDescription.handshake_failure,
                    "the peer accepts no signature algorithm our " + certificate.keyType() + " certificate can make");
        }
        Certificate ours = new Certificate(new TlsCertificate[] {crypto.createCertificate(certificate.encoded())});
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), ours, chosen);
    }

    /** The cipher suite is known: bound the records of the coming epochs (see {@link RecordFilter}). */
    void cipherSuiteSelected(int suite) {
        cipherSuite = suite;
        int encryption = TlsUtils.getEncryptionAlgorithm(suite);
        int type = TlsUtils.getEncryptionAlgorithmType(encryption);
        if (type == CipherType.aead) {
            boolean chacha = encryption == EncryptionAlgorithm.CHACHA20_POLY1305;
            filter.setCipher(chacha ? 16 : 8 + 16, 0);
        } else if (type == CipherType.block) {
            // Explicit IV, then at least one block holding the 20-byte SHA-1 MAC and a padding byte.
            filter.setCipher(16 + 32, 16);
        }
    }

    /** The handshake is done: the SRTP keying material (and the key log line) while the context is at hand. */
    public void handshakeComplete(TlsContext context) {
        DtlsSrtpProfile profile = srtpProfile;
        if (profile != null) {
            // RFC 5764 section 4.2.
            keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                    profile.keyingMaterialLength());
        }
        if (settings.keyLogFile() != null) {
            SecurityParameters sp = context.getSecurityParametersConnection();
            byte[] master = SecretAccess.copy(sp.getMasterSecret());
            if (master != null) {
                KeyLog.append(settings.keyLogFile(), sp.getClientRandom(), master);
            }
        }
    }

    /** Words for why the handshake or the connection ended with {@code error}. */
    public String describe(Throwable error) {
        if (failure != null) {
            return failure;
        }
        if (error instanceof TlsTimeoutException) {
            return "DTLS handshake timed out after " + settings.handshakeTimeout().toMillis() + " ms";
        }
        if (error instanceof TlsFatalAlertReceived r) {
            return "the peer sent fatal alert " + AlertDescription.getText(r.getAlertDescription());
        }
        if (error instanceof TlsFatalAlert a) {
            return "DTLS failed with alert " + AlertDescription.getText(a.getAlertDescription())
                    + (a.getMessage() == null ? "" : ": " + a.getMessage());
        }
        return "DTLS failed: " + error;
    }

    public DtlsSrtpProfile srtpProfile() {
        return srtpProfile;
    }

    public byte[] keyingMaterial() {
        return keyingMaterial;
    }

    public byte[] peerCertificate() {
        return peerCertificate;
    }

    public DtlsFingerprint matchedFingerprint() {
        return matchedFingerprint;
    }

    public String cipherSuiteName() {
        for (int i = 0; i < SUITES.length; i++) {
            if (SUITES[i] == cipherSuite) {
                return SUITE_NAMES[i];
            }
        }
        return "0x" + Integer.toHexString(cipherSuite);
    }
}
