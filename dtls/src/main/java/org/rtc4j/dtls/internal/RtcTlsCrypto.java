package org.rtc4j.dtls.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * JcaTlsCrypto on the JDK's providers (SunJCE's AES-GCM is an intrinsic, ten times faster than Bouncy
 * Castle's Java GCM), falling back to Bouncy Castle's provider, not registered globally, for what the JDK
 * lacks under the names JcaTlsCrypto asks for: ChaCha20-Poly1305 ("ChaCha7539", "Poly1305").
 */
final class RtcTlsCrypto extends JcaTlsCrypto {

    private RtcTlsCrypto() {
        super(new JdkFirstHelper(), new SecureRandom(), new SecureRandom());
    }

    /**
     * One for every connection, as Bouncy Castle's JSSE provider shares one per context: it caches which
     * suites, groups and signature schemes the providers support, which a new instance would find out again
     * with a dozen provider look-ups on each handshake's critical path (a sixth of its time, warm).
     */
    static RtcTlsCrypto shared() {
        return Shared.CRYPTO;
    }

    private static final class Shared {
        static final RtcTlsCrypto CRYPTO = new RtcTlsCrypto();
    }

    /** ChaCha20-Poly1305 is Bouncy Castle's own: known without making its provider to ask it. */
    @Override
    public boolean hasEncryptionAlgorithm(int encryptionAlgorithm) {
        return encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305
                || super.hasEncryptionAlgorithm(encryptionAlgorithm);
    }

    /** The JDK first; Bouncy Castle only for a cipher or MAC the JDK does not have. */
    private static final class JdkFirstHelper extends DefaultJcaJceHelper {

        @Override
        public Cipher createCipher(String algorithm) throws NoSuchAlgorithmException, NoSuchPaddingException {
            try {
                return super.createCipher(algorithm);
            } catch (NoSuchAlgorithmException e) {
                return Cipher.getInstance(algorithm, Fallback.BC);
            }
        }

        @Override
        public Mac createMac(String algorithm) throws NoSuchAlgorithmException {
            try {
                return super.createMac(algorithm);
            } catch (NoSuchAlgorithmException e) {
                return Mac.getInstance(algorithm, Fallback.BC);
            }
        }
    }

    /**
     * Made on first use only: the provider registers every algorithm Bouncy Castle has and builds curves as it
     * does (a fifth of a cold process's first connection), while a handshake needs it only for ChaCha20.
     */
    private static final class Fallback {
        static final BouncyCastleProvider BC = new BouncyCastleProvider();
    }
}
