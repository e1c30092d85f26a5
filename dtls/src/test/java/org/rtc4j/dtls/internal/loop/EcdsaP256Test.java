package org.rtc4j.dtls.internal.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The P-256 verifier on Bouncy Castle agrees with the JDK's on good and bad signatures, keys and encodings; the
 * signer's signatures, with nonces made ahead or on the spot, verify with the JDK's and never repeat a nonce.
 */
class EcdsaP256Test {

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static byte[] sign(KeyPair k, byte[]... parts) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(k.getPrivate());
        for (byte[] p : parts) {
            s.update(p);
        }
        return s.sign();
    }

    private static boolean jdkVerifies(KeyPair k, byte[] der, byte[] message) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(k.getPublic());
            s.update(message);
            return s.verify(der);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void verifiesWhatTheJdkSignsOverSeveralParts() throws Exception {
        KeyPair k = p256();
        byte[] a = "client random".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "server random and params".getBytes(StandardCharsets.US_ASCII);
        byte[] der = sign(k, a, b);
        assertThat(EcdsaP256.handles(k.getPublic())).isTrue();
        assertThat(EcdsaP256.verify((ECPublicKey) k.getPublic(), der, a, b)).isTrue();
        assertThat(Signatures.verify(k.getPublic(), Signatures.ECDSA_SHA256, der, a, b)).isTrue();
    }

    @Test
    void refusesAnotherMessageKeyOrAlteredSignature() throws Exception {
        KeyPair k = p256();
        KeyPair other = p256();
        byte[] m = "transcript".getBytes(StandardCharsets.US_ASCII);
        byte[] der = sign(k, m);
        assertThat(EcdsaP256.verify((ECPublicKey) k.getPublic(), der, "transcripT".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
        assertThat(EcdsaP256.verify((ECPublicKey) other.getPublic(), der, m)).isFalse();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            byte[] bad = der.clone();
            bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
            // Never an exception, and the same verdict as the JDK's (a flipped bit is refused by both).
            assertThat(EcdsaP256.verify((ECPublicKey) k.getPublic(), bad, m)).isEqualTo(jdkVerifies(k, bad, m));
        }
        assertThat(EcdsaP256.verify((ECPublicKey) k.getPublic(), Arrays.copyOf(der, der.length + 1), m)).isFalse();
        assertThat(EcdsaP256.verify((ECPublicKey) k.getPublic(), new byte[0], m)).isFalse();
    }

    @Test
    void refusesZeroAndOutOfRangeValues() throws Exception {
        KeyPair k = p256();
        byte[] m = {1, 2, 3};
        BigInteger n = ((ECPublicKey) k.getPublic()).getParams().getOrder();
        for (BigInteger[] rs : new BigInteger[][] {{BigInteger.ZERO, BigInteger.ONE}, {BigInteger.ONE, BigInteger.ZERO},
                {n, BigInteger.ONE}, {BigInteger.ONE, n.add(BigInteger.ONE)}}) {
            assertThat(EcdsaP256.verify((ECPublicKey) k.getPublic(), der(rs[0], rs[1]), m)).isFalse();
        }
    }

    @Test
    void refusesAKeyOffTheCurve() throws Exception {
        KeyPair k = p256();
        byte[] m = {4, 5, 6};
        byte[] der = sign(k, m);
        ECPublicKey good = (ECPublicKey) k.getPublic();
        ECPoint w = good.getW();
        ECPublicKey off;
        try {
            off = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(w.getAffineX(), w.getAffineY().add(BigInteger.ONE)), good.getParams()));
        } catch (java.security.spec.InvalidKeySpecException e) {
            return;     // the JDK refused to make it: nothing to verify with
        }
        assertThat(EcdsaP256.verify(off, der, m)).isFalse();
    }

    @Test
    void leavesOtherKeysToTheJdk() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        assertThat(EcdsaP256.handles(g.generateKeyPair().getPublic())).isFalse();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThat(EcdsaP256.handles(rsa.generateKeyPair().getPublic())).isFalse();
    }

    @Test
    void signsWhatTheJdkVerifiesWithNoncesMadeAheadOrNot() throws Exception {
        KeyPair k = p256();
        java.util.Set<BigInteger> rs = new java.util.HashSet<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 40; i++) {
            if (i % 2 == 0) {
                int before = EcdsaP256.nonces();
                EcdsaP256.prepare();
                assertThat(EcdsaP256.nonces()).isBetween(Math.min(before + 1, 8), 8);
            }
            byte[] a = new byte[random.nextInt(1, 300)];
            byte[] b = new byte[random.nextInt(0, 70)];
            random.nextBytes(a);
            random.nextBytes(b);
            byte[] der = Signatures.sign(k.getPrivate(), Signatures.ECDSA_SHA256, a, b);
            byte[] whole = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, whole, a.length, b.length);
            assertThat(jdkVerifies(k, der, whole)).isTrue();
            assertThat(EcdsaP256.verify((ECPublicKey) k.getPublic(), der, a, b)).isTrue();
            // Each signature its own nonce: the same r twice would give the private key away.
            assertThat(rs.add(new BigInteger(1, Arrays.copyOfRange(der, 4, 4 + der[3])))).isTrue();
        }
        while (EcdsaP256.nonces() > 0) { // every nonce made ahead is taken once, then made on the spot
            Signatures.sign(k.getPrivate(), Signatures.ECDSA_SHA256, new byte[] {1});
        }
        byte[] der = Signatures.sign(k.getPrivate(), Signatures.ECDSA_SHA256, new byte[] {2});
        assertThat(jdkVerifies(k, der, new byte[] {2})).isTrue();
        assertThat(EcdsaP256.nonces()).isZero();
    }

    @Test
    void leavesOtherSigningKeysToTheJdk() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair k = g.generateKeyPair();
        assertThat(EcdsaP256.handles(k.getPrivate())).isFalse();
        byte[] der = Signatures.sign(k.getPrivate(), Signatures.ECDSA_SHA256, new byte[] {3});
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(k.getPublic());
        s.update(new byte[] {3});
        assertThat(s.verify(der)).isTrue();
    }

    /** SEQUENCE { INTEGER r, INTEGER s } for small test values. */
    private static byte[] der(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        byte[] out = new byte[6 + rb.length + sb.length];
        out[0] = 0x30;
        out[1] = (byte) (4 + rb.length + sb.length);
        out[2] = 2;
        out[3] = (byte) rb.length;
        System.arraycopy(rb, 0, out, 4, rb.length);
        out[4 + rb.length] = 2;
        out[5 + rb.length] = (byte) sb.length;
        System.arraycopy(sb, 0, out, 6 + rb.length, sb.length);
        return out;
    }
}
