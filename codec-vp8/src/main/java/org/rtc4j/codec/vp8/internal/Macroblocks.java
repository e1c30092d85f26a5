package org.rtc4j.codec.vp8.internal;

/**
 * What is known of each macroblock of the frame being decoded: modes, reference frame, motion
 * vectors (in eighth pixels, as the reference decoder keeps them) and segment. Arrays have one
 * border column on the left and one border row on top whose entries stay zero: an intra
 * macroblock with DC_PRED and no motion, as RFC 6386 section 11.3 and 16.3 assume outside the
 * frame.
 */
final class Macroblocks {

    final int cols;
    final int rows;
    /** Entries a row, the border column included. */
    final int stride;

    final int[] yMode;
    final int[] uvMode;
    final int[] refFrame;
    final int[] mvx;
    final int[] mvy;
    /** Subblock intra modes, 16 a macroblock (the equivalent of the luma mode when not B_PRED). */
    final int[] bModes;
    /** Subblock motion vectors, 16 a macroblock (the macroblock's vector when not SPLITMV). */
    final int[] bMvx;
    final int[] bMvy;
    /** Segment of each macroblock; kept from frame to frame unless the map is updated. */
    final int[] segment;
    /** The bitstream's "no non-zero coefficients" flag. */
    final int[] skip;
    /** Whether the macroblock's inner edges are loop filtered (RFC 6386 section 15). */
    final boolean[] filterInner;

    Macroblocks(int cols, int rows) {
        this.cols = cols;
        this.rows = rows;
        this.stride = cols + 1;
        int n = stride * (rows + 1);
        yMode = new int[n];
        uvMode = new int[n];
        refFrame = new int[n];
        mvx = new int[n];
        mvy = new int[n];
        bModes = new int[n * 16];
        bMvx = new int[n * 16];
        bMvy = new int[n * 16];
        segment = new int[n];
        skip = new int[n];
        filterInner = new boolean[n];
    }

    /** Index of the macroblock at (col, row), both counted from 0 inside the frame. */
    int index(int col, int row) {
        return (row + 1) * stride + col + 1;
    }

    /**
     * RFC 6386 section 16.3: a near vector's column component clamped to at most one macroblock
     * beyond the frame, in eighth pixels, for the macroblock in column col.
     */
    int clampMvx(int x, int col) {
        return Math.max(-((col + 1) << 7), Math.min((cols - col) << 7, x));
    }

    /** As {@link #clampMvx}, the row component for the macroblock in row row. */
    int clampMvy(int y, int row) {
        return Math.max(-((row + 1) << 7), Math.min((rows - row) << 7, y));
    }
}
