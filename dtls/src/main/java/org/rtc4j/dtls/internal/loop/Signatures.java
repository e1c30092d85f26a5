package org.rtc4j.dtls.internal.loop;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * TLS 1.2 signature schemes (RFC 5246 7.4.1.4.1 pairs, named as RFC 8446 4.2.3 numbers them) on the JDK's
 * providers: what we offer to verify, and the one our key signs with.
 */
final class Signatures {

    static final int ECDSA_SHA256 = 0x0403;
    static final int ECDSA_SHA384 = 0x0503;
    static final int RSA_PSS_SHA256 = 0x0804;
    static final int RSA_PKCS1_SHA256 = 0x0401;
    static final int RSA_PKCS1_SHA384 = 0x0501;
    /** What we accept from the peer, in our order of preference. */
    static final int[] SUPPORTED = {ECDSA_SHA256, RSA_PSS_SHA256, RSA_PKCS1_SHA256, ECDSA_SHA384, RSA_PKCS1_SHA384};

    private Signatures() {
    }

    /** The scheme our key signs with: SHA-256 with ECDSA or PKCS#1 v1.5, if the peer takes it. */
    static int ours(PrivateKey key, int[] peerAccepts) {
        int scheme = key.getAlgorithm().equals("EC") ? ECDSA_SHA256 : RSA_PKCS1_SHA256;
        // RFC 5246 7.4.1.4.1: without the extension, SHA-1 would be assumed; every WebRTC peer sends it.
        return peerAccepts == null || Hello.contains(peerAccepts, scheme) ? scheme : -1;
    }

    static byte[] sign(PrivateKey key, int scheme, byte[]... parts) throws GeneralSecurityException {
        if (scheme == ECDSA_SHA256 && key instanceof ECPrivateKey ec && ec.getS() != null && EcdsaP256.handles(key)) {
            try {
                return EcdsaP256.sign(ec, parts);     // with a nonce made ahead, see there
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException("ECDSA signature encoding", e);
            }
        }
        Signature s = instance(scheme);
        s.initSign(key);
        for (byte[] p : parts) {
            s.update(p);
        }
        return s.sign();
    }

    /** Whether {@code signature} by {@code key} with {@code scheme} (one of ours) covers {@code parts}. */
    static boolean verify(PublicKey key, int scheme, byte[] signature, byte[]... parts) {
        if (!Hello.contains(SUPPORTED, scheme)) {
            return false;
        }
        if (scheme == ECDSA_SHA256 && EcdsaP256.handles(key)) {
            return EcdsaP256.verify((ECPublicKey) key, signature, parts);     // the cheaper verifier, see there
        }
        try {
            Signature s = instance(scheme);
            s.initVerify(key);
            for (byte[] p : parts) {
                s.update(p);
            }
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;   // a key of another type, a malformed signature
        }
    }

    private static Signature instance(int scheme) throws GeneralSecurityException {
        return switch (scheme) {
            case ECDSA_SHA256 -> Signature.getInstance("SHA256withECDSA");
            case ECDSA_SHA384 -> Signature.getInstance("SHA384withECDSA");
            case RSA_PKCS1_SHA256 -> Signature.getInstance("SHA256withRSA");
            case RSA_PKCS1_SHA384 -> Signature.getInstance("SHA384withRSA");
            case RSA_PSS_SHA256 -> {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield s;
            }
            default -> throw new GeneralSecurityException("unsupported signature scheme " + scheme);
        };
    }

    /** Parses a DER certificate from the peer (bounded by the handshake message that carried it). */
    static X509Certificate certificate(byte[] der) throws Wire.Malformed {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Wire.Malformed("unreadable certificate: " + e.getMessage());
        }
    }
}
