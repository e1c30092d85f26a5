package org.rtc4j.codec.vp8.internal;

/**
 * Motion search for one 16x16 luma block: the best of a few predicted vectors, a diamond search
 * on whole pixels with shrinking steps, then half- and quarter-pixel refinement measured through
 * the bilinear filter (the block is then predicted with the stream's six-tap filter).
 * Vectors are in eighth pixels (luma uses even values only), as {@link Macroblocks} keeps them.
 */
final class MotionSearch {

    /** How far a block may start beyond the frame edge, in pixels: well inside the border. */
    private static final int REACH = 24;

    private final InterPredictor inter = new InterPredictor();
    private final byte[] block = new byte[16 * 16];

    int bestX;
    int bestY;
    int bestSad;

    MotionSearch() {
        // Sub-pixel candidates are compared through the bilinear filter, as libvpx's encoder does: a
        // third of the six-tap's work (that was over half the encoder's time) for 0.2 dB of PSNR.
        inter.setBilinear(true);
    }

    /** Sum of absolute differences of two 16x16 blocks, stopping once above limit. */
    static int sad16(byte[] a, int ap, int as, byte[] b, int bp, int bs, int limit) {
        int sum = 0;
        for (int r = 0; r < 16; r++) {
            int i = ap + r * as;
            int j = bp + r * bs;
            for (int c = 0; c < 16; c++) {
                sum += Math.abs((a[i + c] & 0xff) - (b[j + c] & 0xff));
            }
            if (sum > limit) {
                return sum;
            }
        }
        return sum;
    }

    /**
     * Searches ref for the source block at (x, y) of src; candidates holds n vectors (x, y pairs,
     * eighth pixels) to start from. lambda weighs the vector's distance from (px, py), the vector
     * it is coded against, in quarter pixels. The result is in bestX, bestY, bestSad (without the
     * vector cost).
     */
    void search(Picture src, Picture ref, int x, int y, int[] candidates, int n, int px, int py, int lambda,
            boolean subpixel) {
        int srcPos = src.yOrigin + y * src.yStride + x;
        int minX = -REACH - x;
        int maxX = ref.width + REACH - 16 - x;
        int minY = -REACH - y;
        int maxY = ref.height + REACH - 16 - y;
        int bx = 0;
        int by = 0;
        int best = Integer.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int cx = clamp((candidates[2 * k] + 4) >> 3, minX, maxX);
            int cy = clamp((candidates[2 * k + 1] + 4) >> 3, minY, maxY);
            int cost = fullCost(src, srcPos, ref, x + cx, y + cy, best) + mvCost(cx * 8, cy * 8, px, py, lambda);
            if (cost < best) {
                best = cost;
                bx = cx;
                by = cy;
            }
        }
        for (int step = 4; step >= 1; step >>= 1) {
            boolean moved = true;
            while (moved) {
                moved = false;
                for (int d = 0; d < 4; d++) {
                    int cx = bx + (d == 0 ? step : d == 1 ? -step : 0);
                    int cy = by + (d == 2 ? step : d == 3 ? -step : 0);
                    if (cx < minX || cx > maxX || cy < minY || cy > maxY) {
                        continue;
                    }
                    int cost = fullCost(src, srcPos, ref, x + cx, y + cy, best)
                            + mvCost(cx * 8, cy * 8, px, py, lambda);
                    if (cost < best) {
                        best = cost;
                        bx = cx;
                        by = cy;
                        moved = true;
                    }
                }
            }
        }
        bx *= 8;
        by *= 8;
        if (subpixel && best > 0) {
            // Half, then quarter pixels: the four neighbours across (one-pass filters, cheap), then
            // the one diagonal between the better horizontal and the better vertical neighbour.
            for (int step = 4; step >= 2; step >>= 1) {
                int cx0 = bx;
                int cy0 = by;
                int left = subCost(src, srcPos, ref, x, y, cx0 - step, cy0, px, py, lambda, best);
                int right = subCost(src, srcPos, ref, x, y, cx0 + step, cy0, px, py, lambda, best);
                int up = subCost(src, srcPos, ref, x, y, cx0, cy0 - step, px, py, lambda, best);
                int down = subCost(src, srcPos, ref, x, y, cx0, cy0 + step, px, py, lambda, best);
                int hx = left < right ? -step : step;
                int vy = up < down ? -step : step;
                int diagonal = subCost(src, srcPos, ref, x, y, cx0 + hx, cy0 + vy, px, py, lambda, best);
                int[] costs = {left, right, up, down, diagonal};
                int[] xs = {cx0 - step, cx0 + step, cx0, cx0, cx0 + hx};
                int[] ys = {cy0, cy0, cy0 - step, cy0 + step, cy0 + vy};
                for (int k = 0; k < 5; k++) {
                    if (costs[k] < best) {
                        best = costs[k];
                        bx = xs[k];
                        by = ys[k];
                    }
                }
            }
        }
        bestX = bx;
        bestY = by;
        bestSad = best - mvCost(bx, by, px, py, lambda);
    }

    /** The cost of the sub-pixel vector (cx, cy), the block predicted bilinearly. */
    private int subCost(Picture src, int srcPos, Picture ref, int x, int y, int cx, int cy, int px, int py,
            int lambda, int limit) {
        inter.predict(ref.y, ref.yOrigin, ref.yStride, ref.width, ref.height, Picture.BORDER, block, 0, 16, x, y,
                16, 16, cx, cy);
        return sad16(src.y, srcPos, src.yStride, block, 0, 16, limit) + mvCost(cx, cy, px, py, lambda);
    }

    private static int fullCost(Picture src, int srcPos, Picture ref, int rx, int ry, int limit) {
        return sad16(src.y, srcPos, src.yStride, ref.y, ref.yOrigin + ry * ref.yStride + rx, ref.yStride, limit);
    }

    /** A rough rate for a vector: its distance from the predicted one, in quarter pixels. */
    static int mvCost(int mx, int my, int px, int py, int lambda) {
        int d = Math.abs(mx - px) + Math.abs(my - py);
        return d == 0 ? 0 : lambda * (2 + 32 - Integer.numberOfLeadingZeros(d >> 1)) >> 1;
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : v > hi ? hi : v;
    }
}
