package org.rtc4j.dtls.internal.loop;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import javax.crypto.KeyAgreement;

/**
 * One ephemeral ECDH key on secp256r1 (RFC 8422 section 5.4 and 5.7), points in the uncompressed form
 * (0x04 || x[32] || y[32], the only one RFC 8422 5.1.2 leaves), on the JDK's SunEC.
 */
final class Ecdhe {

    static final int SECP256R1 = 23;
    private static final int POINT = 65;

    private final KeyPair pair;
    private final ECParameterSpec params;

    Ecdhe() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            pair = g.generateKeyPair();
            params = ((ECPublicKey) pair.getPublic()).getParams();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 unavailable", e);
        }
    }

    /** Our public point, uncompressed. */
    byte[] publicPoint() {
        ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
        byte[] out = new byte[POINT];
        out[0] = 4;
        put32(w.getAffineX(), out, 1);
        put32(w.getAffineY(), out, 33);
        return out;
    }

    /**
     * The shared secret (the x coordinate, RFC 8422 5.10) with the peer's point; {@link Wire.Malformed} when
     * the point is not an uncompressed point on the curve (RFC 8422 5.11: checked before use).
     */
    byte[] agree(byte[] peerPoint) throws Wire.Malformed {
        if (peerPoint.length != POINT || peerPoint[0] != 4) {
            throw new Wire.Malformed("not an uncompressed P-256 point");
        }
        BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(peerPoint, 1, 33));
        BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(peerPoint, 33, 65));
        EllipticCurve curve = params.getCurve();
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0
                || !y.multiply(y).subtract(x.pow(3).add(curve.getA().multiply(x)).add(curve.getB())).mod(p)
                        .equals(BigInteger.ZERO)) {
            throw new Wire.Malformed("point not on P-256");
        }
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(pair.getPrivate());
            ka.doPhase(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params)),
                    true);
            return ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new Wire.Malformed("ECDH failed: " + e.getMessage());
        }
    }

    private static void put32(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, at + 32 - n, n);
    }
}
