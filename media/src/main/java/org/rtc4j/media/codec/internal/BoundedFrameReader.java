package org.rtc4j.media.codec.internal;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import org.jcodec.codecs.common.biari.MDecoder;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.decode.FrameReader;
import org.jcodec.codecs.h264.decode.SliceReader;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;

/**
 * JCodec's frame reader with the bounds JCodec 0.2.5 lacks, so that no crafted slice keeps it looping: each slice
 * header's reference list modification is checked first ({@link SliceHeaderCheck}), and every CABAC slice's
 * arithmetic decoder works within a budget of bins. JCodec reads some unary syntax elements without the bounds the
 * standard sets (mb_qp_delta, ITU-T H.264 section 7.4.5; ref_idx; the list modification of 7.4.3.1), and past a
 * slice's end its readers return the same bits for ever: such a loop never ends by itself.
 *
 * <p>The CABAC budget is the standard's own bound on an access unit's bins (section 7.4.2.10): at most
 * {@code 32/3 * NumBytesInVclNALunits + RawMbBits * PicSizeInMbs / 32}, which every conforming encoder keeps (it
 * pads with cabac_zero_word otherwise). Past it, the access unit is refused with an exception; a conforming stream
 * never gets there, so decoding is unchanged.
 */
public final class BoundedFrameReader extends FrameReader implements SliceHeaderCheck.PpsLookup {

    private static final Field DECODER;

    static {
        try {
            DECODER = SliceReader.class.getDeclaredField("mDecoder");
            DECODER.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this JCodec version's SliceReader is not the one rtc4j knows", e);
        }
    }

    private static final int NAL_SLICE = 1;
    private static final int NAL_IDR = 5;
    private static final int NAL_SPS = 7;
    private static final int NAL_PPS = 8;

    private final SeqParameterSet[] spsById = new SeqParameterSet[32];        // seq_parameter_set_id 0..31
    private final PictureParameterSet[] ppsById = new PictureParameterSet[256];   // pic_parameter_set_id 0..255
    private long remaining;

    @Override
    public List<SliceReader> readFrame(List<ByteBuffer> nals) {
        long bytes = 0;
        for (ByteBuffer nal : nals) {
            bytes += nal.remaining();
            check(nal);
        }
        List<SliceReader> slices = super.readFrame(nals);
        if (slices == null || slices.isEmpty()) {
            return slices;
        }
        remaining = bytes * 32 / 3 + rawMbBits(slices.get(0).getSliceHeader().sps) / 32;
        try {
            for (SliceReader slice : slices) {
                if (DECODER.get(slice) instanceof MDecoder inner) {
                    DECODER.set(slice, new Counted(inner));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return slices;
    }

    // Parameter sets are remembered (as JCodec's own reader does) so that slice headers can be read before JCodec.
    private void check(ByteBuffer nal) {
        if (nal.remaining() < 2) {
            return;
        }
        int type = nal.get(nal.position()) & 0x1F;
        if (type != NAL_SPS && type != NAL_PPS && type != NAL_SLICE && type != NAL_IDR) {
            return;
        }
        ByteBuffer rbsp = ByteBuffer.allocate(nal.remaining() - 1);
        rbsp.put(nal.duplicate().position(nal.position() + 1)).flip();
        H264Utils.unescapeNAL(rbsp);
        if (type == NAL_SLICE || type == NAL_IDR) {
            SliceHeaderCheck.check(rbsp.array(), rbsp.limit(), type == NAL_IDR, this);
            return;
        }
        SeqParameterSet sps = null;
        PictureParameterSet pps = null;
        try {
            if (type == NAL_SPS) {
                sps = SeqParameterSet.read(rbsp);
            } else {
                pps = PictureParameterSet.read(rbsp);
            }
        } catch (RuntimeException malformed) {
            return;   // JCodec's own reader meets the same bytes next and refuses them
        }
        // JCodec keeps parameter sets in an array as long as the largest id: the ids' bounds (7.4.2.1.1, 7.4.2.2)
        // keep a crafted one from allocating gigabytes.
        int id = sps != null ? sps.seqParameterSetId : pps.picParameterSetId;
        if (id < 0 || id >= (sps != null ? spsById.length : ppsById.length)) {
            throw new IllegalStateException("H.264 parameter set id " + (id & 0xFFFFFFFFL) + " out of range: refused");
        }
        if (sps != null) {
            spsById[id] = sps;
        } else {
            ppsById[id] = pps;
        }
    }

    @Override
    public SeqParameterSet sps(int id) {
        return id >= 0 && id < spsById.length ? spsById[id] : null;
    }

    @Override
    public PictureParameterSet pps(int id) {
        return id >= 0 && id < ppsById.length ? ppsById[id] : null;
    }

    // RawMbBits * PicSizeInMbs (section 7.4.2.1.1 for RawMbBits; 4:4:4's chroma size as the upper bound).
    private static long rawMbBits(SeqParameterSet sps) {
        long mbs = (sps.picWidthInMbsMinus1 + 1L) * (sps.picHeightInMapUnitsMinus1 + 1L)
                * (sps.frameMbsOnlyFlag ? 1 : 2);
        long raw = 256L * (8 + sps.bitDepthLumaMinus8) + 2 * 256L * (8 + sps.bitDepthChromaMinus8);
        return raw * mbs;
    }

    private void spend() {
        if (--remaining < 0) {
            throw new IllegalStateException("CABAC access unit past the bins H.264 7.4.2.10 allows: refused");
        }
    }

    // Counts every bin and hands it to JCodec's decoder of the slice.
    private final class Counted extends MDecoder {
        private final MDecoder inner;

        Counted(MDecoder inner) {
            super(ByteBuffer.allocate(0), null);
            this.inner = inner;
        }

        @Override
        protected void initCodeRegister() {
            // the inner decoder has read its first bits already; this one reads nothing
        }

        @Override
        public int decodeBin(int ctx) {
            spend();
            return inner.decodeBin(ctx);
        }

        @Override
        public int decodeFinalBin() {
            spend();
            return inner.decodeFinalBin();
        }

        @Override
        public int decodeBinBypass() {
            spend();
            return inner.decodeBinBypass();
        }
    }
}
