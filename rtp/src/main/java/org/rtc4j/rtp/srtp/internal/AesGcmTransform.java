package org.rtc4j.rtp.srtp.internal;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a 16-byte tag (RFC 7714). One reused {@link Cipher}; the only per-packet allocation is the
 * {@link GCMParameterSpec} that javax.crypto requires for each new IV.
 */
public final class AesGcmTransform extends SrtpTransform {

    private static final int TAG = 16;

    private final Cipher gcm;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final byte[] iv = new byte[12];
    private final byte[] word = new byte[4];

    public AesGcmTransform(SessionKeys keys) {
        try {
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
        key = new SecretKeySpec(keys.encryptionKey(), "AES");
        salt = keys.salt().clone();
    }

    @Override
    public int rtpOverhead() {
        return TAG;
    }

    @Override
    public int rtcpOverhead() {
        return TAG + 4;
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int header, int ssrc, long index) {
        return protectRtp(buf, off, len, header, buf, off, ssrc, index);
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int header, int ssrc, long index) {
        return unprotectRtp(buf, off, len, header, buf, off, ssrc, index);
    }

    /**
     * Separate input and output spare javax.crypto the copy it makes of an input that overlaps its output; in
     * place ({@code in == out}, same offset) works too.
     */
    @Override
    public int protectRtp(byte[] in, int inOff, int len, int header, byte[] out, int outOff, int ssrc, long index) {
        rtpIv(ssrc, index);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, iv));
            // RFC 7714 section 8.1: the header (with CSRCs and extension) is the associated data.
            gcm.updateAAD(in, inOff, header);
            if (in != out || inOff != outOff) {
                System.arraycopy(in, inOff, out, outOff, header);
            }
            return header + gcm.doFinal(in, inOff + header, len - header, out, outOff + header);
        } catch (java.security.InvalidAlgorithmParameterException e) {
            // javax.crypto refuses to encrypt twice with one IV: the same SSRC and index protected again.
            throw new IllegalStateException("packet index " + index + " of SSRC " + Integer.toUnsignedString(ssrc)
                    + " was already protected (GCM must not reuse an IV)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int unprotectRtp(byte[] in, int inOff, int len, int header, byte[] out, int outOff, int ssrc,
                            long index) {
        if (len - header < TAG) {
            return -1;
        }
        rtpIv(ssrc, index);
        try {
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, iv));
            gcm.updateAAD(in, inOff, header);
            int plain = gcm.doFinal(in, inOff + header, len - header, out, outOff + header);
            if (in != out || inOff != outOff) {
                System.arraycopy(in, inOff, out, outOff, header);
            }
            return header + plain;
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
        rtcpIv(ssrc, index);
        long indexWord = 0x8000_0000L | index;
        putInt(word, 0, indexWord);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, iv));
            // RFC 7714 section 9.1: AAD is the first 8 bytes and the E flag with the index, which follows the tag.
            gcm.updateAAD(buf, off, 8);
            gcm.updateAAD(word);
            int sealed = gcm.doFinal(buf, off + 8, len - 8, buf, off + 8);
            putInt(buf, off + 8 + sealed, indexWord);
            return 8 + sealed + 4;
        } catch (java.security.InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("SRTCP index " + index + " was already used (GCM must not reuse an IV)",
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long rtcpIndexWord(byte[] buf, int off, int len) {
        if (len < 8 + TAG + 4) {
            return -1;
        }
        return getInt(buf, off + len - 4);
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, long indexWord) {
        rtcpIv(ssrc, indexWord & 0x7FFF_FFFFL);
        putInt(word, 0, indexWord);
        int sealedEnd = len - 4;
        try {
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, iv));
            if ((indexWord & 0x8000_0000L) != 0) {
                gcm.updateAAD(buf, off, 8);
                gcm.updateAAD(word);
                return 8 + gcm.doFinal(buf, off + 8, sealedEnd - 8, buf, off + 8);
            }
            // E = 0 (RFC 7714 section 9.2): the whole packet is associated data, only the tag is "ciphertext".
            int plain = sealedEnd - TAG;
            gcm.updateAAD(buf, off, plain);
            gcm.updateAAD(word);
            gcm.doFinal(buf, off + plain, TAG, buf, off + plain);
            return plain;
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** IV = (0x0000 || SSRC || ROC || SEQ) XOR salt (RFC 7714 section 8.1). */
    private void rtpIv(int ssrc, long index) {
        iv[0] = salt[0];
        iv[1] = salt[1];
        iv[2] = (byte) (salt[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (salt[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (salt[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (salt[5] ^ ssrc);
        iv[6] = (byte) (salt[6] ^ (index >>> 40));
        iv[7] = (byte) (salt[7] ^ (index >>> 32));
        iv[8] = (byte) (salt[8] ^ (index >>> 24));
        iv[9] = (byte) (salt[9] ^ (index >>> 16));
        iv[10] = (byte) (salt[10] ^ (index >>> 8));
        iv[11] = (byte) (salt[11] ^ index);
    }

    /** IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt (RFC 7714 section 9.1). */
    private void rtcpIv(int ssrc, long index) {
        iv[0] = salt[0];
        iv[1] = salt[1];
        iv[2] = (byte) (salt[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (salt[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (salt[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (salt[5] ^ ssrc);
        iv[6] = salt[6];
        iv[7] = salt[7];
        iv[8] = (byte) (salt[8] ^ (index >>> 24));
        iv[9] = (byte) (salt[9] ^ (index >>> 16));
        iv[10] = (byte) (salt[10] ^ (index >>> 8));
        iv[11] = (byte) (salt[11] ^ index);
    }
}
