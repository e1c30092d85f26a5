package org.rtc4j.dtls.internal.loop;

import java.io.IOException;
import java.math.BigInteger;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA over P-256 with SHA-256 (RFC 5246 7.4.1.4.1, scheme ecdsa_secp256r1_sha256) on Bouncy
 * Castle's lightweight API: its custom P-256 field arithmetic and the generator's precomputed comb make a
 * verification about 2.5 times cheaper than the JDK's SunEC on our machines (140 to 190 us against 390 to 480 us,
 * warm), and each side verifies once on the set-up's critical path (the client the ServerKeyExchange, the server
 * the CertificateVerify; issue 23). Verification takes only public data (a peer's key, signature and the signed
 * bytes), so its timing reveals nothing. The signature's DER must be strict (read here), r and s in [1, n-1]
 * (Bouncy Castle checks), and the key a valid point of the curve (checked too).
 *
 * <p>Signing too, each side once on the critical path (the server's ServerKeyExchange, the client's
 * CertificateVerify): an ECDSA signature's cost is the scalar multiplication k·G, which does not depend on the
 * message (SEC 1 v2 section 4.1.3, steps 1 to 3). {@link #prepare} makes a nonce (k, r = x(k·G) mod n, k⁻¹ mod
 * n) when a connection is made, and signing then takes s = k⁻¹(e + d·r) mod n alone: Bouncy Castle's own
 * {@link ECDSASigner} arithmetic (a random k in [1, n-1], its comb multiplier, its inverse), split in time. A
 * nonce is taken by one signature only and never kept after it; none waiting, one is made on the spot. The
 * multiplication by k, the part whose timing could leak the nonce, no longer runs while a peer watches the
 * handshake; the inverse is Bouncy Castle's constant-time one. JDK signing: 0.3 to 0.9 ms in a set-up's flights
 * (measured), this about 20 us.
 */
final class EcdsaP256 {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
    private static final BigInteger P = CURVE.getCurve().getField().getCharacteristic();
    private static final BigInteger N = CURVE.getN();
    /** The most nonces kept made ahead: one per connection being set up is plenty. */
    private static final int MAX_NONCES = 8;
    private static final ConcurrentLinkedQueue<Nonce> NONCES = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger NONCE_COUNT = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One signature's secret k, as its r and k⁻¹ mod n. */
    private record Nonce(BigInteger r, BigInteger kInverse) {
        static Nonce generate() {
            while (true) {
                BigInteger k = BigIntegers.createRandomInRange(BigInteger.ONE, N.subtract(BigInteger.ONE), RANDOM);
                ECPoint p = new FixedPointCombMultiplier().multiply(CURVE.getG(), k).normalize();
                BigInteger r = p.getAffineXCoord().toBigInteger().mod(N);
                if (r.signum() != 0) {
                    return new Nonce(r, BigIntegers.modOddInverse(N, k));
                }
            }
        }
    }

    private EcdsaP256() {
    }

    /** Whether {@code key} is a P-256 key (by its field and group order), the only curve taken here. */
    static boolean handles(Key key) {
        if (!(key instanceof ECKey ec)) {
            return false;
        }
        ECParameterSpec params = ec.getParams();
        return params != null && params.getCurve().getField() instanceof ECFieldFp f && f.getP().equals(P)
                && params.getOrder().equals(CURVE.getN()) && params.getGenerator().getAffineX()
                        .equals(CURVE.getG().getAffineXCoord().toBigInteger());
    }

    /**
     * Whether {@code der} (an ECDSA-Sig-Value, RFC 4492 section 5.4, as TLS carries it) by {@code key} covers the
     * concatenation of {@code parts} hashed with SHA-256. False for anything malformed, never an exception.
     */
    static boolean verify(ECPublicKey key, byte[] der, byte[]... parts) {
        try {
            BigInteger[] rs = decode(der);
            if (rs == null) {
                return false;
            }
            ECPublicKeyParameters q = new ECPublicKeyParameters(CURVE.getCurve().createPoint(
                    key.getW().getAffineX(), key.getW().getAffineY()), DOMAIN);     // validates the point
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                sha256.update(p);
            }
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, q);
            return verifier.verifySignature(sha256.digest(), rs[0], rs[1]);
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            return false;   // a point off the curve (IllegalArgumentException), anything else malformed
        }
    }

    /** Makes one signing nonce for a later handshake to take, unless enough are waiting. */
    static void prepare() {
        if (NONCE_COUNT.incrementAndGet() > MAX_NONCES) {
            NONCE_COUNT.decrementAndGet();
            return;
        }
        NONCES.add(Nonce.generate());
    }

    /** How many nonces made ahead are waiting. */
    static int nonces() {
        return NONCE_COUNT.get();
    }

    /**
     * The DER ECDSA-Sig-Value by {@code key} (a P-256 key: {@link #handles}) over the concatenation of
     * {@code parts} hashed with SHA-256 (SEC 1 v2 section 4.1.3; e is the whole hash, as long as n).
     */
    static byte[] sign(ECPrivateKey key, byte[]... parts) throws NoSuchAlgorithmException, IOException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            sha256.update(p);
        }
        BigInteger e = new BigInteger(1, sha256.digest());
        BigInteger d = key.getS();
        while (true) {
            Nonce k = NONCES.poll();
            if (k != null) {
                NONCE_COUNT.decrementAndGet();
            } else {
                k = Nonce.generate();
            }
            BigInteger s = k.kInverse().multiply(e.add(d.multiply(k.r()))).mod(N);
            if (s.signum() != 0) {
                return StandardDSAEncoding.INSTANCE.encode(N, k.r(), s);
            }
        }
    }

    /**
     * r and s of a DER ECDSA-Sig-Value, SEQUENCE { INTEGER r, INTEGER s } (X.690 strict: short lengths, minimal
     * positive integers, nothing after), or null. P-256's values fit 33 bytes, so every length is one byte.
     */
    private static BigInteger[] decode(byte[] der) {
        if (der.length < 8 || der[0] != 0x30 || (der[1] & 0xFF) != der.length - 2) {
            return null;
        }
        BigInteger[] rs = new BigInteger[2];
        int at = 2;
        for (int i = 0; i < 2; i++) {
            if (at + 2 > der.length || der[at] != 0x02) {
                return null;
            }
            int n = der[at + 1] & 0xFF;
            at += 2;
            if (n < 1 || n > 33 || at + n > der.length || der[at] < 0
                    || (n > 1 && der[at] == 0 && der[at + 1] >= 0)) {
                return null;    // empty, too long, negative or not minimal
            }
            rs[i] = new BigInteger(1, Arrays.copyOfRange(der, at, at + n));
            at += n;
        }
        return at == der.length ? rs : null;
    }
}
