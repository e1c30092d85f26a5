package org.rtc4j.rtp.srtp.internal;

/**
 * The cryptographic transform of one of SRTP or SRTCP under one profile: encryption and authentication in
 * place in the caller's array. Index and replay bookkeeping live in the caller; this class only seals and
 * opens. Not thread-safe: it reuses its cipher and scratch buffers.
 */
public abstract class SrtpTransform {

    /** Encrypts the payload after {@code header} bytes and appends the tag; returns the new length. */
    public abstract int protectRtp(byte[] buf, int off, int len, int header, int ssrc, long index);

    /** Authenticates and decrypts; returns the plaintext length, or -1 when authentication fails. */
    public abstract int unprotectRtp(byte[] buf, int off, int len, int header, int ssrc, long index);

    /**
     * As {@link #protectRtp(byte[], int, int, int, int, long)}, reading {@code in} and writing {@code out} (which
     * must not overlap unless they are the same region). This default copies, then transforms in place.
     */
    public int protectRtp(byte[] in, int inOff, int len, int header, byte[] out, int outOff, int ssrc, long index) {
        System.arraycopy(in, inOff, out, outOff, len);
        return protectRtp(out, outOff, len, header, ssrc, index);
    }

    /** As {@link #unprotectRtp(byte[], int, int, int, int, long)} from {@code in} into {@code out}. */
    public int unprotectRtp(byte[] in, int inOff, int len, int header, byte[] out, int outOff, int ssrc,
                            long index) {
        System.arraycopy(in, inOff, out, outOff, len);
        return unprotectRtp(out, outOff, len, header, ssrc, index);
    }

    /**
     * Encrypts everything after the 8-byte first header with the 31-bit SRTCP {@code index}, appends the E flag
     * and index and the tag; returns the new length.
     */
    public abstract int protectRtcp(byte[] buf, int off, int len, int ssrc, int index);

    /** The E flag and SRTCP index word of a protected packet, or -1 when the packet is too short to hold one. */
    public abstract long rtcpIndexWord(byte[] buf, int off, int len);

    /** Authenticates and (when the E flag is set) decrypts; returns the RTCP length, or -1. */
    public abstract int unprotectRtcp(byte[] buf, int off, int len, int ssrc, long indexWord);

    /** Bytes a protected RTP packet carries beyond the plaintext. */
    public abstract int rtpOverhead();

    /** Bytes a protected RTCP packet carries beyond the plaintext. */
    public abstract int rtcpOverhead();

    static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static long getInt(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8)
                | (b[off + 3] & 0xFF);
    }

    /** Compares in time independent of where the arrays differ, so tags cannot be guessed byte by byte. */
    static boolean constantTimeEquals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }
}
