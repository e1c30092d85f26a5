package org.rtc4j.rtp.payload.internal;

import org.rtc4j.core.ParseException;

/** Little-endian base-128 integers of the AV1 bitstream and its RTP format (AV1 spec 4.10.5). */
final class Leb128 {

    private Leb128() {
    }

    /** Bytes {@code value} takes. */
    static int size(int value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    static int write(int value, byte[] dst, int off) {
        while ((value & ~0x7F) != 0) {
            dst[off++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        dst[off++] = (byte) value;
        return off;
    }

    /**
     * Reads one value at {@code pos[0]}, advancing it; at most 8 bytes (the spec's limit) and below 2^31 (no
     * length in a datagram comes near).
     */
    static int read(byte[] src, int[] pos, int end) throws ParseException {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            if (pos[0] >= end) {
                throw new ParseException("truncated leb128");
            }
            int b = src[pos[0]++] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value > Integer.MAX_VALUE) {
                    throw new ParseException("leb128 value too large");
                }
                return (int) value;
            }
        }
        throw new ParseException("leb128 longer than 8 bytes");
    }
}
