package org.rtc4j.dtls.internal.loop;

// Bouncy Castle's RFC 7748 code, by its members: its class's name is this class's constant's.
import static org.bouncycastle.math.ec.rfc7748.X25519.POINT_SIZE;
import static org.bouncycastle.math.ec.rfc7748.X25519.SCALAR_SIZE;
import static org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement;
import static org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey;
import static org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.KeyAgreement;

/**
 * One ephemeral ECDH key (RFC 8422 section 5.4 and 5.7): on X25519 (RFC 7748: 32-byte little-endian
 * u-coordinates; what browsers prefer, and cheaper than P-256, whose public keys the JDK validates with a whole
 * scalar multiplication) with Bouncy Castle's RFC 7748 code (a constant-time ladder, about twice as fast as the
 * JDK's XDH here: 65 against 130 us per agreement, warm; each side agrees once on the set-up's critical path,
 * issue 23), or secp256r1 on the JDK's SunEC (points in the uncompressed form, 0x04 || x[32] || y[32], the only one
 * RFC 8422 5.1.2 leaves).
 */
final class Ecdhe {

    static final int SECP256R1 = 23;
    static final int X25519 = 29;
    private static final int POINT = 65;
    /** The most X25519 keys kept made ahead: one per connection being set up is plenty. */
    private static final int MAX_SPARES = 8;
    /**
     * X25519 private keys made ahead ({@link #prepare}, when a peer connection is made) and taken by the next
     * handshakes, each key by one only: its generation is then off the set-up's path (the answer waits for the
     * DTLS connection, which used to make its key then). Still ephemeral: used once, never kept after.
     */
    private static final ConcurrentLinkedQueue<XKey> SPARES = new ConcurrentLinkedQueue<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger SPARE_COUNT = new AtomicInteger();

    /** An X25519 key: the private scalar and the public u-coordinate, as RFC 7748 encodes them. */
    private record XKey(byte[] scalar, byte[] publicU) {
        static XKey generate() {
            byte[] k = new byte[SCALAR_SIZE];
            generatePrivateKey(RANDOM, k);
            byte[] u = new byte[POINT_SIZE];
            generatePublicKey(k, 0, u, 0);
            return new XKey(k, u);
        }
    }

    final int group;
    /** X25519: our key; null on P-256. */
    private final XKey xkey;
    /** P-256: the JDK's key pair and curve; null on X25519. */
    private final KeyPair pair;
    private final ECParameterSpec params;

    Ecdhe(int group) {
        this.group = group;
        try {
            if (group == X25519) {
                XKey spare = SPARES.poll();
                if (spare != null) {
                    SPARE_COUNT.decrementAndGet();
                }
                xkey = spare != null ? spare : XKey.generate();
                pair = null;
                params = null;
            } else {
                xkey = null;
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
        SPARES.add(XKey.generate());
    }

    /** How many keys made ahead are waiting. */
    static int spares() {
        return SPARE_COUNT.get();
    }

    /** Our public key as it goes on the wire. */
    byte[] publicPoint() {
        if (group == X25519) {
            return xkey.publicU().clone();     // little-endian (RFC 7748 section 5)
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
        if (peer.length != POINT_SIZE) {
            throw new Wire.Malformed("an X25519 key is 32 bytes");
        }
        byte[] secret = new byte[POINT_SIZE];
        // RFC 7748 section 5: the top bit of the peer's u is masked (Bouncy Castle's decoding does so); false
        // means the all-zero secret, which RFC 8422 section 5.11 makes us refuse.
        if (!calculateAgreement(xkey.scalar(), 0, peer, 0, secret, 0)) {
            throw new Wire.Malformed("X25519 gave the all-zero secret");
        }
        return secret;
    }

    private static void put32(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, at + 32 - n, n);
    }
}
