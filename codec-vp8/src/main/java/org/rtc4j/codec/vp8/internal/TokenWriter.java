package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.COEFF_BANDS;

/**
 * Writes a macroblock's quantized coefficients as tokens (RFC 6386 section 13), the inverse of
 * {@link Residuals#read}: same block types, contexts and order. Levels are given in zigzag order,
 * 25 blocks of 16 (luma 0-15, U 16-19, V 20-23, Y2 24) from levels[lo], their ends from eobs[eo].
 */
final class TokenWriter {

    private static final int TYPE_Y_AFTER_Y2 = 0;
    private static final int TYPE_Y2 = 1;
    private static final int TYPE_CHROMA = 2;
    private static final int TYPE_Y_WITH_DC = 3;

    private TokenWriter() {}

    /** Writes the blocks; eob[b] is the position after the last non-zero level (the start if none). */
    static void write(BoolEncoder e, int[] probs, boolean hasY2, int[] levels, int lo, int[] eobs, int eo,
            int[] above, int aboveOff, int[] left) {
        int yType;
        int yStart;
        if (hasY2) {
            writeBlock(e, probs, TYPE_Y2, above[aboveOff + 8] + left[8], 0, levels, lo + 24 * 16, eobs[eo + 24]);
            above[aboveOff + 8] = left[8] = eobs[eo + 24] > 0 ? 1 : 0;
            yType = TYPE_Y_AFTER_Y2;
            yStart = 1;
        } else {
            yType = TYPE_Y_WITH_DC;
            yStart = 0;
        }
        for (int b = 0; b < 16; b++) {
            int ax = aboveOff + (b & 3);
            int ly = b >> 2;
            writeBlock(e, probs, yType, above[ax] + left[ly], yStart, levels, lo + b * 16, eobs[eo + b]);
            above[ax] = left[ly] = eobs[eo + b] > yStart ? 1 : 0;
        }
        for (int b = 16; b < 24; b++) {
            int ax = aboveOff + 4 + ((b >> 2) - 4) * 2 + (b & 1);
            int ly = 4 + ((b >> 2) - 4) * 2 + ((b >> 1) & 1);
            writeBlock(e, probs, TYPE_CHROMA, above[ax] + left[ly], 0, levels, lo + b * 16, eobs[eo + b]);
            above[ax] = left[ly] = eobs[eo + b] > 0 ? 1 : 0;
        }
    }

    /** RFC 6386 section 13.2: one block, the token tree walked as the decoder reads it. */
    private static void writeBlock(BoolEncoder e, int[] probs, int type, int ctx, int start, int[] lv, int o,
            int eob) {
        int i = start;
        int typeBase = type * 8 * 33;
        int p = typeBase + COEFF_BANDS[i] * 33 + ctx * 11;
        if (eob <= start) {
            e.write(probs[p], 0);
            return;
        }
        e.write(probs[p], 1);
        while (true) {
            int v = lv[o + i];
            if (v == 0) { // DCT_0; the next token cannot be EOB
                e.write(probs[p + 1], 0);
                i++;
                p = typeBase + COEFF_BANDS[i] * 33;
                continue;
            }
            e.write(probs[p + 1], 1);
            int a = Math.abs(v);
            int next;
            if (a == 1) {
                e.write(probs[p + 2], 0);
                next = 11;
            } else {
                e.write(probs[p + 2], 1);
                next = 22;
                if (a <= 4) {
                    e.write(probs[p + 3], 0);
                    if (a == 2) {
                        e.write(probs[p + 4], 0);
                    } else {
                        e.write(probs[p + 4], 1);
                        e.write(probs[p + 5], a - 3);
                    }
                } else if (a <= 10) {
                    e.write(probs[p + 3], 1);
                    e.write(probs[p + 6], 0);
                    if (a <= 6) {
                        e.write(probs[p + 7], 0);
                        e.write(159, a - 5);
                    } else {
                        e.write(probs[p + 7], 1);
                        extra(e, Tables.PCAT2, a - 7);
                    }
                } else {
                    e.write(probs[p + 3], 1);
                    e.write(probs[p + 6], 1);
                    if (a <= 34) {
                        e.write(probs[p + 8], 0);
                        if (a <= 18) {
                            e.write(probs[p + 9], 0);
                            extra(e, Tables.PCAT3, a - 11);
                        } else {
                            e.write(probs[p + 9], 1);
                            extra(e, Tables.PCAT4, a - 19);
                        }
                    } else {
                        e.write(probs[p + 8], 1);
                        if (a <= 66) {
                            e.write(probs[p + 10], 0);
                            extra(e, Tables.PCAT5, a - 35);
                        } else {
                            e.write(probs[p + 10], 1);
                            extra(e, Tables.PCAT6, a - 67);
                        }
                    }
                }
            }
            e.writeBit(v < 0 ? 1 : 0);
            if (++i == 16) {
                return;
            }
            p = typeBase + COEFF_BANDS[i] * 33 + next;
            if (i == eob) {
                e.write(probs[p], 0);
                return;
            }
            e.write(probs[p], 1);
        }
    }

    private static void extra(BoolEncoder e, int[] pcat, int v) {
        int n = pcat.length;
        for (int k = 0; k < n; k++) {
            e.write(pcat[k], (v >> (n - 1 - k)) & 1);
        }
    }
}
