package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.*;

/**
 * Reconstructs a macroblock: its intra or inter prediction (RFC 6386 sections 12 and 18) plus
 * the inverse transform of its residue (section 14).
 */
final class MacroblockRecon {

    private final IntraPredictor intra = new IntraPredictor();
    private final InterPredictor inter = new InterPredictor();
    private final Transform transform = new Transform();
    private Picture cur;
    private Picture[] refs;
    private Macroblocks m;
    private boolean fullPixel;

    /** Version 0 uses the six-tap filter; 1 to 3 the bilinear one; 3 full-pixel chroma vectors. */
    void setVersion(int version) {
        inter.setBilinear(version != 0);
        fullPixel = version == 3;
    }

    void start(Picture cur, Picture[] refs, Macroblocks m) {
        this.cur = cur;
        this.refs = refs;
        this.m = m;
    }

    /** Reconstructs the macroblock at (col, row); res is null when it has no coefficients. */
    void reconstruct(int col, int row, Residuals res) {
        int mb = m.index(col, row);
        if (m.refFrame[mb] == INTRA_FRAME && m.yMode[mb] == B_PRED) {
            predictSubblocksAdding(col, row, res);
        } else {
            predict(col, row);
        }
        if (res != null) {
            addResidual(col, row, res);
        }
    }

    /**
     * Predicts the macroblock at (col, row) into the current picture; a B_PRED macroblock only
     * with subblocks that have no residue (each subblock predicts from its reconstructed neighbours).
     */
    void predict(int col, int row) {
        int mb = m.index(col, row);
        if (m.refFrame[mb] == INTRA_FRAME && m.yMode[mb] == B_PRED) {
            predictSubblocksAdding(col, row, null);
            return;
        }
        Picture p = cur;
        int mode = m.yMode[mb];
        int yPos = p.yOrigin + row * 16 * p.yStride + col * 16;
        int uvPos = p.uvOrigin + row * 8 * p.uvStride + col * 8;
        boolean top = row > 0;
        boolean left = col > 0;
        if (m.refFrame[mb] == INTRA_FRAME) {
            intra.predictBlock(mode, p.y, yPos, p.yStride, 16, top, left);
            predictChroma(mb, uvPos, top, left);
        } else {
            predictInter(m.refFrame[mb], mb, mode, col, row, yPos, uvPos);
        }
    }

    private void predictChroma(int mb, int uvPos, boolean top, boolean left) {
        Picture p = cur;
        int uvMode = m.uvMode[mb];
        intra.predictBlock(uvMode, p.u, uvPos, p.uvStride, 8, top, left);
        intra.predictBlock(uvMode, p.v, uvPos, p.uvStride, 8, top, left);
    }

    /** B_PRED: each luma subblock predicted, then its residue (res may be null) added; chroma predicted. */
    private void predictSubblocksAdding(int col, int row, Residuals res) {
        Picture p = cur;
        int mb = m.index(col, row);
        int yPos = p.yOrigin + row * 16 * p.yStride + col * 16;
        int uvPos = p.uvOrigin + row * 8 * p.uvStride + col * 8;
        boolean top = row > 0;
        boolean left = col > 0;
        intra.startSubblocks(p.y, yPos, p.yStride, top, left, col == m.cols - 1);
        for (int b = 0; b < 16; b++) {
            intra.predictSubblock(m.bModes[mb * 16 + b], p.y, yPos, p.yStride, b);
            if (res != null) {
                addBlock(res, b, p.y, yPos + (b >> 2) * 4 * p.yStride + (b & 3) * 4, p.yStride);
            }
        }
        predictChroma(mb, uvPos, top, left);
    }

    /** Adds a predicted macroblock's residue (the luma of B_PRED is added while predicting). */
    void addResidual(int col, int row, Residuals res) {
        Picture p = cur;
        int mb = m.index(col, row);
        int mode = m.yMode[mb];
        int yPos = p.yOrigin + row * 16 * p.yStride + col * 16;
        int uvPos = p.uvOrigin + row * 8 * p.uvStride + col * 8;
        if (mode != B_PRED) {
            if (mode != SPLITMV) {
                transform.inverseWht(res.coeffs, 24 * 16);
                java.util.Arrays.fill(res.coeffs, 24 * 16, 25 * 16, 0);
                for (int b = 0; b < 16; b++) {
                    res.eob[b] = Math.max(res.eob[b], 1); // the DC came from the Y2 block
                }
            }
            for (int b = 0; b < 16; b++) {
                addBlock(res, b, p.y, yPos + (b >> 2) * 4 * p.yStride + (b & 3) * 4, p.yStride);
            }
        }
        for (int b = 16; b < 24; b++) {
            byte[] plane = b < 20 ? p.u : p.v;
            int i = b & 3;
            addBlock(res, b, plane, uvPos + (i >> 1) * 4 * p.uvStride + (i & 1) * 4, p.uvStride);
        }
    }

    private void addBlock(Residuals res, int b, byte[] plane, int pos, int stride) {
        int e = res.eob[b];
        int[] c = res.coeffs;
        int o = b * 16;
        if (e > 1) {
            transform.inverseDctAdd(c, o, plane, pos, stride);
            java.util.Arrays.fill(c, o, o + 16, 0);
        } else if (e == 1) {
            if (c[o] != 0) {
                Transform.dcOnlyAdd(c[o], plane, pos, stride);
                c[o] = 0;
            }
        }
    }

    private void predictInter(int refIndex, int mb, int mode, int col, int row, int yPos, int uvPos) {
        Picture ref = refs[refIndex];
        Picture p = cur;
        int x = col * 16;
        int y = row * 16;
        int w = p.width;
        int h = p.height;
        if (mode != SPLITMV) {
            int mvx = m.mvx[mb];
            int mvy = m.mvy[mb];
            inter.predict(ref.y, ref.yOrigin, ref.yStride, w, h, Picture.BORDER, p.y, yPos, p.yStride,
                    x, y, 16, 16, mvx, mvy);
            // Chroma vectors: the luma vector halved, rounding away from zero (RFC 6386 section 18.2 and 18.3).
            int cx = (mvx + 1 + (mvx >> 31) * 2) / 2;
            int cy = (mvy + 1 + (mvy >> 31) * 2) / 2;
            if (fullPixel) {
                cx &= ~7;
                cy &= ~7;
            }
            inter.predict(ref.u, ref.uvOrigin, ref.uvStride, w / 2, h / 2, Picture.UV_BORDER, p.u, uvPos,
                    p.uvStride, x / 2, y / 2, 8, 8, cx, cy);
            inter.predict(ref.v, ref.uvOrigin, ref.uvStride, w / 2, h / 2, Picture.UV_BORDER, p.v, uvPos,
                    p.uvStride, x / 2, y / 2, 8, 8, cx, cy);
            return;
        }
        int[] bx = m.bMvx;
        int[] by = m.bMvy;
        int base = mb * 16;
        for (int b = 0; b < 16; b++) {
            int ox = (b & 3) * 4;
            int oy = (b >> 2) * 4;
            inter.predict(ref.y, ref.yOrigin, ref.yStride, w, h, Picture.BORDER, p.y,
                    yPos + oy * p.yStride + ox, p.yStride, x + ox, y + oy, 4, 4, bx[base + b], by[base + b]);
        }
        for (int i = 0; i < 4; i++) {
            int k = base + (i & 1) * 2 + (i >> 1) * 8;
            int cx = average(bx[k] + bx[k + 1] + bx[k + 4] + bx[k + 5]);
            int cy = average(by[k] + by[k + 1] + by[k + 4] + by[k + 5]);
            if (fullPixel) {
                cx &= ~7;
                cy &= ~7;
            }
            int ox = (i & 1) * 4;
            int oy = (i >> 1) * 4;
            int dst = uvPos + oy * p.uvStride + ox;
            inter.predict(ref.u, ref.uvOrigin, ref.uvStride, w / 2, h / 2, Picture.UV_BORDER, p.u, dst,
                    p.uvStride, x / 2 + ox, y / 2 + oy, 4, 4, cx, cy);
            inter.predict(ref.v, ref.uvOrigin, ref.uvStride, w / 2, h / 2, Picture.UV_BORDER, p.v, dst,
                    p.uvStride, x / 2 + ox, y / 2 + oy, 4, 4, cx, cy);
        }
    }

    /** The chroma vector of four luma subblocks: their sum over 8, rounded away from zero. */
    private static int average(int sum) {
        return (sum + (sum < 0 ? -4 : 4)) / 8;
    }
}
