package org.rtc4j.rtp.srtp.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128 in counter mode with HMAC-SHA1 (RFC 3711 sections 4.1.1 and 4.2.1). SRTP's IV is a 128-bit counter
 * block whose low 16 bits count blocks, which is the JDK's AES/CTR for any packet under 1 MiB: one reused
 * cipher, re-initialised per packet (the IvParameterSpec is the only allocation), so the JDK's pipelined CTR
 * intrinsic does the work (about three times faster than encrypting counter blocks through ECB here).
 */
public final class AesCmHmacTransform extends SrtpTransform {

    private static final int SRTCP_TAG = 10;

    private final Cipher aes;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final HmacSha1 mac;
    private final int rtpTag;
    private final byte[] iv = new byte[16];
    private final byte[] tag = new byte[HmacSha1.LENGTH];

    public AesCmHmacTransform(SessionKeys keys, int rtpTagLength) {
        try {
            aes = Cipher.getInstance("AES/CTR/NoPadding");
            key = new SecretKeySpec(keys.encryptionKey(), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
        this.salt = keys.salt().clone();
        this.mac = new HmacSha1(keys.authKey());
        this.rtpTag = rtpTagLength;
    }

    @Override
    public int rtpOverhead() {
        return rtpTag;
    }

    @Override
    public int rtcpOverhead() {
        return 4 + SRTCP_TAG;
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int header, int ssrc, long index) {
        crypt(buf, off + header, len - header, ssrc, index);
        // RFC 3711 4.2: the tag covers the header, the encrypted payload and the ROC.
        mac.compute(buf, off, len, true, index >>> 16, tag);
        System.arraycopy(tag, 0, buf, off + len, rtpTag);
        return len + rtpTag;
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int header, int ssrc, long index) {
        int body = len - rtpTag;
        if (body < header) {
            return -1;
        }
        mac.compute(buf, off, body, true, index >>> 16, tag);
        if (!constantTimeEquals(tag, 0, buf, off + body, rtpTag)) {
            return -1;
        }
        crypt(buf, off + header, body - header, ssrc, index);
        return body;
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
        crypt(buf, off + 8, len - 8, ssrc, index);
        // RFC 3711 3.4: E flag and index follow the payload, the tag covers them too.
        putInt(buf, off + len, 0x8000_0000L | index);
        mac.compute(buf, off, len + 4, false, 0, tag);
        System.arraycopy(tag, 0, buf, off + len + 4, SRTCP_TAG);
        return len + 4 + SRTCP_TAG;
    }

    @Override
    public long rtcpIndexWord(byte[] buf, int off, int len) {
        if (len < 8 + 4 + SRTCP_TAG) {
            return -1;
        }
        return getInt(buf, off + len - SRTCP_TAG - 4);
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, long indexWord) {
        int body = len - SRTCP_TAG;
        mac.compute(buf, off, body, false, 0, tag);
        if (!constantTimeEquals(tag, 0, buf, off + body, SRTCP_TAG)) {
            return -1;
        }
        int plain = body - 4;
        if ((indexWord & 0x8000_0000L) != 0) {
            crypt(buf, off + 8, plain - 8, ssrc, indexWord & 0x7FFF_FFFFL);
        }
        return plain;
    }

    /** XORs the AES-CM key stream for (ssrc, index) into {@code buf[from, from+len)}. */
    private void crypt(byte[] buf, int from, int len, int ssrc, long index) {
        if (len <= 0) {
            return;
        }
        // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16) (RFC 3711 section 4.1.1).
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
        iv[14] = 0;
        iv[15] = 0;
        try {
            aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            aes.doFinal(buf, from, len, buf, from);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
