package org.rtc4j.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate and its private key: this endpoint's DTLS identity, announced in SDP by its
 * fingerprint (RFC 8827 section 6.5). ECDSA P-256 by default, as browsers; RSA 2048 on request. Immutable.
 */
public final class DtlsCertificate {

    /** The key types {@link #generate} makes. */
    public enum KeyType {
        /** ECDSA on P-256 with SHA-256: the browsers' default, small and fast. */
        ECDSA_P256,
        /** RSA 2048 (PKCS#1 v1.5 signatures with SHA-256). */
        RSA_2048
    }

    /** Browsers make certificates valid for 30 days; so do we unless asked otherwise. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final byte[] der;

    private DtlsCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        try {
            this.der = certificate.getEncoded();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /** An ECDSA P-256 certificate valid for {@link #DEFAULT_VALIDITY} from now. */
    public static DtlsCertificate generate() {
        return generate(KeyType.ECDSA_P256, DEFAULT_VALIDITY);
    }

    /** A new self-signed certificate, valid from a minute ago (clock skew) for {@code validity}. */
    public static DtlsCertificate generate(KeyType type, Duration validity) {
        Objects.requireNonNull(type, "type");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        try {
            KeyPair keys;
            String signature;
            if (type == KeyType.ECDSA_P256) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                keys = g.generateKeyPair();
                signature = "SHA256withECDSA";
            } else {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), RANDOM);
                keys = g.generateKeyPair();
                signature = "SHA256withRSA";
            }
            Instant now = Instant.now();
            // A random name, as browsers do: nothing in it identifies the user.
            X500Name name = new X500Name("CN=rtc4j-" + Long.toHexString(RANDOM.nextLong() >>> 1));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, RANDOM).add(BigInteger.ONE), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(validity)), name, keys.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())).getEncoded();
            return new DtlsCertificate(parseCertificate(der), keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a " + type + " certificate", e);
        }
    }

    /** Pairs an existing certificate with its private key. */
    public static DtlsCertificate of(X509Certificate certificate, PrivateKey privateKey) {
        return new DtlsCertificate(Objects.requireNonNull(certificate), Objects.requireNonNull(privateKey));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The DER encoding of the certificate. */
    public byte[] encoded() {
        return der.clone();
    }

    byte[] encodedNoCopy() {
        return der;
    }

    public KeyType keyType() {
        return "RSA".equals(privateKey.getAlgorithm()) ? KeyType.RSA_2048 : KeyType.ECDSA_P256;
    }

    /** When the certificate stops being valid (the W3C RTCCertificate's {@code expires}). */
    public Instant expires() {
        return certificate.getNotAfter().toInstant();
    }

    public boolean isExpired(Instant now) {
        return now.isAfter(expires());
    }

    /** The sha-256 fingerprint, as SDP's {@code a=fingerprint} carries it. */
    public DtlsFingerprint fingerprint() {
        return fingerprint(DtlsFingerprint.DEFAULT_ALGORITHM);
    }

    /** The fingerprint with another hash: sha-1, sha-224, sha-256, sha-384 or sha-512. */
    public DtlsFingerprint fingerprint(String algorithm) {
        return DtlsFingerprint.of(der, algorithm);
    }

    /** PEM text: the PKCS#8 private key then the X.509 certificate. Keep it secret: it holds the key. */
    public String toPem() {
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    /**
     * Reads what {@link #toPem} wrote (a PKCS#8 {@code PRIVATE KEY} block and a {@code CERTIFICATE} block, in
     * any order).
     *
     * @throws IllegalArgumentException when a block is missing or does not decode, or the key does not belong
     *         to the certificate
     */
    public static DtlsCertificate fromPem(String pem) {
        byte[] keyDer = block(pem, "PRIVATE KEY");
        byte[] certDer = block(pem, "CERTIFICATE");
        try {
            X509Certificate cert = parseCertificate(certDer);
            String algorithm = cert.getPublicKey().getAlgorithm();
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(keyDer));
            DtlsCertificate result = new DtlsCertificate(cert, key);
            result.checkKeyMatches();
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the PEM certificate and key: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #toPem} to a file readable by its owner only where the file system allows it. */
    public void save(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, toPem(), StandardCharsets.US_ASCII);
    }

    public static DtlsCertificate load(Path file) throws IOException {
        return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
    }

    private void checkKeyMatches() throws GeneralSecurityException {
        String algorithm = privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        byte[] probe = "rtc4j".getBytes(StandardCharsets.US_ASCII);
        signer.update(probe);
        byte[] sig = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(sig)) {
            throw new IllegalArgumentException("the private key does not belong to the certificate");
        }
    }

    private static byte[] block(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("no " + label + " block in the PEM text");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in the " + label + " block");
        }
    }

    static X509Certificate parseCertificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + keyType() + ", " + fingerprint() + ", expires " + expires() + "]";
    }
}
