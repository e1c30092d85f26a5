package org.rtc4j.media.codec.internal;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import org.jcodec.codecs.common.biari.MDecoder;
import org.jcodec.codecs.h264.decode.FrameReader;
import org.jcodec.codecs.h264.decode.SliceReader;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;

/**
 * JCodec's frame reader with every CABAC slice's arithmetic decoder behind a budget of bins, so that no crafted
 * slice can keep JCodec's CABAC decoder looping. JCodec 0.2.5 reads some unary syntax elements without the bounds
 * the standard sets (mb_qp_delta, ITU-T H.264 section 7.4.5; ref_idx), and past a slice's end its arithmetic decoder
 * can return the same bin for ever: such a loop never ends by itself.
 *
 * <p>The budget is the standard's own bound on an access unit's bins (section 7.4.2.10): at most
 * {@code 32/3 * NumBytesInVclNALunits + RawMbBits * PicSizeInMbs / 32}, which every conforming encoder keeps (it
 * pads with cabac_zero_word otherwise). Past it, the access unit is refused with an exception; a conforming stream
 * never gets there, so decoding is unchanged.
 */
public final class CabacBinBudget extends FrameReader {

    private static final Field DECODER;

    static {
        try {
            DECODER = SliceReader.class.getDeclaredField("mDecoder");
            DECODER.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this JCodec version's SliceReader is not the one rtc4j knows", e);
        }
    }

    private long remaining;

    @Override
    public List<SliceReader> readFrame(List<ByteBuffer> nals) {
        long bytes = 0;
        for (ByteBuffer nal : nals) {
            bytes += nal.remaining();
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
