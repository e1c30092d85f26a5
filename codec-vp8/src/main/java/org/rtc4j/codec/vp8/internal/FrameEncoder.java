package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.*;

import java.util.Arrays;
import org.rtc4j.codec.vp8.Vp8Frame;

/**
 * Encodes frames of one size as VP8 (RFC 6386): mode decision and motion search per macroblock,
 * forward transforms and quantization, tokens with the default probabilities, then the frame
 * header and the modes. The reconstruction goes through the decoder's own prediction, inverse
 * transforms and loop filter, so the references here equal the decoder's bit for bit.
 */
public final class FrameEncoder {

    private final int width;
    private final int height;
    private final Macroblocks m;
    private final Picture src;
    private final Picture[] pictures = new Picture[4];
    private final Picture[] refs = new Picture[4];
    private Picture cur;

    private final FrameHeader h = new FrameHeader();
    private final Probabilities probs = new Probabilities();
    /** The probabilities to return to after a frame that does not keep its updates. */
    private final Probabilities saved = new Probabilities();
    private final CoefficientProbabilities.Counter counter = new CoefficientProbabilities.Counter();
    /** Each macroblock's levels and block ends, kept until the probabilities are chosen. */
    private final int[] mbLevels;
    private final int[] mbEobs;
    private final BoolEncoder first = new BoolEncoder();
    private final BoolEncoder tokens = new BoolEncoder();
    private final ModeParser near = new ModeParser();
    private final MacroblockRecon recon = new MacroblockRecon();
    private final IntraPredictor intra = new IntraPredictor();
    private final MotionSearch search = new MotionSearch();
    private final Quantizer quant = new Quantizer();
    private final Residuals res = new Residuals();
    private final int[] aboveCtx;
    private final int[] leftCtx = new int[9];
    private final int[] candidates = new int[8];
    private final int[] subModes = new int[16];
    private int lambda;

    /** A frame encoder for frames of width x height pixels. */
    public FrameEncoder(int width, int height) {
        if (width < 1 || height < 1 || width > 16383 || height > 16383) {
            throw new IllegalArgumentException("bad frame size " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        int cols = (width + 15) >> 4;
        int rows = (height + 15) >> 4;
        m = new Macroblocks(cols, rows);
        src = new Picture(cols, rows);
        for (int i = 0; i < 4; i++) {
            pictures[i] = new Picture(cols, rows);
        }
        aboveCtx = new int[cols * 9];
        mbLevels = new int[cols * rows * 25 * 16];
        mbEobs = new int[cols * rows * 25];
        probs.reset();
        recon.setVersion(0);
    }

    /** Copies the I420 frame to encode, repeating its last column and row out to whole macroblocks. */
    public void setSource(byte[] y, int yStride, byte[] u, byte[] v, int uvStride) {
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        copyPlane(y, yStride, width, height, src.y, src.yOrigin, src.yStride, src.width, src.height);
        copyPlane(u, uvStride, cw, ch, src.u, src.uvOrigin, src.uvStride, src.width / 2, src.height / 2);
        copyPlane(v, uvStride, cw, ch, src.v, src.uvOrigin, src.uvStride, src.width / 2, src.height / 2);
    }

    private static void copyPlane(byte[] in, int inStride, int w, int hgt, byte[] out, int origin, int stride,
            int outW, int outH) {
        for (int r = 0; r < outH; r++) {
            int o = origin + r * stride;
            System.arraycopy(in, Math.min(r, hgt - 1) * inStride, out, o, w);
            Arrays.fill(out, o + w, o + outW, out[o + w - 1]);
        }
    }

    /**
     * Encodes the source as a key frame or as an inter frame predicted from reference (LAST_FRAME
     * or GOLDEN_FRAME, 1 or 2), with quantizer index qIndex (0-127). Returns the frame's length;
     * its bytes are in {@link #output()}.
     */
    public int encode(boolean keyFrame, int qIndex, int reference, boolean refreshLast, boolean refreshGolden,
            boolean refreshProbs) {
        if (!keyFrame && refs[reference] == null) {
            throw new IllegalStateException("no reference frame yet");
        }
        setupHeader(keyFrame, qIndex, refreshLast, refreshGolden, refreshProbs);
        cur = freePicture();
        recon.start(cur, refs, m);
        if (keyFrame) {
            probs.reset();
        }
        counter.clear();
        Arrays.fill(aboveCtx, 0);
        int[] counts = new int[4]; // skipped, intra, last, golden
        for (int row = 0; row < m.rows; row++) {
            Arrays.fill(leftCtx, 0);
            for (int col = 0; col < m.cols; col++) {
                int mb = m.index(col, row);
                if (keyFrame) {
                    int sad = chooseIntra(col, row, mb);
                    trySubblocks(col, row, mb, sad);
                } else {
                    chooseInter(col, row, mb, reference);
                }
                codeResidual(col, row, mb);
                counts[0] += m.skip[mb];
                counts[m.refFrame[mb] == INTRA_FRAME ? 1 : m.refFrame[mb] == LAST_FRAME ? 2 : 3]++;
            }
            if (row > 0) {
                LoopFilter.filterRow(h, m, cur, row - 1);
            }
        }
        LoopFilter.filterRow(h, m, cur, m.rows - 1);
        cur.extendBorders();
        updateReferences(keyFrame, refreshLast, refreshGolden);
        int total = m.cols * m.rows;
        h.probSkip = prob(total - counts[0], total);
        h.probIntra = prob(counts[1], total);
        h.probLast = prob(counts[2], counts[2] + counts[3]);
        h.probGolden = 128;
        if (!refreshProbs) {
            saved.copyFrom(probs);
        }
        FrameWriter.writeFirstPartition(first, h, m, near, probs, counter.counts);
        writeTokens();
        int length = FrameWriter.assemble(first, tokens, h, width, height, out);
        if (!refreshProbs) {
            probs.copyFrom(saved);
        }
        return length;
    }

    /** The token partition, with the probabilities the header chose. */
    private void writeTokens() {
        tokens.reset();
        Arrays.fill(aboveCtx, 0);
        for (int row = 0; row < m.rows; row++) {
            Arrays.fill(leftCtx, 0);
            for (int col = 0; col < m.cols; col++) {
                int slot = row * m.cols + col;
                int mb = m.index(col, row);
                boolean hasY2 = m.yMode[mb] != B_PRED;
                if (m.skip[mb] != 0) {
                    Residuals.skip(hasY2, aboveCtx, col * 9, leftCtx);
                } else {
                    TokenWriter.write(tokens, probs.coeff, hasY2, mbLevels, slot * 25 * 16, mbEobs, slot * 25, aboveCtx,
                            col * 9, leftCtx);
                }
            }
        }
    }

    /** Probability (1-255) of the event that happened n times out of total. */
    private static int prob(int n, int total) {
        if (total == 0) {
            return 128;
        }
        return Math.max(1, Math.min(255, (n * 256 + total / 2) / total));
    }

    private final FrameWriter.Output out = new FrameWriter.Output();

    /** The last encoded frame; the array may be longer than its length. */
    public byte[] output() {
        return out.bytes;
    }

    /** The reconstruction of the last encoded frame: what a decoder shows. */
    public Vp8Frame reconstruction() {
        return cur.copyOut(width, height);
    }

    private void setupHeader(boolean keyFrame, int qIndex, boolean refreshLast, boolean refreshGolden,
            boolean refreshProbs) {
        FrameHeader f = h;
        f.keyFrame = keyFrame;
        f.qIndex = qIndex;
        // The loop filter grows with the quantizer: coarser steps leave stronger block edges.
        f.filterLevel = qIndex < 8 ? 0 : Math.min(63, qIndex * 3 / 8 + 2);
        f.sharpness = 0;
        f.refreshLast = keyFrame || refreshLast;
        f.refreshGolden = keyFrame || refreshGolden;
        f.refreshAltref = keyFrame;
        f.refreshProbs = refreshProbs;
        quant.setup(f, qIndex, keyFrame);
        lambda = Math.max(1, AC_Q[qIndex] >> 2);
    }

    private Picture freePicture() {
        for (Picture p : pictures) {
            if (p != refs[LAST_FRAME] && p != refs[GOLDEN_FRAME] && p != refs[ALTREF_FRAME]) {
                return p;
            }
        }
        throw new IllegalStateException("no free picture");
    }

    private void updateReferences(boolean keyFrame, boolean refreshLast, boolean refreshGolden) {
        if (keyFrame) {
            refs[LAST_FRAME] = refs[GOLDEN_FRAME] = refs[ALTREF_FRAME] = cur;
            return;
        }
        if (refreshGolden) {
            refs[GOLDEN_FRAME] = cur;
        }
        if (refreshLast) {
            refs[LAST_FRAME] = cur;
        }
    }

    /** The 16x16 luma and 8x8 chroma intra modes with the smallest error; returns the luma SAD. */
    private int chooseIntra(int col, int row, int mb) {
        Picture p = cur;
        int yPos = p.yOrigin + row * 16 * p.yStride + col * 16;
        int uvPos = p.uvOrigin + row * 8 * p.uvStride + col * 8;
        boolean top = row > 0;
        boolean left = col > 0;
        int bestMode = DC_PRED;
        int best = Integer.MAX_VALUE;
        for (int mode = DC_PRED; mode <= TM_PRED; mode++) {
            if ((mode == V_PRED && !top) || (mode == H_PRED && !left)) {
                continue;
            }
            intra.predictBlock(mode, p.y, yPos, p.yStride, 16, top, left);
            int sad = MotionSearch.sad16(src.y, yPos, src.yStride, p.y, yPos, p.yStride, best);
            if (sad < best) {
                best = sad;
                bestMode = mode;
            }
        }
        int bestUv = DC_PRED;
        int bestUvSad = Integer.MAX_VALUE;
        for (int mode = DC_PRED; mode <= TM_PRED; mode++) {
            if ((mode == V_PRED && !top) || (mode == H_PRED && !left)) {
                continue;
            }
            intra.predictBlock(mode, p.u, uvPos, p.uvStride, 8, top, left);
            intra.predictBlock(mode, p.v, uvPos, p.uvStride, 8, top, left);
            int sad = sad8(src.u, p.u, uvPos, p.uvStride) + sad8(src.v, p.v, uvPos, p.uvStride);
            if (sad < bestUvSad) {
                bestUvSad = sad;
                bestUv = mode;
            }
        }
        m.refFrame[mb] = INTRA_FRAME;
        m.yMode[mb] = bestMode;
        m.uvMode[mb] = bestUv;
        Arrays.fill(m.bModes, mb * 16, mb * 16 + 16, switch (bestMode) {
            case V_PRED -> B_VE_PRED;
            case H_PRED -> B_HE_PRED;
            case TM_PRED -> B_TM_PRED;
            default -> B_DC_PRED;
        });
        setVector(mb, 0, 0);
        return best;
    }

    /**
     * B_PRED on key frames: each subblock's best of the ten modes, predicted from its reconstructed
     * neighbours (so each is quantized and reconstructed in turn); kept when its error with the
     * modes' rate is below the best 16x16 mode's. The levels stay in the quantizer.
     */
    private void trySubblocks(int col, int row, int mb, int sad16) {
        Picture p = cur;
        int stride = p.yStride;
        int yPos = p.yOrigin + row * 16 * stride + col * 16;
        intra.startSubblocks(p.y, yPos, stride, row > 0, col > 0, col == m.cols - 1);
        int total = 0;
        int[] modes = subModes;
        for (int b = 0; b < 16; b++) {
            int pos = yPos + (b >> 2) * 4 * stride + (b & 3) * 4;
            int best = Integer.MAX_VALUE;
            for (int mode = B_DC_PRED; mode <= B_HU_PRED; mode++) {
                intra.predictSubblock(mode, p.y, yPos, stride, b);
                int sad = sad4(src.y, p.y, pos, stride);
                if (sad < best) {
                    best = sad;
                    modes[b] = mode;
                }
            }
            total += best + 2 * lambda;
            if (total >= sad16) {
                return;
            }
            intra.predictSubblock(modes[b], p.y, yPos, stride, b);
            quant.quantizeSubblock(src, p, pos, b);
            quant.reconstructSubblock(b, p.y, pos, stride);
        }
        m.yMode[mb] = B_PRED;
        System.arraycopy(modes, 0, m.bModes, mb * 16, 16);
    }

    private static int sad4(byte[] a, byte[] b, int pos, int stride) {
        int sum = 0;
        for (int r = 0; r < 4; r++) {
            int o = pos + r * stride;
            for (int c = 0; c < 4; c++) {
                sum += Math.abs((a[o + c] & 0xff) - (b[o + c] & 0xff));
            }
        }
        return sum;
    }

    private static int sad8(byte[] a, byte[] b, int pos, int stride) {
        int sum = 0;
        for (int r = 0; r < 8; r++) {
            int o = pos + r * stride;
            for (int c = 0; c < 8; c++) {
                sum += Math.abs((a[o + c] & 0xff) - (b[o + c] & 0xff));
            }
        }
        return sum;
    }

    private void setVector(int mb, int x, int y) {
        m.mvx[mb] = x;
        m.mvy[mb] = y;
        Arrays.fill(m.bMvx, mb * 16, mb * 16 + 16, x);
        Arrays.fill(m.bMvy, mb * 16, mb * 16 + 16, y);
    }

    /** Motion search against the reference, then intra if it predicts clearly better. */
    private void chooseInter(int col, int row, int mb, int reference) {
        near.findNearMvs(m, mb, reference, h.signBias);
        int[] c = candidates;
        for (int k = 0; k < 3; k++) {
            c[2 * k] = m.clampMvx(near.nearX[k], col);
            c[2 * k + 1] = m.clampMvy(near.nearY[k], row);
        }
        c[6] = 0;
        c[7] = 0;
        int bestX = c[0];
        int bestY = c[1];
        search.search(src, refs[reference], col * 16, row * 16, c, 4, bestX, bestY, lambda, true);
        int mx = search.bestX;
        int my = search.bestY;
        int mode;
        if (mx == 0 && my == 0) {
            mode = ZEROMV;
        } else if (mx == c[2] && my == c[3]) {
            mode = NEARESTMV;
        } else if (mx == c[4] && my == c[5]) {
            mode = NEARMV;
        } else if (Math.abs(mx - bestX) < 2048 && Math.abs(my - bestY) < 2048) {
            mode = NEWMV;
        } else {
            mode = ZEROMV; // too far from the coded prediction to be written (RFC 6386 section 17)
            mx = 0;
            my = 0;
        }
        int interSad = search.bestSad;
        if (interSad > 16 * 16 * 3) {
            // Only a poorly predicted block is worth trying intra; the SAD of each mode is compared
            // after the intra modes' extra rate.
            int intraSad = chooseIntra(col, row, mb);
            if (intraSad + 16 * lambda < interSad) {
                return;
            }
        }
        m.refFrame[mb] = reference;
        m.yMode[mb] = mode;
        m.uvMode[mb] = DC_PRED;
        setVector(mb, mx, my);
    }

    /** Predicts, transforms and quantizes the macroblock, writes its tokens and reconstructs it. */
    private void codeResidual(int col, int row, int mb) {
        recon.predict(col, row);
        Picture p = cur;
        int yPos = p.yOrigin + row * 16 * p.yStride + col * 16;
        int uvPos = p.uvOrigin + row * 8 * p.uvStride + col * 8;
        boolean hasY2 = m.yMode[mb] != B_PRED;
        boolean coded;
        if (hasY2) {
            coded = quant.quantizeLuma(src, p, yPos);
        } else {
            // The subblocks were quantized while choosing their modes.
            coded = false;
            for (int b = 0; b < 16; b++) {
                coded |= quant.eob[b] > 0;
            }
        }
        coded |= quant.quantizeChroma(src, p, uvPos);
        m.skip[mb] = coded ? 0 : 1;
        m.filterInner[mb] = coded || !hasY2;
        if (!coded) {
            Residuals.skip(hasY2, aboveCtx, col * 9, leftCtx);
            return;
        }
        // Counted now (for the probabilities), written once the header is known.
        TokenWriter.write(counter, CoefficientProbabilities.INDEX, hasY2, quant.levels, 0, quant.eob, 0, aboveCtx,
                col * 9, leftCtx);
        int slot = row * m.cols + col;
        System.arraycopy(quant.levels, 0, mbLevels, slot * 25 * 16, 25 * 16);
        System.arraycopy(quant.eob, 0, mbEobs, slot * 25, 25);
        quant.dequantize(res, hasY2);
        if (hasY2) {
            recon.addResidual(col, row, res);
        } else {
            recon.reconstruct(col, row, res); // each subblock predicted again from its reconstructed neighbours
        }
    }
}
