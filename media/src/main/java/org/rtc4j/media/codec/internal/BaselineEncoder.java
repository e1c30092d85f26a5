package org.rtc4j.media.codec.internal;

import java.nio.ByteBuffer;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.encode.EncodedMB;
import org.jcodec.codecs.h264.encode.MBEncoderI16x16;
import org.jcodec.codecs.h264.encode.MBEncoderP16x16;
import org.jcodec.codecs.h264.encode.MotionEstimator;
import org.jcodec.codecs.h264.io.CAVLC;
import org.jcodec.codecs.h264.io.model.Frame;
import org.jcodec.codecs.h264.io.model.MBType;
import org.jcodec.codecs.h264.io.model.NALUnit;
import org.jcodec.codecs.h264.io.model.NALUnitType;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.RefPicMarkingIDR;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.io.write.CAVLCWriter;
import org.jcodec.codecs.h264.io.write.SliceHeaderWriter;
import org.jcodec.common.io.BitWriter;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * H.264 Constrained Baseline pictures from JCodec's macroblock encoders (CAVLC, I_16x16 and P_16x16, one reference
 * picture), with our own slice writer: it announces what the stream is (Constrained Baseline, constraint_set0 and 1,
 * ITU-T H.264 A.2.1.1, as RFC 7742 section 6.2 asks of WebRTC; the level the picture size needs, table A-1) and,
 * in P slices, skips macroblocks (P_Skip, section 7.3.4's mb_skip_run) that {@link SkipDecision} finds close enough
 * to their prediction, which JCodec's own slice writer never does: it codes every macroblock in full, so a still or
 * slowly moving picture cost as much as a busy one. The QP of each picture comes from outside.
 *
 * <p>The reference for the next picture is this picture as a decoder reconstructs it, deblocking included: we
 * decode our own access unit (JCodec's decoder matches ffmpeg's to the bit). JCodec's macroblock encoders filter as
 * they go, but not as a decoder does (they never fill in the coefficient counts that set the filter's strength,
 * and intra prediction then reads filtered samples, where section 8.3 wants unfiltered ones), so their pictures
 * drifted from every decoder's (35 to 45 dB PSNR apart within a picture). Their filter is kept idle: it reads
 * QP 0, where table 8-16's alpha is 0 and nothing is filtered.
 */
public final class BaselineEncoder {

    // A macroblock so large it would overrun the slice buffer's share is coded again this much coarser.
    private static final int MB_BITS_CAP = 2048;
    private static final int QP_RETRY_STEP = 4;

    private int motionSearchRange = 16;
    private SeqParameterSet sps;
    private PictureParameterSet pps;
    private final H264Decoder self = JCodecDecoders.singleThreaded();
    private Picture ref;
    private byte[][] decoded;
    private ByteBuffer slice;
    private SkipDecision skip;
    private long skipped;

    /** The motion search range in whole pixels (JCodec searches every position within it). */
    public void setMotionSearchRange(int pixels) {
        this.motionSearchRange = pixels;
    }

    /** The last picture as decoders reconstruct it (JCodec's samples: value - 128), the next one's reference. */
    public Picture reference() {
        return ref;
    }

    /** Macroblocks coded as P_Skip so far. */
    public long skippedMacroblocks() {
        return skipped;
    }

    /**
     * Codes {@code pic} (padded to whole macroblocks) into {@code dst} as one Annex B access unit: SPS, PPS and an
     * IDR slice when {@code idr}, else a P slice predicted from the previous picture.
     */
    public ByteBuffer encode(Picture pic, ByteBuffer dst, boolean idr, int frameNum, int qp) {
        ByteBuffer dup = dst.duplicate();
        int start = dup.position();
        if (idr || sps == null || !sameSize(pic)) {
            sps = initSps(pic.getCroppedWidth(), pic.getCroppedHeight());
            pps = new PictureParameterSet();   // pic_init_qp 26, CAVLC, deblocking on
            ref = Picture.create(pic.getWidth(), pic.getHeight(), ColorSpace.YUV420J);
            decoded = new byte[][] {new byte[pic.getWidth() * pic.getHeight()],
                new byte[pic.getWidth() * pic.getHeight() / 4], new byte[pic.getWidth() * pic.getHeight() / 4]};
            slice = ByteBuffer.allocate(pic.getWidth() * pic.getHeight() * 2);
            skip = new SkipDecision(sps.picWidthInMbsMinus1 + 1);
            idr = true;
            nal(dup, NALUnitType.SPS, b -> sps.write(b));
            nal(dup, NALUnitType.PPS, b -> pps.write(b));
        }
        encodeSlice(pic, dup, idr, frameNum, qp);
        dup.flip();
        reconstruct(dup.duplicate().position(start));
        return dup;
    }

    // The access unit as decoders see it becomes the next picture's reference.
    private void reconstruct(ByteBuffer accessUnit) {
        ByteBuffer copy = ByteBuffer.allocate(accessUnit.remaining());   // JCodec unescapes in place
        copy.put(accessUnit).flip();
        Frame frame = self.decodeFrameFromNals(H264Utils.splitFrame(copy), decoded);
        if (frame == null || frame.getPlaneWidth(0) != ref.getPlaneWidth(0)
                || frame.getPlaneHeight(0) != ref.getPlaneHeight(0)) {
            throw new IllegalStateException("our own H.264 picture did not decode: " + frame);
        }
        for (int plane = 0; plane < 3; plane++) {
            System.arraycopy(frame.getPlaneData(plane), 0, ref.getPlaneData(plane), 0,
                    ref.getPlaneData(plane).length);
        }
    }

    private boolean sameSize(Picture pic) {
        return ref.getWidth() == pic.getWidth() && ref.getHeight() == pic.getHeight()
                && sps.frameCropRightOffset == (pic.getWidth() - pic.getCroppedWidth() + 1) >> 1
                && sps.frameCropBottomOffset == (pic.getHeight() - pic.getCroppedHeight() + 1) >> 1;
    }

    private void encodeSlice(Picture pic, ByteBuffer dst, boolean idr, int frameNum, int qp) {
        int mbWidth = sps.picWidthInMbsMinus1 + 1;
        int mbHeight = sps.picHeightInMapUnitsMinus1 + 1;
        SliceType type = idr ? SliceType.I : SliceType.P;
        CAVLC[] cavlc = {new CAVLC(sps, pps, 2, 2), new CAVLC(sps, pps, 1, 1), new CAVLC(sps, pps, 1, 1)};
        byte[][] leftColumn = {new byte[16], new byte[8], new byte[8]};
        byte[][] topRow = {new byte[mbWidth << 4], new byte[mbWidth << 3], new byte[mbWidth << 3]};
        MBEncoderI16x16 intra = new MBEncoderI16x16(cavlc, leftColumn, topRow);
        MBEncoderP16x16 inter = idr ? null
                : new MBEncoderP16x16(sps, ref, cavlc, new MotionEstimator(motionSearchRange));
        EncodedMB[] above = new EncodedMB[mbWidth];
        for (int i = 0; i < mbWidth; i++) {
            above[i] = new Unfiltered();
        }
        EncodedMB current = new Unfiltered();

        slice.clear();
        BitWriter bits = new BitWriter(slice);
        SliceHeaderWriter.write(header(type, idr, frameNum, qp), idr, 2, bits);
        int skipRun = 0;
        for (int mbY = 0; mbY < mbHeight; mbY++) {
            for (int mbX = 0; mbX < mbWidth; mbX++) {
                EncodedMB left = mbX > 0 ? above[mbX - 1] : null;
                EncodedMB top = mbY > 0 ? above[mbX] : null;
                if (inter != null && skip.trySkip(pic, ref, inter, cavlc, mbX, mbY, qp, current)) {
                    skipRun++;
                    skipped++;
                } else {
                    if (inter != null) {
                        CAVLCWriter.writeUE(bits, skipRun);   // mb_skip_run (7.3.4)
                        skipRun = 0;
                    }
                    bits = codeMacroblock(pic, intra, inter, type, bits, mbX, mbY, qp, current, left, top);
                    qp = ((Unfiltered) current).qp;
                }
                keepForPrediction(current, mbX, leftColumn, topRow);
                EncodedMB done = above[mbX];
                above[mbX] = current;
                current = done;
            }
        }
        if (skipRun > 0) {
            CAVLCWriter.writeUE(bits, skipRun);   // the slice ends in skipped macroblocks
        }
        bits.write1Bit(1);   // rbsp_stop_one_bit (7.3.2.11), then zeros to the byte
        bits.flush();
        ByteBuffer body = bits.getBuffer();
        body.flip();
        dst.putInt(1);
        new NALUnit(idr ? NALUnitType.IDR_SLICE : NALUnitType.NON_IDR_SLICE, 3).write(dst);
        H264Utils.escapeNAL(body, dst);
    }

    // One macroblock in full (mb_type, prediction, residual), coded again coarser while it is too large.
    private BitWriter codeMacroblock(Picture pic, MBEncoderI16x16 intra, MBEncoderP16x16 inter, SliceType type,
            BitWriter bits, int mbX, int mbY, int qp, EncodedMB current, EncodedMB left, EncodedMB top) {
        if (inter == null) {
            // I_16x16's mb_type carries its prediction mode and coded block pattern (table 7-11).
            int mode = intra.getPredMode(pic, mbX, mbY);
            int cbpChroma = intra.getCbpChroma(pic, mbX, mbY);
            int cbpLuma = intra.getCbpLuma(pic, mbX, mbY);
            CAVLCWriter.writeUE(bits, MBType.I_16x16.code() + mode + 4 * cbpChroma + 12 * (cbpLuma / 15));
        } else {
            CAVLCWriter.writeUE(bits, MBType.P_16x16.code());
        }
        int delta = 0;
        while (true) {
            BitWriter candidate = bits.fork();
            if (inter == null) {
                intra.save();
                intra.encodeMacroblock(pic, mbX, mbY, candidate, current, left, top, qp + delta, delta);
            } else {
                inter.save();
                inter.encodeMacroblock(pic, mbX, mbY, candidate, current, left, top, qp + delta, delta);
            }
            if (candidate.position() - bits.position() <= MB_BITS_CAP || qp + delta + QP_RETRY_STEP > 51) {
                current.setQp(qp + delta);
                return candidate;
            }
            if (inter == null) {
                intra.restore();
            } else {
                inter.restore();
            }
            delta += QP_RETRY_STEP;
        }
    }

    private SliceHeader header(SliceType type, boolean idr, int frameNum, int qp) {
        SliceHeader sh = new SliceHeader();
        sh.sliceType = type;
        if (idr) {
            sh.refPicMarkingIDR = new RefPicMarkingIDR(false, false);
        }
        sh.sps = sps;
        sh.pps = pps;
        sh.frameNum = frameNum & ((1 << (sps.log2MaxFrameNumMinus4 + 4)) - 1);
        sh.picOrderCntLsb = (frameNum << 1) & ((1 << (sps.log2MaxPicOrderCntLsbMinus4 + 4)) - 1);
        sh.sliceQpDelta = qp - (pps.picInitQpMinus26 + 26);
        return sh;
    }

    // The right column and bottom row of a finished macroblock predict the next ones (intra, 8.3.3).
    private static void keepForPrediction(EncodedMB mb, int mbX, byte[][] leftColumn, byte[][] topRow) {
        Picture p = mb.getPixels();
        for (int plane = 0; plane < 3; plane++) {
            int size = plane == 0 ? 16 : 8;
            byte[] px = p.getPlaneData(plane);
            System.arraycopy(px, size * (size - 1), topRow[plane], mbX * size, size);
            for (int i = 0; i < size; i++) {
                leftColumn[plane][i] = px[i * size + size - 1];
            }
        }
    }

    // A macroblock whose QP JCodec's deblocking filter reads as 0, where it filters nothing.
    private static final class Unfiltered extends EncodedMB {
        int qp;

        @Override
        public int getQp() {
            return 0;
        }

        @Override
        public void setQp(int qp) {
            this.qp = qp;
        }
    }

    static SeqParameterSet initSps(int width, int height) {
        SeqParameterSet sps = new SeqParameterSet();
        int mbWidth = (width + 15) >> 4;
        int mbHeight = (height + 15) >> 4;
        sps.profileIdc = 66;
        sps.constraintSet0Flag = true;
        sps.constraintSet1Flag = true;
        // Table A-1 MaxFS: 3.1 up to 3600 macroblocks (1280x720), 4.0 to 8192 (2048x1024), else 5.1.
        int mbs = mbWidth * mbHeight;
        sps.levelIdc = mbs <= 3600 ? 31 : mbs <= 8192 ? 40 : 51;
        sps.chromaFormatIdc = ColorSpace.YUV420J;
        sps.picWidthInMbsMinus1 = mbWidth - 1;
        sps.picHeightInMapUnitsMinus1 = mbHeight - 1;
        sps.numRefFrames = 1;
        sps.frameMbsOnlyFlag = true;
        sps.log2MaxFrameNumMinus4 = 4;
        sps.frameCroppingFlag = mbWidth * 16 != width || mbHeight * 16 != height;
        sps.frameCropRightOffset = (mbWidth * 16 - width + 1) >> 1;
        sps.frameCropBottomOffset = (mbHeight * 16 - height + 1) >> 1;
        return sps;
    }

    private interface Body {
        void write(ByteBuffer b);
    }

    private static void nal(ByteBuffer dst, NALUnitType type, Body body) {
        ByteBuffer raw = ByteBuffer.allocate(1024);
        body.write(raw);
        raw.flip();
        dst.putInt(1);
        new NALUnit(type, 3).write(dst);
        H264Utils.escapeNAL(raw, dst);
    }
}
