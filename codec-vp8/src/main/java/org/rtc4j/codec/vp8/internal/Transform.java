package org.rtc4j.codec.vp8.internal;

/**
 * The inverse transforms of RFC 6386 section 14: the Walsh-Hadamard transform of the second-order
 * luma DC block and the 4x4 inverse DCT added to the prediction. Intermediate values are kept to
 * 16 bits as the RFC requires (section 14.4).
 */
final class Transform {

    private static final int COS_MINUS_1 = 20091; // sqrt(2) * cos(pi/8) - 1, in 16-bit fixed point
    private static final int SIN = 35468; // sqrt(2) * sin(pi/8), in 16-bit fixed point

    private final int[] tmp = new int[16];

    /** RFC 6386 section 14.3: inverts the Y2 block at in[off..off+15] into the DC of the 16 luma blocks. */
    void inverseWht(int[] c, int off) {
        int[] t = tmp;
        for (int i = 0; i < 4; i++) {
            int a1 = c[off + i] + c[off + 12 + i];
            int b1 = c[off + 4 + i] + c[off + 8 + i];
            int c1 = c[off + 4 + i] - c[off + 8 + i];
            int d1 = c[off + i] - c[off + 12 + i];
            t[i] = (short) (a1 + b1);
            t[4 + i] = (short) (c1 + d1);
            t[8 + i] = (short) (a1 - b1);
            t[12 + i] = (short) (d1 - c1);
        }
        for (int i = 0; i < 4; i++) {
            int a1 = t[4 * i] + t[4 * i + 3];
            int b1 = t[4 * i + 1] + t[4 * i + 2];
            int c1 = t[4 * i + 1] - t[4 * i + 2];
            int d1 = t[4 * i] - t[4 * i + 3];
            // luma block b's DC sits at c[b * 16]
            c[(4 * i) * 16] = (short) ((a1 + b1 + 3) >> 3);
            c[(4 * i + 1) * 16] = (short) ((c1 + d1 + 3) >> 3);
            c[(4 * i + 2) * 16] = (short) ((a1 - b1 + 3) >> 3);
            c[(4 * i + 3) * 16] = (short) ((d1 - c1 + 3) >> 3);
        }
    }

    /** RFC 6386 section 14.4: adds the inverse DCT of c[off..off+15] to the 4x4 block at dst[pos]. */
    void inverseDctAdd(int[] c, int off, byte[] dst, int pos, int stride) {
        int[] t = tmp;
        for (int i = 0; i < 4; i++) {
            int i0 = c[off + i];
            int i4 = c[off + 4 + i];
            int i8 = c[off + 8 + i];
            int i12 = c[off + 12 + i];
            int a1 = i0 + i8;
            int b1 = i0 - i8;
            int c1 = ((i4 * SIN) >> 16) - (i12 + ((i12 * COS_MINUS_1) >> 16));
            int d1 = (i4 + ((i4 * COS_MINUS_1) >> 16)) + ((i12 * SIN) >> 16);
            t[i] = (short) (a1 + d1);
            t[12 + i] = (short) (a1 - d1);
            t[4 + i] = (short) (b1 + c1);
            t[8 + i] = (short) (b1 - c1);
        }
        for (int i = 0; i < 4; i++) {
            int r0 = t[4 * i];
            int r1 = t[4 * i + 1];
            int r2 = t[4 * i + 2];
            int r3 = t[4 * i + 3];
            int a1 = r0 + r2;
            int b1 = r0 - r2;
            int c1 = ((r1 * SIN) >> 16) - (r3 + ((r3 * COS_MINUS_1) >> 16));
            int d1 = (r1 + ((r1 * COS_MINUS_1) >> 16)) + ((r3 * SIN) >> 16);
            int p = pos + i * stride;
            dst[p] = clamp((dst[p] & 0xff) + (short) ((a1 + d1 + 4) >> 3));
            dst[p + 1] = clamp((dst[p + 1] & 0xff) + (short) ((b1 + c1 + 4) >> 3));
            dst[p + 2] = clamp((dst[p + 2] & 0xff) + (short) ((b1 - c1 + 4) >> 3));
            dst[p + 3] = clamp((dst[p + 3] & 0xff) + (short) ((a1 - d1 + 4) >> 3));
        }
    }

    /** The inverse DCT of a block whose only non-zero coefficient is the DC. */
    static void dcOnlyAdd(int dc, byte[] dst, int pos, int stride) {
        int d = (dc + 4) >> 3;
        for (int i = 0; i < 4; i++) {
            int p = pos + i * stride;
            dst[p] = clamp((dst[p] & 0xff) + d);
            dst[p + 1] = clamp((dst[p + 1] & 0xff) + d);
            dst[p + 2] = clamp((dst[p + 2] & 0xff) + d);
            dst[p + 3] = clamp((dst[p + 3] & 0xff) + d);
        }
    }

    static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }
}
