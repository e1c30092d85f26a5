package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.ZIGZAG;

/**
 * The residue of a 16x16-predicted macroblock (prediction subtracted from the source), its forward
 * transforms and quantization to levels in zigzag order, and the dequantized coefficients the
 * decoder will see (RFC 6386 section 14.1, products kept to 16 bits as there).
 */
final class Quantizer {

    /** Levels of the 25 blocks in zigzag order: luma 0-15 (no DC), U 16-19, V 20-23, Y2 24. */
    final int[] levels = new int[25 * 16];
    /** Position after each block's last non-zero level (its first position when none). */
    final int[] eob = new int[25];

    private final ForwardTransform fwd = new ForwardTransform();
    private final int[] diff = new int[16];
    private final int[] coef = new int[25 * 16];
    private final int[] dcs = new int[16];
    private final int[] block = new int[16];
    private final Transform inverse = new Transform();
    /** Y DC, Y AC, UV DC, UV AC, Y2 DC, Y2 AC. */
    private final int[] factor = new int[6];
    /** Rounding added before dividing, in 1/128 of a step, by the same six kinds. */
    private final int[] rounding = new int[6];

    void setup(FrameHeader h, int qIndex, boolean keyFrame) {
        h.dequantFactors(qIndex, factor);
        // A dead zone below half a step drops the many coefficients that cost more bits than they
        // save error; DCs are rounded more generously, as their error shows most.
        int ac = keyFrame ? 56 : 44;
        for (int k = 0; k < 6; k++) {
            rounding[k] = factor[k] * ((k & 1) == 0 ? 64 : ac) >> 7;
        }
    }

    /**
     * Quantizes the luma of a 16x16-predicted macroblock at yPos (same position in both pictures)
     * into 16 blocks without DC and the Y2 block; whether any level is not 0.
     */
    boolean quantizeLuma(Picture src, Picture pred, int yPos) {
        int[] c = coef;
        for (int b = 0; b < 16; b++) {
            int pos = yPos + (b >> 2) * 4 * src.yStride + (b & 3) * 4;
            transformBlock(src.y, pred.y, pos, src.yStride, b);
            dcs[b] = c[b * 16];
        }
        fwd.wht(dcs, c, 24 * 16);
        boolean any = false;
        for (int b = 0; b < 16; b++) {
            any |= quantizeBlock(b, 1, 0, 1);
        }
        any |= quantizeBlock(24, 0, 4, 5);
        return any;
    }

    /** B_PRED: quantizes luma subblock b at pos, DC included; whether any level is not 0. */
    boolean quantizeSubblock(Picture src, Picture pred, int pos, int b) {
        transformBlock(src.y, pred.y, pos, src.yStride, b);
        eob[24] = 0; // no Y2 block
        return quantizeBlock(b, 0, 0, 1);
    }

    /** Adds B_PRED subblock b's dequantized residue to the picture, as the decoder will. */
    void reconstructSubblock(int b, byte[] plane, int pos, int stride) {
        int e = eob[b];
        if (e == 0) {
            return;
        }
        int[] t = block;
        java.util.Arrays.fill(t, 0);
        for (int i = 0; i < e; i++) {
            t[ZIGZAG[i]] = (short) (levels[b * 16 + i] * factor[i == 0 ? 0 : 1]);
        }
        if (e > 1) {
            inverse.inverseDctAdd(t, 0, plane, pos, stride);
        } else if (t[0] != 0) {
            Transform.dcOnlyAdd(t[0], plane, pos, stride);
        }
    }

    /** Quantizes the chroma at uvPos; whether any level is not 0. */
    boolean quantizeChroma(Picture src, Picture pred, int uvPos) {
        for (int b = 16; b < 24; b++) {
            int i = b & 3;
            int pos = uvPos + (i >> 1) * 4 * src.uvStride + (i & 1) * 4;
            if (b < 20) {
                transformBlock(src.u, pred.u, pos, src.uvStride, b);
            } else {
                transformBlock(src.v, pred.v, pos, src.uvStride, b);
            }
        }
        boolean any = false;
        for (int b = 16; b < 24; b++) {
            any |= quantizeBlock(b, 0, 2, 3);
        }
        return any;
    }

    private void transformBlock(byte[] s, byte[] p, int pos, int stride, int b) {
        int[] d = diff;
        for (int r = 0; r < 4; r++) {
            int o = pos + r * stride;
            for (int k = 0; k < 4; k++) {
                d[r * 4 + k] = (s[o + k] & 0xff) - (p[o + k] & 0xff);
            }
        }
        fwd.dct(d, 0, coef, b * 16);
    }

    private boolean quantizeBlock(int b, int start, int dcKind, int acKind) {
        int o = b * 16;
        int last = start;
        levels[o] = 0;
        for (int i = start; i < 16; i++) {
            int kind = i == 0 ? dcKind : acKind;
            int v = coef[o + ZIGZAG[i]];
            int a = Math.abs(v);
            int q = factor[kind];
            int l = (a + rounding[kind]) / q;
            if (l > 2047) {
                l = 2047;
            }
            levels[o + i] = v < 0 ? -l : l;
            if (l != 0) {
                last = i + 1;
            }
        }
        eob[b] = last;
        return last > start;
    }

    /** The dequantized coefficients and block ends, as the decoder's token reader leaves them. */
    void dequantize(Residuals res, boolean hasY2) {
        for (int b = 0; b < 25; b++) {
            int start = b < 16 && hasY2 ? 1 : 0;
            int dcKind = b < 16 ? 0 : b < 24 ? 2 : 4;
            int o = b * 16;
            int e = eob[b];
            for (int i = start; i < e; i++) {
                int l = levels[o + i];
                if (l != 0) {
                    res.coeffs[o + ZIGZAG[i]] = (short) (l * factor[i == 0 ? dcKind : dcKind + 1]);
                }
            }
            res.eob[b] = e;
        }
    }
}
