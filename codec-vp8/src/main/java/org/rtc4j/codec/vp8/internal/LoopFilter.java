package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.*;

/**
 * The loop filter of RFC 6386 section 15: for each macroblock, its left edge, inner vertical
 * edges, top edge and inner horizontal edges, with the simple filter (luma only, section 15.2)
 * or the normal filter (section 15.3).
 */
final class LoopFilter {

    private LoopFilter() {}

    /** Clamps to a signed byte, for values in [-1024, 1023] (table lookups keep the filters branch-free). */
    private static final int[] S8 = new int[2048];
    /** Clamps to an unsigned byte, for values in [-1024, 1023]. */
    private static final byte[] U8 = new byte[2048];

    static {
        for (int i = 0; i < 2048; i++) {
            int x = i - 1024;
            S8[i] = x < -128 ? -128 : x > 127 ? 127 : x;
            U8[i] = (byte) (x < 0 ? 0 : x > 255 ? 255 : x);
        }
    }

    /**
     * Filters the macroblock at (col, row) of pic. level is its filter level (1-63),
     * interior its interior limit, hev its high edge variance threshold.
     */
    /** RFC 6386 section 9.3, 9.4 and 15.4: each macroblock's filter parameters, then the filter. */
    static void filterRow(FrameHeader h, Macroblocks m, Picture cur, int row) {
        if (h.filterLevel == 0) {
            return;
        }
        for (int col = 0; col < m.cols; col++) {
            int mb = m.index(col, row);
            int level = h.filterLevel;
            if (h.segmentationEnabled) {
                int s = m.segment[mb];
                level = h.segmentAbsolute ? h.segmentFilterLevel[s] : level + h.segmentFilterLevel[s];
                level = level < 0 ? 0 : level > 63 ? 63 : level;
            }
            if (h.filterDeltas) {
                int ref = m.refFrame[mb];
                int mode = m.yMode[mb];
                level += h.refDelta[ref];
                if (ref == INTRA_FRAME) {
                    if (mode == B_PRED) {
                        level += h.modeDelta[0];
                    }
                } else if (mode == ZEROMV) {
                    level += h.modeDelta[1];
                } else if (mode == SPLITMV) {
                    level += h.modeDelta[3];
                } else {
                    level += h.modeDelta[2];
                }
                level = level < 0 ? 0 : level > 63 ? 63 : level;
            }
            if (level == 0) {
                continue;
            }
            int interior = level;
            if (h.sharpness != 0) {
                interior >>= h.sharpness > 4 ? 2 : 1;
                interior = Math.min(interior, 9 - h.sharpness);
            }
            interior = Math.max(interior, 1);
            int hev = level >= 40 ? 2 : level >= 15 ? 1 : 0;
            if (!h.keyFrame && level >= 20) {
                hev++;
            }
            filterMacroblock(cur, h.simpleFilter, col, row, level, interior, hev, m.filterInner[mb]);
        }
    }

    static void filterMacroblock(Picture pic, boolean simple, int col, int row, int level, int interior,
            int hev, boolean inner) {
        int mbLimit = ((level + 2) * 2) + interior;
        int subLimit = (level * 2) + interior;
        byte[] y = pic.y;
        int ys = pic.yStride;
        int yp = pic.yOrigin + row * 16 * ys + col * 16;
        if (simple) {
            if (col > 0) {
                simpleEdge(y, yp, 1, ys, mbLimit);
            }
            if (inner) {
                for (int i = 4; i < 16; i += 4) {
                    simpleEdge(y, yp + i, 1, ys, subLimit);
                }
            }
            if (row > 0) {
                simpleEdge(y, yp, ys, 1, mbLimit);
            }
            if (inner) {
                for (int i = 4; i < 16; i += 4) {
                    simpleEdge(y, yp + i * ys, ys, 1, subLimit);
                }
            }
            return;
        }
        int uvs = pic.uvStride;
        int uvp = pic.uvOrigin + row * 8 * uvs + col * 8;
        byte[] u = pic.u;
        byte[] v = pic.v;
        if (col > 0) {
            normalEdge(y, yp, 1, ys, 16, mbLimit, interior, hev, true);
            normalEdge(u, uvp, 1, uvs, 8, mbLimit, interior, hev, true);
            normalEdge(v, uvp, 1, uvs, 8, mbLimit, interior, hev, true);
        }
        if (inner) {
            for (int i = 4; i < 16; i += 4) {
                normalEdge(y, yp + i, 1, ys, 16, subLimit, interior, hev, false);
            }
            normalEdge(u, uvp + 4, 1, uvs, 8, subLimit, interior, hev, false);
            normalEdge(v, uvp + 4, 1, uvs, 8, subLimit, interior, hev, false);
        }
        if (row > 0) {
            normalEdge(y, yp, ys, 1, 16, mbLimit, interior, hev, true);
            normalEdge(u, uvp, uvs, 1, 8, mbLimit, interior, hev, true);
            normalEdge(v, uvp, uvs, 1, 8, mbLimit, interior, hev, true);
        }
        if (inner) {
            for (int i = 4; i < 16; i += 4) {
                normalEdge(y, yp + i * ys, ys, 1, 16, subLimit, interior, hev, false);
            }
            normalEdge(u, uvp + 4 * uvs, uvs, 1, 8, subLimit, interior, hev, false);
            normalEdge(v, uvp + 4 * uvs, uvs, 1, 8, subLimit, interior, hev, false);
        }
    }

    private static int s8(int x) {
        return S8[x + 1024];
    }

    private static byte u8(int x) {
        return U8[x + 1024];
    }

    /**
     * The simple filter across an edge: step goes across the edge (1 for a vertical edge),
     * along goes along it; 16 segments.
     */
    private static void simpleEdge(byte[] p, int pos, int step, int along, int limit) {
        for (int i = 0; i < 16; i++) {
            int q = pos + i * along;
            int p1 = p[q - 2 * step] & 0xff;
            int p0 = p[q - step] & 0xff;
            int q0 = p[q] & 0xff;
            int q1 = p[q + step] & 0xff;
            if (Math.abs(p0 - q0) * 2 + (Math.abs(p1 - q1) >> 1) <= limit) {
                int a = s8(s8(p1 - q1) + 3 * (q0 - p0));
                int f1 = s8(a + 4) >> 3;
                int f2 = s8(a + 3) >> 3;
                p[q - step] = u8(p0 + f2);
                p[q] = u8(q0 - f1);
            }
        }
    }

    /**
     * The normal filter across a macroblock edge (macroblock true) or an edge between subblocks
     * (section 15.3): n segments; step goes across the edge, along goes along it.
     */
    private static void normalEdge(byte[] p, int pos, int step, int along, int n, int limit, int interior,
            int hev, boolean macroblock) {
        for (int i = 0; i < n; i++) {
            int q = pos + i * along;
            int p1 = p[q - 2 * step] & 0xff;
            int p0 = p[q - step] & 0xff;
            int q0 = p[q] & 0xff;
            int q1 = p[q + step] & 0xff;
            if (Math.abs(p0 - q0) * 2 + (Math.abs(p1 - q1) >> 1) > limit
                    || Math.abs(p1 - p0) > interior || Math.abs(q1 - q0) > interior) {
                continue;
            }
            int p3 = p[q - 4 * step] & 0xff;
            int p2 = p[q - 3 * step] & 0xff;
            int q2 = p[q + 2 * step] & 0xff;
            int q3 = p[q + 3 * step] & 0xff;
            if (Math.abs(p3 - p2) > interior || Math.abs(p2 - p1) > interior
                    || Math.abs(q3 - q2) > interior || Math.abs(q2 - q1) > interior) {
                continue;
            }
            boolean highVariance = Math.abs(p1 - p0) > hev || Math.abs(q1 - q0) > hev;
            if (macroblock && !highVariance) {
                // the wide filter: 27/128, 18/128 and 9/128 of the step on three pixels each side
                int w = s8(s8(p1 - q1) + 3 * (q0 - p0));
                int a = s8((27 * w + 63) >> 7);
                p[q - step] = u8(p0 + a);
                p[q] = u8(q0 - a);
                a = s8((18 * w + 63) >> 7);
                p[q - 2 * step] = u8(p1 + a);
                p[q + step] = u8(q1 - a);
                a = s8((9 * w + 63) >> 7);
                p[q - 3 * step] = u8(p2 + a);
                p[q + 2 * step] = u8(q2 - a);
                continue;
            }
            // the common filter, using the outer taps only across high variance edges
            int a = 3 * (q0 - p0);
            if (highVariance) {
                a += s8(p1 - q1);
            }
            a = s8(a);
            int f1 = s8(a + 4) >> 3;
            int f2 = s8(a + 3) >> 3;
            p[q - step] = u8(p0 + f2);
            p[q] = u8(q0 - f1);
            if (!highVariance) {
                a = (f1 + 1) >> 1;
                p[q - 2 * step] = u8(p1 + a);
                p[q + step] = u8(q1 - a);
            }
        }
    }
}
