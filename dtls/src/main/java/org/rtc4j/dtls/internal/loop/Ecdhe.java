package org.rtc4j.dtls.internal.loop;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.KeyAgreement;

/**
 * One ephemeral ECDH key (RFC 8422 section 5.4 and 5.7) on the JDK's SunEC: on X25519 (RFC 7748: 32-byte
 * little-endian u-coordinates; what browsers prefer, and cheaper here than P-256, whose public keys the JDK
 * validates with a whole scalar multiplication) or secp256r1 (points in the uncompressed form, 0x04 || x[32]
 * || y[32], the only one RFC 8422 5.1.2 leaves).
 */
final class Ecdhe {

    static final int SECP256R1 = 23;
    static final int X25519 = 29;
    private static final int POINT = 65;
    /** The most X25519 keys kept made ahead: one per connection being set up is plenty. */
    private static final int MAX_SPARES = 8;
    /**
     * X25519 keys made ahead ({@link #prepare}, when a peer connection is made) and taken by the next
     * handshakes, each key by one only: its generation is then off the set-up's path (the answer waits for the
     * DTLS connection, which used to make its key then). Still ephemeral: used once, never kept after.
     */
    private static final ConcurrentLinkedQueue<KeyPair> SPARES = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger SPARE_COUNT = new AtomicInteger();

    final int group;
    private final KeyPair pair;
    private final ECParameterSpec params;

    Ecdhe(int group) {
        this.group = group;
        try {
            if (group == X25519) {
                KeyPair spare = SPARES.poll();
                if (spare != null) {
                    SPARE_COUNT.decrementAndGet();
                }
                pair = spare != null ? spare : KeyPairGenerator.getInstance("X25519").generateKeyPair();
                params = null;
            } else {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                pair = g.generateKeyPair();
                params = ((ECPublicKey) pair.getPublic()).getParams();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("group " + group + " unavailable", e);
        }
    }

    /** Makes one X25519 key for a later handshake to take, unless enough are waiting. */
    static void prepare() {
        if (SPARE_COUNT.incrementAndGet() > MAX_SPARES) {
            SPARE_COUNT.decrementAndGet();
            return;
        }
        try {
            SPARES.add(KeyPairGenerator.getInstance("X25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            SPARE_COUNT.decrementAndGet();
            throw new IllegalStateException("X25519 unavailable", e);
        }
    }

    /** How many keys made ahead are waiting. */
    static int spares() {
        return SPARE_COUNT.get();
    }

    /** Our public key as it goes on the wire. */
    byte[] publicPoint() {
        if (group == X25519) {
            byte[] be = ((XECPublicKey) pair.getPublic()).getU().toByteArray();
            byte[] out = new byte[32];
            for (int i = 0; i < 32 && i < be.length; i++) {
                out[i] = be[be.length - 1 - i];       // little-endian (RFC 7748 section 5)
            }
            return out;
        }
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
        if (group == X25519) {
            return agreeX25519(peerPoint);
        }
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

    private byte[] agreeX25519(byte[] peer) throws Wire.Malformed {
        if (peer.length != 32) {
            throw new Wire.Malformed("an X25519 key is 32 bytes");
        }
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = peer[31 - i];
        }
        be[0] &= 0x7F;      // RFC 7748 section 5: the top bit is masked
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(pair.getPrivate());
            ka.doPhase(KeyFactory.getInstance("X25519").generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be))), true);
            byte[] secret = ka.generateSecret();
            int any = 0;
            for (byte b : secret) {
                any |= b;
            }
            if (any == 0) {
                throw new Wire.Malformed("X25519 gave the all-zero secret");   // RFC 8422 section 5.11
            }
            return secret;
        } catch (GeneralSecurityException e) {
            throw new Wire.Malformed("X25519 failed: " + e.getMessage());
        }
    }

    private static void put32(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, at + 32 - n, n);
    }
}
