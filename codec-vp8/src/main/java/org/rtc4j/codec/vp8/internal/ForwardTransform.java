package org.rtc4j.codec.vp8.internal;

/**
 * Forward transforms for the encoder, scaled to match the inverses of RFC 6386 section 14: a
 * 4x4 DCT whose DC is eight times the block's mean (the inverse divides by eight), and the
 * Walsh-Hadamard transform of the 16 luma DCs, half the plain Hadamard product (the inverse
 * applies the same matrix and divides by eight).
 */
final class ForwardTransform {

    // cos(pi/8) * sqrt(2) and sin(pi/8) * sqrt(2), in 12-bit fixed point.
    private static final int C = 5352;
    private static final int S = 2217;

    private final int[] t = new int[16];

    /** The DCT of the 4x4 residue in r[off..off+15] (rows of 4) into out[o..o+15], raster order. */
    void dct(int[] r, int off, int[] out, int o) {
        int[] t = this.t;
        for (int i = 0; i < 4; i++) {
            int p = off + 4 * i;
            int a = (r[p] + r[p + 3]) * 8;
            int b = (r[p + 1] + r[p + 2]) * 8;
            int c = (r[p + 1] - r[p + 2]) * 8;
            int d = (r[p] - r[p + 3]) * 8;
            t[4 * i] = a + b;
            t[4 * i + 2] = a - b;
            t[4 * i + 1] = (c * S + d * C + 14500) >> 12;
            t[4 * i + 3] = (d * S - c * C + 7500) >> 12;
        }
        for (int i = 0; i < 4; i++) {
            int a = t[i] + t[12 + i];
            int b = t[4 + i] + t[8 + i];
            int c = t[4 + i] - t[8 + i];
            int d = t[i] - t[12 + i];
            out[o + i] = (a + b + 7) >> 4;
            out[o + 8 + i] = (a - b + 7) >> 4;
            out[o + 4 + i] = ((c * S + d * C + 12000) >> 16) + (d != 0 ? 1 : 0);
            out[o + 12 + i] = (d * S - c * C + 51000) >> 16;
        }
    }

    /** The WHT of the 16 DCs in dc[0..15] (block raster order) into out[o..o+15]. */
    void wht(int[] dc, int[] out, int o) {
        int[] t = this.t;
        for (int i = 0; i < 4; i++) {
            int a = dc[4 * i] + dc[4 * i + 3];
            int b = dc[4 * i + 1] + dc[4 * i + 2];
            int c = dc[4 * i + 1] - dc[4 * i + 2];
            int d = dc[4 * i] - dc[4 * i + 3];
            t[4 * i] = a + b;
            t[4 * i + 1] = c + d;
            t[4 * i + 2] = a - b;
            t[4 * i + 3] = d - c;
        }
        for (int i = 0; i < 4; i++) {
            int a = t[i] + t[12 + i];
            int b = t[4 + i] + t[8 + i];
            int c = t[4 + i] - t[8 + i];
            int d = t[i] - t[12 + i];
            out[o + i] = half(a + b);
            out[o + 4 + i] = half(c + d);
            out[o + 8 + i] = half(a - b);
            out[o + 12 + i] = half(d - c);
        }
    }

    private static int half(int v) {
        return (v + (v > 0 ? 1 : 0)) >> 1;
    }
}
