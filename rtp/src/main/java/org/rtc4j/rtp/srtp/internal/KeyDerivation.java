package org.rtc4j.rtp.srtp.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation function with a key derivation rate of zero (RFC 3711 section 4.3, the AES-CM PRF
 * of 4.3.3; RFC 7714 section 11 uses it unchanged, the 12-byte salt padded with zeros to 14).
 */
public final class KeyDerivation {

    public static final int RTP_ENCRYPTION = 0;
    public static final int RTP_AUTH = 1;
    public static final int RTP_SALT = 2;
    public static final int RTCP_ENCRYPTION = 3;
    public static final int RTCP_AUTH = 4;
    public static final int RTCP_SALT = 5;

    /** HMAC-SHA1 session authentication keys are 160 bits (RFC 3711 section 8.2). */
    private static final int AUTH_KEY_LENGTH = 20;

    private KeyDerivation() {
    }

    /** Session keys for SRTP ({@code rtcp} false) or SRTCP, for a profile with the given lengths. */
    public static SessionKeys sessionKeys(byte[] masterKey, byte[] masterSalt, boolean rtcp, boolean aead) {
        int base = rtcp ? RTCP_ENCRYPTION : RTP_ENCRYPTION;
        byte[] key = derive(masterKey, masterSalt, base, masterKey.length);
        byte[] salt = derive(masterKey, masterSalt, base + 2, masterSalt.length);
        byte[] auth = aead ? null : derive(masterKey, masterSalt, base + 1, AUTH_KEY_LENGTH);
        return new SessionKeys(key, salt, auth);
    }

    /**
     * PRF_n(k_master, x) where x = (label || r) XOR master_salt, r = 0 (RFC 3711 section 4.3.1): AES in
     * counter mode with IV = x * 2^16, keystream truncated to {@code length} bytes.
     */
    public static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] block = new byte[16];
        System.arraycopy(masterSalt, 0, block, 0, masterSalt.length);
        // key_id = label || r is 7 bytes, right-aligned in the 14-byte salt: the label sits at byte 7.
        block[7] ^= (byte) label;
        int blocks = (length + 15) / 16;
        byte[] counters = new byte[blocks * 16];
        for (int i = 0; i < blocks; i++) {
            System.arraycopy(block, 0, counters, i * 16, 14);
            counters[i * 16 + 14] = (byte) (i >>> 8);
            counters[i * 16 + 15] = (byte) i;
        }
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            byte[] stream = aes.doFinal(counters);
            byte[] out = new byte[length];
            System.arraycopy(stream, 0, out, 0, length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }
}
