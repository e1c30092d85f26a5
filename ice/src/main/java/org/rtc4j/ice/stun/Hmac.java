package org.rtc4j.ice.stun;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA1, HMAC-SHA256 and the CRC-32 of FINGERPRINT over a message prefix, with one {@link Mac} per
 * thread and algorithm so that signing and checking allocate (almost) nothing per message.
 */
final class Hmac {

    static final int SHA1 = 0;
    static final int SHA256 = 1;

    private static final ThreadLocal<Hmac> LOCAL = ThreadLocal.withInitial(Hmac::new);

    private final Mac[] macs = {newMac("HmacSHA1"), newMac("HmacSHA256")};
    private final byte[][] lastKeys = new byte[2][];
    final byte[] out = new byte[32];
    final CRC32 crc = new CRC32();

    static Hmac local() {
        return LOCAL.get();
    }

    /**
     * The HMAC of {@code message[0 .. length)} into {@link #out}, as if the header's length field (bytes
     * 2-3) held {@code headerLength} (RFC 8489 sections 14.5 and 14.6).
     */
    void compute(int algorithm, byte[] key, byte[] message, int length, int headerLength) {
        Mac mac = macs[algorithm];
        try {
            if (lastKeys[algorithm] != key) { // keys are immutable: the same array is the same key
                // An empty key and a single zero byte pad to the same HMAC key; SecretKeySpec refuses empty ones.
                mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, mac.getAlgorithm()));
                lastKeys[algorithm] = key;
            }
            mac.update(message, 0, 2);
            mac.update((byte) (headerLength >>> 8));
            mac.update((byte) headerLength);
            mac.update(message, 4, length - 4);
            mac.doFinal(out, 0);
        } catch (InvalidKeyException | ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** FINGERPRINT (RFC 8489 section 14.7): CRC-32 of the message so far, XOR 0x5354554e. */
    int fingerprint(byte[] message, int length) {
        crc.reset();
        crc.update(message, 0, length);
        return (int) crc.getValue() ^ 0x5354554E;
    }

    private static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
