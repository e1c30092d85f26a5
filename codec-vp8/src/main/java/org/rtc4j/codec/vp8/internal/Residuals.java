package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.COEFF_BANDS;
import static org.rtc4j.codec.vp8.internal.Tables.ZIGZAG;

/**
 * Reads a macroblock's DCT/WHT coefficients from its token partition (RFC 6386 section 13) and
 * dequantizes them (section 14.1). Coefficients go to 25 blocks of 16: luma 0-15, U 16-19,
 * V 20-23, Y2 24.
 */
final class Residuals {

    /** Block types of section 13.3. */
    private static final int TYPE_Y_AFTER_Y2 = 0;
    private static final int TYPE_Y2 = 1;
    private static final int TYPE_CHROMA = 2;
    private static final int TYPE_Y_WITH_DC = 3;

    /** Position after the last token of each block (0 when the block starts with EOB). */
    final int[] eob = new int[25];
    final int[] coeffs = new int[25 * 16];

    /**
     * Reads one macroblock's tokens. above holds 9 flags a macroblock column (4 luma, 2 U, 2 V,
     * Y2) at aboveOff, left holds the 9 flags of the row. q holds the six factors of the
     * segment. Returns whether any block had a token other than an immediate EOB.
     */
    boolean read(BoolDecoder d, int[] probs, boolean hasY2, int[] q, int[] above, int aboveOff, int[] left) {
        boolean any = false;
        int yType;
        int yStart;
        if (hasY2) {
            int c = readBlock(d, probs, TYPE_Y2, above[aboveOff + 8] + left[8], 0, 24 * 16, q[4], q[5]);
            int nz = c > 0 ? 1 : 0;
            above[aboveOff + 8] = left[8] = nz;
            eob[24] = c;
            any = c > 0;
            yType = TYPE_Y_AFTER_Y2;
            yStart = 1;
        } else {
            yType = TYPE_Y_WITH_DC;
            yStart = 0;
        }
        for (int b = 0; b < 16; b++) {
            int ax = aboveOff + (b & 3);
            int ly = b >> 2;
            int c = readBlock(d, probs, yType, above[ax] + left[ly], yStart, b * 16, q[0], q[1]);
            int nz = c > yStart ? 1 : 0;
            above[ax] = left[ly] = nz;
            eob[b] = c;
            any |= nz != 0;
        }
        for (int b = 16; b < 24; b++) {
            int ax = aboveOff + 4 + ((b >> 2) - 4) * 2 + (b & 1);
            int ly = 4 + ((b >> 2) - 4) * 2 + ((b >> 1) & 1);
            int c = readBlock(d, probs, TYPE_CHROMA, above[ax] + left[ly], 0, b * 16, q[2], q[3]);
            int nz = c > 0 ? 1 : 0;
            above[ax] = left[ly] = nz;
            eob[b] = c;
            any |= nz != 0;
        }
        return any;
    }

    /** Clears the contexts of a macroblock without coefficients (Y2's only when it has one). */
    static void skip(boolean hasY2, int[] above, int aboveOff, int[] left) {
        for (int i = 0; i < 8; i++) {
            above[aboveOff + i] = 0;
            left[i] = 0;
        }
        if (hasY2) {
            above[aboveOff + 8] = 0;
            left[8] = 0;
        }
    }

    /** RFC 6386 section 13.2: one block's tokens; returns the position after the last one. */
    private int readBlock(BoolDecoder d, int[] probs, int type, int ctx, int start, int out, int dcq, int acq) {
        int[] co = coeffs;
        int i = start;
        int typeBase = type * 8 * 33;
        int p = typeBase + COEFF_BANDS[i] * 33 + ctx * 11;
        if (d.read(probs[p]) == 0) {
            return i;
        }
        while (true) {
            if (d.read(probs[p + 1]) == 0) { // DCT_0: the next token cannot be EOB
                if (++i == 16) {
                    return 16;
                }
                p = typeBase + COEFF_BANDS[i] * 33;
                continue;
            }
            int v;
            int next;
            if (d.read(probs[p + 2]) == 0) {
                v = 1;
                next = 11;
            } else {
                next = 22;
                if (d.read(probs[p + 3]) == 0) {
                    if (d.read(probs[p + 4]) == 0) {
                        v = 2;
                    } else {
                        v = 3 + d.read(probs[p + 5]);
                    }
                } else if (d.read(probs[p + 6]) == 0) {
                    if (d.read(probs[p + 7]) == 0) {
                        v = 5 + d.read(159);
                    } else {
                        v = 7 + extra(d, Tables.PCAT2);
                    }
                } else if (d.read(probs[p + 8]) == 0) {
                    v = d.read(probs[p + 9]) == 0 ? 11 + extra(d, Tables.PCAT3) : 19 + extra(d, Tables.PCAT4);
                } else {
                    v = d.read(probs[p + 10]) == 0 ? 35 + extra(d, Tables.PCAT5) : 67 + extra(d, Tables.PCAT6);
                }
            }
            if (d.readBit() != 0) {
                v = -v;
            }
            // Section 14.1: products are kept to 16 bits.
            co[out + ZIGZAG[i]] = (short) (v * (i > 0 ? acq : dcq));
            if (++i == 16) {
                return 16;
            }
            p = typeBase + COEFF_BANDS[i] * 33 + next;
            if (d.read(probs[p]) == 0) {
                return i;
            }
        }
    }

    private static int extra(BoolDecoder d, int[] pcat) {
        int v = 0;
        for (int pr : pcat) {
            v = (v << 1) | d.read(pr);
        }
        return v;
    }
}
