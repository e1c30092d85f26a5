package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.*;

/**
 * Reads each macroblock's prediction record from the first partition: segment, skip flag, intra
 * modes (RFC 6386 section 11 and 16.1) or reference frame and motion vectors (sections 16.2 to
 * 17), including the split motion vectors.
 */
final class ModeParser {

    // Scratch for find_near_mvs (section 16.3): vectors 0 (best), 1 (nearest), 2 (near).
    final int[] nearX = new int[4];
    final int[] nearY = new int[4];
    final int[] counts = new int[4];
    private final int[] probs = new int[4];
    private final int[] splitX = new int[16];
    private final int[] splitY = new int[16];

    /** Reads the record of the macroblock at (col, row) into m. */
    void read(BoolDecoder d, FrameHeader h, Probabilities p, Macroblocks m, int col, int row) {
        int mb = m.index(col, row);
        if (h.updateSegmentMap) {
            int[] t = h.segmentTreeProbs;
            m.segment[mb] = d.read(t[0]) == 0 ? d.read(t[1]) : 2 + d.read(t[2]);
        } else if (h.keyFrame) {
            m.segment[mb] = 0;
        }
        m.skip[mb] = h.probSkip >= 0 ? d.read(h.probSkip) : 0;
        if (h.keyFrame) {
            readKeyFrameModes(d, m, mb);
        } else if (d.read(h.probIntra) != 0) {
            readInterModes(d, h, p, m, mb, col, row);
        } else {
            readIntraModes(d, p, m, mb);
        }
    }

    private static void readKeyFrameModes(BoolDecoder d, Macroblocks m, int mb) {
        int y = d.readTree(KF_Y_MODE_TREE, KF_Y_MODE_PROBS, 0);
        int[] bModes = m.bModes;
        int base = mb * 16;
        if (y == B_PRED) {
            int above = (mb - m.stride) * 16;
            int left = (mb - 1) * 16;
            for (int b = 0; b < 16; b++) {
                int a = b < 4 ? bModes[above + b + 12] : bModes[base + b - 4];
                int l = (b & 3) == 0 ? bModes[left + b + 3] : bModes[base + b - 1];
                bModes[base + b] = d.readTree(B_MODE_TREE, KF_B_MODE_PROBS, (a * 10 + l) * 9);
            }
        } else {
            java.util.Arrays.fill(bModes, base, base + 16, impliedSubblockMode(y));
        }
        m.yMode[mb] = y;
        m.uvMode[mb] = d.readTree(UV_MODE_TREE, KF_UV_MODE_PROBS, 0);
        setIntra(m, mb);
    }

    private static void readIntraModes(BoolDecoder d, Probabilities p, Macroblocks m, int mb) {
        int y = d.readTree(Y_MODE_TREE, p.yMode, 0);
        int base = mb * 16;
        if (y == B_PRED) {
            for (int b = 0; b < 16; b++) {
                m.bModes[base + b] = d.readTree(B_MODE_TREE, B_MODE_PROBS, 0);
            }
        } else {
            java.util.Arrays.fill(m.bModes, base, base + 16, impliedSubblockMode(y));
        }
        m.yMode[mb] = y;
        m.uvMode[mb] = d.readTree(UV_MODE_TREE, p.uvMode, 0);
        setIntra(m, mb);
    }

    /** RFC 6386 section 11.3: the subblock mode a 16x16 luma mode stands for as a context. */
    private static int impliedSubblockMode(int y) {
        return switch (y) {
            case V_PRED -> B_VE_PRED;
            case H_PRED -> B_HE_PRED;
            case TM_PRED -> B_TM_PRED;
            default -> B_DC_PRED;
        };
    }

    private static void setIntra(Macroblocks m, int mb) {
        m.refFrame[mb] = INTRA_FRAME;
        m.mvx[mb] = 0;
        m.mvy[mb] = 0;
        java.util.Arrays.fill(m.bMvx, mb * 16, mb * 16 + 16, 0);
        java.util.Arrays.fill(m.bMvy, mb * 16, mb * 16 + 16, 0);
    }

    private void readInterModes(BoolDecoder d, FrameHeader h, Probabilities p, Macroblocks m, int mb,
            int col, int row) {
        int ref = d.read(h.probLast) == 0 ? LAST_FRAME : 2 + d.read(h.probGolden);
        m.refFrame[mb] = ref;
        findNearMvs(m, mb, ref, h.signBias);
        int[] pr = probs;
        for (int i = 0; i < 4; i++) {
            pr[i] = MODE_CONTEXTS[counts[i] * 4 + i];
        }
        int mode = d.readTree(MV_REF_TREE, pr, 0);
        m.yMode[mb] = mode;
        m.uvMode[mb] = DC_PRED;
        int x;
        int y;
        switch (mode) {
            case NEARESTMV, NEARMV -> {
                int k = mode == NEARESTMV ? 1 : 2;
                x = m.clampMvx(nearX[k], col);
                y = m.clampMvy(nearY[k], row);
            }
            case ZEROMV -> {
                x = 0;
                y = 0;
            }
            case NEWMV -> {
                int bx = m.clampMvx(nearX[0], col);
                int by = m.clampMvy(nearY[0], row);
                y = by + readComponent(d, p.mv, 0);
                x = bx + readComponent(d, p.mv, 19);
            }
            default -> {
                int bx = m.clampMvx(nearX[0], col);
                int by = m.clampMvy(nearY[0], row);
                readSplit(d, p, m, mb, bx, by);
                return;
            }
        }
        m.mvx[mb] = x;
        m.mvy[mb] = y;
        java.util.Arrays.fill(m.bMvx, mb * 16, mb * 16 + 16, x);
        java.util.Arrays.fill(m.bMvy, mb * 16, mb * 16 + 16, y);
    }

    /** RFC 6386 section 17.1: one motion vector component, returned in eighth pixels. */
    private static int readComponent(BoolDecoder d, int[] mvp, int o) {
        int x;
        if (d.read(mvp[o]) != 0) {
            x = 0;
            for (int i = 0; i < 3; i++) {
                x += d.read(mvp[o + 9 + i]) << i;
            }
            for (int i = 9; i > 3; i--) {
                x += d.read(mvp[o + 9 + i]) << i;
            }
            if ((x & 0xfff0) == 0 || d.read(mvp[o + 9 + 3]) != 0) {
                x += 8;
            }
        } else {
            x = d.readTree(SMALL_MV_TREE, mvp, o + 2);
        }
        if (x != 0 && d.read(mvp[o + 1]) != 0) {
            x = -x;
        }
        return x << 1;
    }

    /** RFC 6386 section 16.3: the near, nearest and best vectors from the three neighbours. */
    void findNearMvs(Macroblocks m, int mb, int ref, int[] signBias) {
        int[] nx = nearX;
        int[] ny = nearY;
        int[] cnt = counts;
        nx[0] = nx[1] = nx[2] = nx[3] = 0;
        ny[0] = ny[1] = ny[2] = ny[3] = 0;
        cnt[0] = cnt[1] = cnt[2] = cnt[3] = 0;
        int n = 0; // index of the last vector found
        int above = mb - m.stride;
        int left = mb - 1;
        int aboveLeft = above - 1;
        for (int k = 0; k < 3; k++) {
            int o = k == 0 ? above : k == 1 ? left : aboveLeft;
            int weight = k == 2 ? 1 : 2;
            int r = m.refFrame[o];
            if (r == INTRA_FRAME) {
                continue;
            }
            int x = m.mvx[o];
            int y = m.mvy[o];
            if (x != 0 || y != 0) {
                if (signBias[r] != signBias[ref]) {
                    x = -x;
                    y = -y;
                }
                if (k == 0 || x != nx[n] || y != ny[n]) {
                    n++;
                    nx[n] = x;
                    ny[n] = y;
                }
                cnt[n] += weight;
            } else {
                cnt[0] += weight;
            }
        }
        // Three distinct vectors: merge above-left with nearest when equal.
        if (cnt[3] != 0 && nx[3] == nx[1] && ny[3] == ny[1]) {
            cnt[1] += 1;
        }
        cnt[3] = (m.yMode[above] == SPLITMV ? 2 : 0) + (m.yMode[left] == SPLITMV ? 2 : 0)
                + (m.yMode[aboveLeft] == SPLITMV ? 1 : 0);
        if (cnt[2] > cnt[1]) {
            int t = cnt[1];
            cnt[1] = cnt[2];
            cnt[2] = t;
            t = nx[1];
            nx[1] = nx[2];
            nx[2] = t;
            t = ny[1];
            ny[1] = ny[2];
            ny[2] = t;
        }
        if (cnt[1] >= cnt[0]) {
            nx[0] = nx[1];
            ny[0] = ny[1];
        }
    }

    /** RFC 6386 section 16.4: split motion vectors. */
    private void readSplit(BoolDecoder d, Probabilities p, Macroblocks m, int mb, int bestX, int bestY) {
        int type = d.readTree(SPLIT_MV_TREE, SPLIT_MV_PROBS, 0);
        int base = mb * 16;
        int aboveBase = (mb - m.stride) * 16;
        int leftBase = (mb - 1) * 16;
        int[] bx = m.bMvx;
        int[] by = m.bMvy;
        int parts = SPLIT_MV_COUNT[type];
        int pOff = type * 16;
        for (int j = 0; j < parts; j++) {
            int k = 0;
            while (MV_PARTITIONS[pOff + k] != j) {
                k++;
            }
            int lx;
            int ly;
            if ((k & 3) == 0) {
                lx = bx[leftBase + k + 3];
                ly = by[leftBase + k + 3];
            } else {
                lx = bx[base + k - 1];
                ly = by[base + k - 1];
            }
            int ax;
            int ay;
            if (k < 4) {
                ax = bx[aboveBase + k + 12];
                ay = by[aboveBase + k + 12];
            } else {
                ax = bx[base + k - 4];
                ay = by[base + k - 4];
            }
            boolean leftZero = lx == 0 && ly == 0;
            boolean same = lx == ax && ly == ay;
            int ctx;
            if (same && leftZero) {
                ctx = 4;
            } else if (same) {
                ctx = 3;
            } else if (ax == 0 && ay == 0) {
                ctx = 2;
            } else if (leftZero) {
                ctx = 1;
            } else {
                ctx = 0;
            }
            int x;
            int y;
            switch (d.readTree(SUB_MV_REF_TREE, SUB_MV_REF_PROBS, ctx * 3)) {
                case LEFT4X4 -> {
                    x = lx;
                    y = ly;
                }
                case ABOVE4X4 -> {
                    x = ax;
                    y = ay;
                }
                case ZERO4X4 -> {
                    x = 0;
                    y = 0;
                }
                default -> {
                    y = bestY + readComponent(d, p.mv, 0);
                    x = bestX + readComponent(d, p.mv, 19);
                }
            }
            for (int b = k; b < 16; b++) {
                if (MV_PARTITIONS[pOff + b] == j) {
                    bx[base + b] = x;
                    by[base + b] = y;
                }
            }
        }
        m.mvx[mb] = bx[base + 15];
        m.mvy[mb] = by[base + 15];
    }
}
