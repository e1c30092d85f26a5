package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.*;

/**
 * Intra prediction (RFC 6386 section 12) from the current frame's not yet loop-filtered pixels.
 * Outside the frame the row above is 127 and the column on the left 129 (section 12.2); the
 * pixels above and to the right of a macroblock's last column repeat its row above's last pixel
 * (section 12.3).
 */
final class IntraPredictor {

    /** Above row: [0] the corner, then up to 16 pixels, then 4 above-right. */
    private final int[] above = new int[21];
    private final int[] left = new int[16];
    /** Subblock edge, as RFC 6386's E: L[3], L[2], L[1], L[0], P, A[0..7]. */
    private final int[] e = new int[13];

    private void loadEdges(byte[] p, int pos, int stride, int n, boolean haveAbove, boolean haveLeft,
            boolean lastColumn) {
        int[] a = above;
        if (haveAbove) {
            int r = pos - stride;
            a[0] = haveLeft ? p[r - 1] & 0xff : 129;
            for (int i = 0; i < n; i++) {
                a[1 + i] = p[r + i] & 0xff;
            }
            if (n == 16) {
                for (int i = 0; i < 4; i++) {
                    a[17 + i] = lastColumn ? a[16] : p[r + 16 + i] & 0xff;
                }
            }
        } else {
            java.util.Arrays.fill(a, 127);
        }
        for (int i = 0; i < n; i++) {
            left[i] = haveLeft ? p[pos + i * stride - 1] & 0xff : 129;
        }
    }

    /** Predicts a 16x16 luma or 8x8 chroma block with DC_PRED, V_PRED, H_PRED or TM_PRED. */
    void predictBlock(int mode, byte[] p, int pos, int stride, int n, boolean haveAbove, boolean haveLeft) {
        loadEdges(p, pos, stride, n, haveAbove, haveLeft, false);
        int[] a = above;
        int[] l = left;
        switch (mode) {
            case V_PRED -> {
                for (int r = 0; r < n; r++) {
                    int o = pos + r * stride;
                    for (int c = 0; c < n; c++) {
                        p[o + c] = (byte) a[1 + c];
                    }
                }
            }
            case H_PRED -> {
                for (int r = 0; r < n; r++) {
                    java.util.Arrays.fill(p, pos + r * stride, pos + r * stride + n, (byte) l[r]);
                }
            }
            case TM_PRED -> {
                for (int r = 0; r < n; r++) {
                    int o = pos + r * stride;
                    int d = l[r] - a[0];
                    for (int c = 0; c < n; c++) {
                        p[o + c] = Transform.clamp(d + a[1 + c]);
                    }
                }
            }
            default -> {
                int shift = n == 16 ? 4 : 3;
                int dc;
                if (haveAbove && haveLeft) {
                    int s = 0;
                    for (int i = 0; i < n; i++) {
                        s += a[1 + i] + l[i];
                    }
                    dc = (s + n) >> (shift + 1);
                } else if (haveAbove || haveLeft) {
                    int s = 0;
                    for (int i = 0; i < n; i++) {
                        s += haveAbove ? a[1 + i] : l[i];
                    }
                    dc = (s + (n >> 1)) >> shift;
                } else {
                    dc = 128;
                }
                for (int r = 0; r < n; r++) {
                    java.util.Arrays.fill(p, pos + r * stride, pos + r * stride + n, (byte) dc);
                }
            }
        }
    }

    /** Loads the macroblock's edges before its subblocks are predicted one by one. */
    void startSubblocks(byte[] p, int pos, int stride, boolean haveAbove, boolean haveLeft, boolean lastColumn) {
        loadEdges(p, pos, stride, 16, haveAbove, haveLeft, lastColumn);
    }

    /** RFC 6386 section 12.3: predicts subblock b (0-15) of the macroblock at p[mbPos]. */
    void predictSubblock(int mode, byte[] p, int mbPos, int stride, int b) {
        int bx = b & 3;
        int by = b >> 2;
        int pos = mbPos + by * 4 * stride + bx * 4;
        int[] e = this.e;
        int[] a = above;
        // left column
        for (int i = 0; i < 4; i++) {
            e[3 - i] = bx == 0 ? left[by * 4 + i] : p[pos + i * stride - 1] & 0xff;
        }
        // corner
        if (by == 0) {
            e[4] = a[bx * 4];
        } else {
            e[4] = bx == 0 ? left[by * 4 - 1] : p[pos - stride - 1] & 0xff;
        }
        // above and above-right
        for (int i = 0; i < 8; i++) {
            int v;
            if (by == 0) {
                v = a[1 + bx * 4 + i];
            } else if (i >= 4 && bx == 3) {
                v = a[13 + i];
            } else {
                v = p[pos - stride + i] & 0xff;
            }
            e[5 + i] = v;
        }
        predict4x4(mode, e, p, pos, stride);
    }

    private static int avg3(int x, int y, int z) {
        return (x + y + y + z + 2) >> 2;
    }

    private static int avg2(int x, int y) {
        return (x + y + 1) >> 1;
    }

    private static void put(byte[] p, int pos, int stride, int r, int c, int v) {
        p[pos + r * stride + c] = (byte) v;
    }

    /** The ten subblock modes of RFC 6386 section 12.3; e is L[3..0], P, A[0..7]. */
    private static void predict4x4(int mode, int[] e, byte[] p, int pos, int s) {
        // A[i] = e[5 + i], L[i] = e[3 - i], P = e[4]
        switch (mode) {
            case B_DC_PRED -> {
                int v = 4;
                for (int i = 0; i < 4; i++) {
                    v += e[5 + i] + e[3 - i];
                }
                fill(p, pos, s, v >> 3);
            }
            case B_TM_PRED -> {
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        p[pos + r * s + c] = Transform.clamp(e[3 - r] + e[5 + c] - e[4]);
                    }
                }
            }
            case B_VE_PRED -> {
                for (int c = 0; c < 4; c++) {
                    int v = avg3(e[4 + c], e[5 + c], e[6 + c]);
                    for (int r = 0; r < 4; r++) {
                        put(p, pos, s, r, c, v);
                    }
                }
            }
            case B_HE_PRED -> {
                // L[-1] is P: rows use avg3(L[r-1], L[r], L[r+1]); the last repeats L[3].
                for (int r = 0; r < 4; r++) {
                    int v = r < 3 ? avg3(e[4 - r], e[3 - r], e[2 - r]) : avg3(e[1], e[0], e[0]);
                    for (int c = 0; c < 4; c++) {
                        put(p, pos, s, r, c, v);
                    }
                }
            }
            case B_LD_PRED -> {
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        int i = r + c; // A + i + 1 centre
                        int v = i < 6 ? avg3(e[5 + i], e[6 + i], e[7 + i]) : avg3(e[11], e[12], e[12]);
                        put(p, pos, s, r, c, v);
                    }
                }
            }
            case B_RD_PRED -> {
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        int i = 4 - r + c; // E + i centre
                        put(p, pos, s, r, c, avg3(e[i - 1], e[i], e[i + 1]));
                    }
                }
            }
            case B_VR_PRED -> {
                put(p, pos, s, 3, 0, avg3(e[1], e[2], e[3]));
                put(p, pos, s, 2, 0, avg3(e[2], e[3], e[4]));
                int v = avg3(e[3], e[4], e[5]);
                put(p, pos, s, 3, 1, v);
                put(p, pos, s, 1, 0, v);
                v = avg2(e[4], e[5]);
                put(p, pos, s, 2, 1, v);
                put(p, pos, s, 0, 0, v);
                v = avg3(e[4], e[5], e[6]);
                put(p, pos, s, 3, 2, v);
                put(p, pos, s, 1, 1, v);
                v = avg2(e[5], e[6]);
                put(p, pos, s, 2, 2, v);
                put(p, pos, s, 0, 1, v);
                v = avg3(e[5], e[6], e[7]);
                put(p, pos, s, 3, 3, v);
                put(p, pos, s, 1, 2, v);
                v = avg2(e[6], e[7]);
                put(p, pos, s, 2, 3, v);
                put(p, pos, s, 0, 2, v);
                put(p, pos, s, 1, 3, avg3(e[6], e[7], e[8]));
                put(p, pos, s, 0, 3, avg2(e[7], e[8]));
            }
            case B_VL_PRED -> {
                // A[i] = e[5 + i]
                put(p, pos, s, 0, 0, avg2(e[5], e[6]));
                put(p, pos, s, 1, 0, avg3(e[5], e[6], e[7]));
                int v = avg2(e[6], e[7]);
                put(p, pos, s, 2, 0, v);
                put(p, pos, s, 0, 1, v);
                v = avg3(e[6], e[7], e[8]);
                put(p, pos, s, 1, 1, v);
                put(p, pos, s, 3, 0, v);
                v = avg2(e[7], e[8]);
                put(p, pos, s, 2, 1, v);
                put(p, pos, s, 0, 2, v);
                v = avg3(e[7], e[8], e[9]);
                put(p, pos, s, 3, 1, v);
                put(p, pos, s, 1, 2, v);
                v = avg2(e[8], e[9]);
                put(p, pos, s, 2, 2, v);
                put(p, pos, s, 0, 3, v);
                v = avg3(e[8], e[9], e[10]);
                put(p, pos, s, 3, 2, v);
                put(p, pos, s, 1, 3, v);
                put(p, pos, s, 2, 3, avg3(e[9], e[10], e[11]));
                put(p, pos, s, 3, 3, avg3(e[10], e[11], e[12]));
            }
            case B_HD_PRED -> {
                put(p, pos, s, 3, 0, avg2(e[0], e[1]));
                put(p, pos, s, 3, 1, avg3(e[0], e[1], e[2]));
                int v = avg2(e[1], e[2]);
                put(p, pos, s, 2, 0, v);
                put(p, pos, s, 3, 2, v);
                v = avg3(e[1], e[2], e[3]);
                put(p, pos, s, 2, 1, v);
                put(p, pos, s, 3, 3, v);
                v = avg2(e[2], e[3]);
                put(p, pos, s, 2, 2, v);
                put(p, pos, s, 1, 0, v);
                v = avg3(e[2], e[3], e[4]);
                put(p, pos, s, 2, 3, v);
                put(p, pos, s, 1, 1, v);
                v = avg2(e[3], e[4]);
                put(p, pos, s, 1, 2, v);
                put(p, pos, s, 0, 0, v);
                v = avg3(e[3], e[4], e[5]);
                put(p, pos, s, 1, 3, v);
                put(p, pos, s, 0, 1, v);
                put(p, pos, s, 0, 2, avg3(e[4], e[5], e[6]));
                put(p, pos, s, 0, 3, avg3(e[5], e[6], e[7]));
            }
            default -> { // B_HU_PRED; L[i] = e[3 - i]
                put(p, pos, s, 0, 0, avg2(e[3], e[2]));
                put(p, pos, s, 0, 1, avg3(e[3], e[2], e[1]));
                int v = avg2(e[2], e[1]);
                put(p, pos, s, 0, 2, v);
                put(p, pos, s, 1, 0, v);
                v = avg3(e[2], e[1], e[0]);
                put(p, pos, s, 0, 3, v);
                put(p, pos, s, 1, 1, v);
                v = avg2(e[1], e[0]);
                put(p, pos, s, 1, 2, v);
                put(p, pos, s, 2, 0, v);
                v = avg3(e[1], e[0], e[0]);
                put(p, pos, s, 1, 3, v);
                put(p, pos, s, 2, 1, v);
                int l3 = e[0];
                put(p, pos, s, 2, 2, l3);
                put(p, pos, s, 2, 3, l3);
                put(p, pos, s, 3, 0, l3);
                put(p, pos, s, 3, 1, l3);
                put(p, pos, s, 3, 2, l3);
                put(p, pos, s, 3, 3, l3);
            }
        }
    }

    private static void fill(byte[] p, int pos, int s, int v) {
        for (int r = 0; r < 4; r++) {
            java.util.Arrays.fill(p, pos + r * s, pos + r * s + 4, (byte) v);
        }
    }
}
