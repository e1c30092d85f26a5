package org.rtc4j.codec.vp8.internal;

import static org.rtc4j.codec.vp8.internal.Tables.*;

import org.rtc4j.codec.vp8.Vp8Frame;

/**
 * Decodes VP8 frames (RFC 6386) into reference pictures: the frame tag and header, each
 * macroblock's modes, coefficients and reconstruction, the loop filter, and the updates of the
 * golden, alternate and last references. After a frame that fails to decode, only a key frame
 * is accepted.
 */
public final class FrameDecoder {

    private final int maxWidth;
    private final int maxHeight;

    private final FrameHeader header = new FrameHeader();
    private final Probabilities probs = new Probabilities();
    private final Probabilities saved = new Probabilities();
    private final BoolDecoder first = new BoolDecoder();
    private final BoolDecoder[] partitions = {
        new BoolDecoder(), new BoolDecoder(), new BoolDecoder(), new BoolDecoder(),
        new BoolDecoder(), new BoolDecoder(), new BoolDecoder(), new BoolDecoder()
    };
    private final ModeParser modes = new ModeParser();
    private final Residuals residuals = new Residuals();
    private final MacroblockRecon recon = new MacroblockRecon();

    private int width;
    private int height;
    private Macroblocks mbs;
    /** Four pictures: at most three references plus the one being decoded. */
    private final Picture[] pictures = new Picture[4];
    /** Reference pictures by reference frame index (LAST_FRAME to ALTREF_FRAME). */
    private final Picture[] refs = new Picture[4];
    private int[] aboveContext;
    private final int[] leftContext = new int[9];
    /** Dequantization factors by segment: Y DC, Y AC, UV DC, UV AC, Y2 DC, Y2 AC. */
    private final int[][] dequant = new int[4][6];
    /** The picture of the last decoded frame. */
    private Picture current;
    private boolean needKeyFrame = true;
    private boolean shown;

    /** Accepts frames of at most maxWidth x maxHeight pixels. */
    public FrameDecoder(int maxWidth, int maxHeight) {
        if (maxWidth < 1 || maxHeight < 1 || maxWidth > 16383 || maxHeight > 16383) {
            throw new IllegalArgumentException("bad largest frame size " + maxWidth + "x" + maxHeight);
        }
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Whether the last decoded frame is meant to be shown. */
    public boolean shown() {
        return shown;
    }

    /** A copy of the last decoded frame, cropped to its size. */
    public Vp8Frame output() {
        return current.copyOut(width, height);
    }

    /** Decodes one compressed frame; on error the decoder waits for a key frame. */
    public void decode(byte[] data, int offset, int length) throws Vp8Error {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new Vp8Error("bad buffer range");
        }
        try {
            decodeFrame(data, offset, length);
        } catch (Vp8Error e) {
            needKeyFrame = true;
            throw e;
        }
    }

    private void decodeFrame(byte[] data, int off, int len) throws Vp8Error {
        FrameHeader h = header;
        if (len < 3) {
            throw new Vp8Error("truncated frame tag");
        }
        int tag = (data[off] & 0xff) | (data[off + 1] & 0xff) << 8 | (data[off + 2] & 0xff) << 16;
        h.keyFrame = (tag & 1) == 0;
        h.version = (tag >> 1) & 7;
        h.show = ((tag >> 4) & 1) != 0;
        h.firstPartitionSize = tag >>> 5;
        if (h.version > 3) {
            throw new Vp8Error("unsupported version " + h.version);
        }
        int pos = off + 3;
        int end = off + len;
        if (h.keyFrame) {
            if (len < 10) {
                throw new Vp8Error("truncated key frame header");
            }
            if ((data[pos] & 0xff) != 0x9d || (data[pos + 1] & 0xff) != 0x01 || (data[pos + 2] & 0xff) != 0x2a) {
                throw new Vp8Error("bad key frame start code");
            }
            int w = ((data[pos + 3] & 0xff) | (data[pos + 4] & 0xff) << 8) & 0x3fff;
            int hgt = ((data[pos + 5] & 0xff) | (data[pos + 6] & 0xff) << 8) & 0x3fff;
            if (w == 0 || hgt == 0) {
                throw new Vp8Error("zero frame size");
            }
            if (w > maxWidth || hgt > maxHeight) {
                throw new Vp8Error("frame " + w + "x" + hgt + " larger than allowed " + maxWidth + "x" + maxHeight);
            }
            pos += 7;
            if (w != width || hgt != height || mbs == null) {
                resize(w, hgt);
            }
            needKeyFrame = false;
        } else if (needKeyFrame) {
            throw new Vp8Error("waiting for a key frame");
        }
        if (h.firstPartitionSize > end - pos) {
            throw new Vp8Error("truncated first partition");
        }
        BoolDecoder d = first;
        d.init(data, pos, h.firstPartitionSize);
        if (h.keyFrame) {
            probs.reset();
        }
        h.readUpToProbabilities(d);
        setupPartitions(data, pos + h.firstPartitionSize, end);
        if (!h.refreshProbs) {
            saved.copyFrom(probs);
        }
        h.readProbabilities(d, probs);
        if (d.exhausted(4)) {
            throw new Vp8Error("truncated frame header");
        }
        setupDequant();
        recon.setVersion(h.version);
        Picture cur = freePicture();
        decodeMacroblocks(cur);
        cur.extendBorders();
        if (!h.refreshProbs) {
            probs.copyFrom(saved);
        }
        updateReferences(cur);
        current = cur;
        shown = h.show;
    }

    private void resize(int w, int h) {
        width = w;
        height = h;
        int cols = (w + 15) >> 4;
        int rows = (h + 15) >> 4;
        mbs = new Macroblocks(cols, rows);
        for (int i = 0; i < 4; i++) {
            pictures[i] = new Picture(cols, rows);
            refs[i] = null;
        }
        aboveContext = new int[cols * 9];
    }

    private void setupPartitions(byte[] data, int pos, int end) throws Vp8Error {
        int n = header.partitions;
        int sizes = 3 * (n - 1);
        if (end - pos < sizes) {
            throw new Vp8Error("truncated partition sizes");
        }
        int p = pos + sizes;
        for (int i = 0; i < n; i++) {
            int size;
            if (i < n - 1) {
                int o = pos + 3 * i;
                size = (data[o] & 0xff) | (data[o + 1] & 0xff) << 8 | (data[o + 2] & 0xff) << 16;
                if (size > end - p) {
                    throw new Vp8Error("truncated partition " + i);
                }
            } else {
                size = end - p;
            }
            partitions[i].init(data, p, size);
            p += size;
        }
    }

    /** RFC 6386 section 9.6 and 14.1: the six factors of each segment. */
    private void setupDequant() {
        FrameHeader h = header;
        for (int s = 0; s < 4; s++) {
            int q = h.qIndex;
            if (h.segmentationEnabled) {
                q = h.segmentAbsolute ? h.segmentQuant[s] : q + h.segmentQuant[s];
            }
            h.dequantFactors(q, dequant[s]);
        }
    }

    private Picture freePicture() {
        for (Picture p : pictures) {
            if (p != refs[LAST_FRAME] && p != refs[GOLDEN_FRAME] && p != refs[ALTREF_FRAME]) {
                return p;
            }
        }
        throw new IllegalStateException("no free picture");
    }

    private void decodeMacroblocks(Picture cur) throws Vp8Error {
        FrameHeader h = header;
        Macroblocks m = mbs;
        int[] above = aboveContext;
        java.util.Arrays.fill(above, 0);
        if (!h.keyFrame) {
            for (int r = LAST_FRAME; r <= ALTREF_FRAME; r++) {
                if (refs[r] == null) {
                    throw new Vp8Error("missing reference frame");
                }
            }
        }
        recon.start(cur, refs, m);
        for (int row = 0; row < m.rows; row++) {
            BoolDecoder tokens = partitions[row & (h.partitions - 1)];
            java.util.Arrays.fill(leftContext, 0);
            for (int col = 0; col < m.cols; col++) {
                modes.read(first, h, probs, m, col, row);
                int mb = m.index(col, row);
                int mode = m.yMode[mb];
                boolean hasY2 = mode != B_PRED && mode != SPLITMV;
                boolean coded;
                if (m.skip[mb] != 0) {
                    Residuals.skip(hasY2, above, col * 9, leftContext);
                    coded = false;
                } else {
                    int seg = h.segmentationEnabled ? m.segment[mb] : 0;
                    coded = residuals.read(tokens, probs.coeff, hasY2, dequant[seg], above, col * 9, leftContext);
                }
                m.filterInner[mb] = coded || !hasY2;
                recon.reconstruct(col, row, coded ? residuals : null);
            }
            if (row > 0) {
                LoopFilter.filterRow(header, mbs, cur, row - 1);
            }
            if (first.exhausted(16) || tokens.exhausted(16)) {
                throw new Vp8Error("truncated partition data");
            }
        }
        LoopFilter.filterRow(header, mbs, cur, m.rows - 1);
    }

    /** RFC 6386 section 9.7: copies, then refreshes, of the golden, alternate and last frames. */
    private void updateReferences(Picture cur) {
        FrameHeader h = header;
        if (h.copyToAltref == 1) {
            refs[ALTREF_FRAME] = refs[LAST_FRAME];
        } else if (h.copyToAltref == 2) {
            refs[ALTREF_FRAME] = refs[GOLDEN_FRAME];
        }
        if (h.copyToGolden == 1) {
            refs[GOLDEN_FRAME] = refs[LAST_FRAME];
        } else if (h.copyToGolden == 2) {
            refs[GOLDEN_FRAME] = refs[ALTREF_FRAME];
        }
        if (h.refreshGolden) {
            refs[GOLDEN_FRAME] = cur;
        }
        if (h.refreshAltref) {
            refs[ALTREF_FRAME] = cur;
        }
        if (h.refreshLast) {
            refs[LAST_FRAME] = cur;
        }
    }
}
