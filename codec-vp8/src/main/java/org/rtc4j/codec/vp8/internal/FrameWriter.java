package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.*;


/**
 * Assembles a VP8 frame (RFC 6386 section 9 and 19): the frame tag, the key frame's start code
 * and size, the first partition (frame header, then each macroblock's modes and vectors) and the
 * single token partition. The inverse of the decoder's header and mode readers, field by field.
 */
final class FrameWriter {

    /** The assembled frame's bytes, reused from frame to frame. */
    static final class Output {
        byte[] bytes = new byte[0];
    }

    private FrameWriter() {}

    /**
     * Writes the first partition: the header (with the coefficient probability updates that the
     * branch counts pay for, applied to p), then each macroblock's modes.
     */
    static void writeFirstPartition(BoolEncoder e, FrameHeader h, Macroblocks m, ModeParser near, Probabilities p,
            int[] branchCounts) {
        e.reset();
        writeHeader(e, h, p, branchCounts);
        int[] modeProbs = new int[4];
        for (int row = 0; row < m.rows; row++) {
            for (int col = 0; col < m.cols; col++) {
                writeModes(e, h, m, near, p, modeProbs, col, row);
            }
        }
    }

    /** Puts the frame together from its two partitions; returns its length. */
    static int assemble(BoolEncoder e, BoolEncoder tokens, FrameHeader h, int width, int height, Output out) {
        int firstSize = e.finish();
        int tokenSize = tokens.finish();
        int headerSize = h.keyFrame ? 10 : 3;
        int total = headerSize + firstSize + tokenSize;
        if (out.bytes.length < total) {
            out.bytes = new byte[total + total / 4];
        }
        byte[] b = out.bytes;
        // Section 9.1: key frame (0), version 0, shown, then the first partition's size.
        int tag = (h.keyFrame ? 0 : 1) | (1 << 4) | (firstSize << 5);
        b[0] = (byte) tag;
        b[1] = (byte) (tag >> 8);
        b[2] = (byte) (tag >> 16);
        if (h.keyFrame) {
            b[3] = (byte) 0x9d;
            b[4] = 0x01;
            b[5] = 0x2a;
            b[6] = (byte) width;
            b[7] = (byte) (width >> 8);
            b[8] = (byte) height;
            b[9] = (byte) (height >> 8);
        }
        System.arraycopy(e.buffer(), 0, b, headerSize, firstSize);
        System.arraycopy(tokens.buffer(), 0, b, headerSize + firstSize, tokenSize);
        return total;
    }

    /** Section 9.2 to 9.11 and 19.2, with no segmentation, filter deltas or mode probability updates. */
    private static void writeHeader(BoolEncoder e, FrameHeader h, Probabilities p, int[] branchCounts) {
        if (h.keyFrame) {
            e.writeBit(0); // color space
            e.writeBit(0); // clamping required
        }
        e.writeBit(0); // segmentation
        e.writeBit(0); // normal loop filter
        e.writeLiteral(h.filterLevel, 6);
        e.writeLiteral(h.sharpness, 3);
        e.writeBit(0); // no loop filter deltas
        e.writeLiteral(0, 2); // one token partition
        e.writeLiteral(h.qIndex, 7);
        for (int i = 0; i < 5; i++) {
            e.writeOptionalSigned(0, 4); // quantizer deltas
        }
        if (h.keyFrame) {
            e.writeBit(h.refreshProbs ? 1 : 0);
        } else {
            e.writeBit(h.refreshGolden ? 1 : 0);
            e.writeBit(h.refreshAltref ? 1 : 0);
            if (!h.refreshGolden) {
                e.writeLiteral(0, 2); // no copy to golden
            }
            if (!h.refreshAltref) {
                e.writeLiteral(0, 2); // no copy to altref
            }
            e.writeBit(0); // golden sign bias
            e.writeBit(0); // altref sign bias
            e.writeBit(h.refreshProbs ? 1 : 0);
            e.writeBit(h.refreshLast ? 1 : 0);
        }
        CoefficientProbabilities.writeUpdates(e, branchCounts, p.coeff);
        e.writeBit(1); // skip flags coded
        e.writeLiteral(h.probSkip, 8);
        if (!h.keyFrame) {
            e.writeLiteral(h.probIntra, 8);
            e.writeLiteral(h.probLast, 8);
            e.writeLiteral(h.probGolden, 8);
            e.writeBit(0); // intra 16x16 probabilities kept
            e.writeBit(0); // chroma probabilities kept
            for (int i = 0; i < MV_UPDATE_PROBS.length; i++) {
                e.write(MV_UPDATE_PROBS[i], 0);
            }
        }
    }

    /** Section 19.3: one macroblock's skip flag, modes and motion vector, as ModeParser reads them. */
    private static void writeModes(BoolEncoder e, FrameHeader h, Macroblocks m, ModeParser near, Probabilities p,
            int[] modeProbs, int col, int row) {
        int mb = m.index(col, row);
        e.write(h.probSkip, m.skip[mb]);
        int ref = m.refFrame[mb];
        if (h.keyFrame) {
            e.writeTree(KF_Y_MODE_TREE, KF_Y_MODE_PROBS, 0, m.yMode[mb]);
            if (m.yMode[mb] == B_PRED) {
                // Section 11.3: each subblock's mode in the context of those above and to the left.
                int[] bModes = m.bModes;
                int base = mb * 16;
                int above = (mb - m.stride) * 16;
                int left = (mb - 1) * 16;
                for (int b = 0; b < 16; b++) {
                    int a = b < 4 ? bModes[above + b + 12] : bModes[base + b - 4];
                    int l = (b & 3) == 0 ? bModes[left + b + 3] : bModes[base + b - 1];
                    e.writeTree(B_MODE_TREE, KF_B_MODE_PROBS, (a * 10 + l) * 9, bModes[base + b]);
                }
            }
            e.writeTree(UV_MODE_TREE, KF_UV_MODE_PROBS, 0, m.uvMode[mb]);
            return;
        }
        if (ref == INTRA_FRAME) {
            e.write(h.probIntra, 0);
            e.writeTree(Y_MODE_TREE, p.yMode, 0, m.yMode[mb]);
            e.writeTree(UV_MODE_TREE, p.uvMode, 0, m.uvMode[mb]);
            return;
        }
        e.write(h.probIntra, 1);
        e.write(h.probLast, ref == LAST_FRAME ? 0 : 1);
        if (ref != LAST_FRAME) {
            e.write(h.probGolden, ref == GOLDEN_FRAME ? 0 : 1);
        }
        near.findNearMvs(m, mb, ref, h.signBias);
        for (int i = 0; i < 4; i++) {
            modeProbs[i] = MODE_CONTEXTS[near.counts[i] * 4 + i];
        }
        int mode = m.yMode[mb];
        e.writeTree(MV_REF_TREE, modeProbs, 0, mode);
        if (mode == NEWMV) {
            int bx = m.clampMvx(near.nearX[0], col);
            int by = m.clampMvy(near.nearY[0], row);
            writeComponent(e, p.mv, 0, (m.mvy[mb] - by) >> 1);
            writeComponent(e, p.mv, 19, (m.mvx[mb] - bx) >> 1);
        }
    }

    /** Section 17.1: one vector component in quarter pixels, short (tree) or long (bits) form. */
    private static void writeComponent(BoolEncoder e, int[] mvp, int o, int v) {
        int x = Math.abs(v);
        if (x < 8) {
            e.write(mvp[o], 0);
            e.writeTree(SMALL_MV_TREE, mvp, o + 2, x);
        } else {
            e.write(mvp[o], 1);
            for (int i = 0; i < 3; i++) {
                e.write(mvp[o + 9 + i], (x >> i) & 1);
            }
            for (int i = 9; i > 3; i--) {
                e.write(mvp[o + 9 + i], (x >> i) & 1);
            }
            if ((x & 0xfff0) != 0) {
                e.write(mvp[o + 9 + 3], (x >> 3) & 1);
            }
        }
        if (x != 0) {
            e.write(mvp[o + 1], v < 0 ? 1 : 0);
        }
    }
}
