package org.rtc4j.rtp.srtp.internal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over a reused {@link MessageDigest}, writing into a caller's array: unlike
 * {@code javax.crypto.Mac.doFinal}, it allocates nothing per packet.
 */
public final class HmacSha1 {

    public static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];
    private final byte[] word = new byte[4];

    public HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /**
     * HMAC of {@code data[off, off+len)}, followed by the 32-bit {@code suffix} when {@code withSuffix} (the
     * SRTP rollover counter, RFC 3711 section 4.2), written to {@code out[0, 20)}.
     */
    public void compute(byte[] data, int off, int len, boolean withSuffix, long suffix, byte[] out) {
        try {
            sha1.update(innerPad);
            sha1.update(data, off, len);
            if (withSuffix) {
                word[0] = (byte) (suffix >>> 24);
                word[1] = (byte) (suffix >>> 16);
                word[2] = (byte) (suffix >>> 8);
                word[3] = (byte) suffix;
                sha1.update(word);
            }
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
