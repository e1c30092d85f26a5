package org.rtc4j.codec.vp8.internal;

/**
 * The probabilities that persist from frame to frame (RFC 6386 section 9.10 to 9.11, 13.4, 16.2,
 * 17.2), saved and restored around frames that do not refresh them.
 */
final class Probabilities {

    final int[] coeff = new int[4 * 8 * 3 * 11];
    final int[] yMode = new int[4];
    final int[] uvMode = new int[3];
    /** Two components (row, then column) of 19 probabilities each. */
    final int[] mv = new int[2 * 19];

    /** The defaults a key frame starts from. */
    void reset() {
        System.arraycopy(Tables.DEFAULT_COEFF_PROBS, 0, coeff, 0, coeff.length);
        System.arraycopy(Tables.DEFAULT_Y_MODE_PROBS, 0, yMode, 0, yMode.length);
        System.arraycopy(Tables.DEFAULT_UV_MODE_PROBS, 0, uvMode, 0, uvMode.length);
        System.arraycopy(Tables.DEFAULT_MV_PROBS, 0, mv, 0, mv.length);
    }

    void copyFrom(Probabilities o) {
        System.arraycopy(o.coeff, 0, coeff, 0, coeff.length);
        System.arraycopy(o.yMode, 0, yMode, 0, yMode.length);
        System.arraycopy(o.uvMode, 0, uvMode, 0, uvMode.length);
        System.arraycopy(o.mv, 0, mv, 0, mv.length);
    }
}
