package org.rtc4j.codec.vp8.internal;

/**
 * Motion-compensated prediction (RFC 6386 section 18): blocks copied from a reference frame at a
 * motion vector in eighth pixels, through the six-tap filter (version 0) or the bilinear filter
 * (versions 1 to 3). The reference extends beyond its edges by repeating them; vectors reaching
 * past the stored border read from a small block built by clamping coordinates.
 */
final class InterPredictor {

    /** RFC 6386 section 18.3: six-tap filters by eighth-pixel position. */
    private static final int[][] SIXTAP = {
        {0, 0, 128, 0, 0, 0},
        {0, -6, 123, 12, -1, 0},
        {2, -11, 108, 36, -8, 1},
        {0, -9, 93, 50, -6, 0},
        {3, -16, 77, 77, -16, 3},
        {0, -6, 50, 93, -9, 0},
        {1, -8, 36, 108, -11, 2},
        {0, -1, 12, 123, -6, 0}
    };

    private static final int EMU_STRIDE = 32;

    private final byte[] emu = new byte[EMU_STRIDE * 24];
    private final int[] tmp = new int[16 * 21];
    private boolean bilinear;

    void setBilinear(boolean bilinear) {
        this.bilinear = bilinear;
    }

    /**
     * Predicts the w x h block at (x, y) of a plane into dst[dstPos]. ref holds the reference
     * plane with pixel (0, 0) at origin; planeW and planeH are the plane's size, border the
     * width of its repeated edge.
     */
    void predict(byte[] ref, int origin, int stride, int planeW, int planeH, int border,
            byte[] dst, int dstPos, int dstStride, int x, int y, int w, int h, int mvx, int mvy) {
        int ix = x + (mvx >> 3);
        int iy = y + (mvy >> 3);
        int fx = mvx & 7;
        int fy = mvy & 7;
        byte[] src;
        int srcPos;
        int srcStride;
        if (ix - 2 >= -border && ix + w + 3 <= planeW + border
                && iy - 2 >= -border && iy + h + 3 <= planeH + border) {
            src = ref;
            srcStride = stride;
            srcPos = origin + iy * stride + ix;
        } else {
            byte[] e = emu;
            for (int r = 0; r < h + 5; r++) {
                int sy = clamp(iy - 2 + r, planeH - 1);
                int row = origin + sy * stride;
                for (int c = 0; c < w + 5; c++) {
                    e[r * EMU_STRIDE + c] = ref[row + clamp(ix - 2 + c, planeW - 1)];
                }
            }
            src = e;
            srcStride = EMU_STRIDE;
            srcPos = 2 * EMU_STRIDE + 2;
        }
        if ((fx | fy) == 0) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(src, srcPos + r * srcStride, dst, dstPos + r * dstStride, w);
            }
        } else if (bilinear) {
            bilinear(src, srcPos, srcStride, dst, dstPos, dstStride, w, h, fx, fy);
        } else {
            sixtap(src, srcPos, srcStride, dst, dstPos, dstStride, w, h, fx, fy);
        }
    }

    private static int clamp(int v, int max) {
        return v < 0 ? 0 : v > max ? max : v;
    }

    private void sixtap(byte[] s, int sp, int ss, byte[] d, int dp, int ds, int w, int h, int fx, int fy) {
        if (fy == 0) {
            int[] f = SIXTAP[fx];
            for (int r = 0; r < h; r++) {
                int o = sp + r * ss;
                int q = dp + r * ds;
                for (int c = 0; c < w; c++) {
                    d[q + c] = Transform.clamp(horizontal(s, o + c, f));
                }
            }
            return;
        }
        int[] g = SIXTAP[fy];
        if (fx == 0) {
            for (int r = 0; r < h; r++) {
                int o = sp + r * ss;
                int q = dp + r * ds;
                for (int c = 0; c < w; c++) {
                    int i = o + c;
                    int v = (s[i - 2 * ss] & 0xff) * g[0] + (s[i - ss] & 0xff) * g[1] + (s[i] & 0xff) * g[2]
                            + (s[i + ss] & 0xff) * g[3] + (s[i + 2 * ss] & 0xff) * g[4]
                            + (s[i + 3 * ss] & 0xff) * g[5];
                    d[q + c] = Transform.clamp((v + 64) >> 7);
                }
            }
            return;
        }
        int[] f = SIXTAP[fx];
        int[] t = tmp;
        // first pass: rows -2 to h + 2, horizontally
        for (int r = 0; r < h + 5; r++) {
            int o = sp + (r - 2) * ss;
            for (int c = 0; c < w; c++) {
                int v = horizontal(s, o + c, f);
                t[r * 16 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
            }
        }
        for (int r = 0; r < h; r++) {
            int q = dp + r * ds;
            for (int c = 0; c < w; c++) {
                int i = (r + 2) * 16 + c;
                int v = t[i - 32] * g[0] + t[i - 16] * g[1] + t[i] * g[2] + t[i + 16] * g[3]
                        + t[i + 32] * g[4] + t[i + 48] * g[5];
                d[q + c] = Transform.clamp((v + 64) >> 7);
            }
        }
    }

    private static int horizontal(byte[] s, int i, int[] f) {
        int v = (s[i - 2] & 0xff) * f[0] + (s[i - 1] & 0xff) * f[1] + (s[i] & 0xff) * f[2]
                + (s[i + 1] & 0xff) * f[3] + (s[i + 2] & 0xff) * f[4] + (s[i + 3] & 0xff) * f[5];
        return (v + 64) >> 7;
    }

    /** RFC 6386 section 18.3: the bilinear filter, horizontally then vertically. */
    private void bilinear(byte[] s, int sp, int ss, byte[] d, int dp, int ds, int w, int h, int fx, int fy) {
        int h0 = 128 - 16 * fx;
        int h1 = 16 * fx;
        int v0 = 128 - 16 * fy;
        int v1 = 16 * fy;
        int[] t = tmp;
        for (int r = 0; r < h + 1; r++) {
            int o = sp + r * ss;
            for (int c = 0; c < w; c++) {
                t[r * 16 + c] = ((s[o + c] & 0xff) * h0 + (s[o + c + 1] & 0xff) * h1 + 64) >> 7;
            }
        }
        for (int r = 0; r < h; r++) {
            int q = dp + r * ds;
            for (int c = 0; c < w; c++) {
                int i = r * 16 + c;
                d[q + c] = (byte) ((t[i] * v0 + t[i + 16] * v1 + 64) >> 7);
            }
        }
    }
}
