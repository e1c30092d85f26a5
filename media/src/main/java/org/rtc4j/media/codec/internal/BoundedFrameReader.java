package org.rtc4j.media.codec.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.common.biari.MDecoder;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.decode.FrameReader;
import org.jcodec.codecs.h264.decode.SliceHeaderReader;
import org.jcodec.codecs.h264.decode.SliceReader;
import org.jcodec.codecs.h264.decode.aso.MapManager;
import org.jcodec.codecs.h264.io.CABAC;
import org.jcodec.codecs.h264.io.CAVLC;
import org.jcodec.codecs.h264.io.model.NALUnit;
import org.jcodec.codecs.h264.io.model.NALUnitType;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.common.io.BitReader;

/**
 * JCodec's frame reader, redone with the bounds JCodec 0.2.5 lacks, so that no crafted NAL unit keeps it looping
 * or allocating: parameter sets are checked before JCodec reads them ({@link ParameterSetCheck}), each slice header
 * is checked against the very parameter sets JCodec then reads it with ({@link SliceHeaderCheck}), and every CABAC
 * slice's arithmetic decoder works within a budget of bins. JCodec reads some syntax elements without the bounds
 * the standard sets (mb_qp_delta, ITU-T H.264 section 7.4.5; ref_idx; the list modification of 7.4.3.1; array
 * sizes of parameter sets), and past a slice's end its readers return the same bits for ever: such a loop never
 * ends by itself. The parameter sets live here, not in JCodec's reader, so that a check can never see other sets
 * than JCodec decodes with (an earlier reader kept its own copies and skipped an empty SPS that JCodec read as one
 * of all zeros: the two parted, and a slice the check had passed looped JCodec for ever).
 *
 * <p>The CABAC budget is the standard's own bound on an access unit's bins (section 7.4.2.10): at most
 * {@code 32/3 * NumBytesInVclNALunits + RawMbBits * PicSizeInMbs / 32}, which every conforming encoder keeps (it
 * pads with cabac_zero_word otherwise). Past it, the access unit is refused with an exception; a conforming stream
 * never gets there, so decoding is unchanged.
 */
public final class BoundedFrameReader extends FrameReader implements SliceHeaderCheck.PpsLookup {

    private final SeqParameterSet[] spsById = new SeqParameterSet[32];        // seq_parameter_set_id 0..31
    private final PictureParameterSet[] ppsById = new PictureParameterSet[256];   // pic_parameter_set_id 0..255
    private long remaining;

    /** Returns the slices of one access unit as JCodec's reader does (null before any parameter set). */
    @Override
    public List<SliceReader> readFrame(List<ByteBuffer> nals) {
        long bytes = 0;
        List<ByteBuffer> slices = new ArrayList<>(nals.size());
        List<NALUnit> units = new ArrayList<>(nals.size());
        for (ByteBuffer nal : nals) {
            if (!nal.hasRemaining()) {
                continue;
            }
            bytes += nal.remaining();
            NALUnit unit = NALUnit.read(nal);
            H264Utils.unescapeNAL(nal);
            if (unit.type == NALUnitType.SPS) {
                ParameterSetCheck.sps(nal);
                SeqParameterSet sps = SeqParameterSet.read(nal);
                spsById[sps.seqParameterSetId] = sps;
            } else if (unit.type == NALUnitType.PPS) {
                ParameterSetCheck.pps(nal);
                PictureParameterSet pps = PictureParameterSet.read(nal);
                ppsById[pps.picParameterSetId] = pps;
            } else if (unit.type == NALUnitType.IDR_SLICE || unit.type == NALUnitType.NON_IDR_SLICE) {
                slices.add(nal);
                units.add(unit);
            }
        }
        if (slices.isEmpty()) {
            return List.of();
        }
        List<SliceReader> readers = new ArrayList<>(slices.size());
        for (int i = 0; i < slices.size(); i++) {
            readers.add(slice(slices.get(i), units.get(i)));
        }
        remaining = bytes * 32 / 3 + rawMbBits(readers.get(0).getSliceHeader().sps) / 32;
        return readers;
    }

    // As JCodec's FrameReader.createSliceReader, after the header check, and with the bin counter in place.
    private SliceReader slice(ByteBuffer nal, NALUnit unit) {
        SliceHeaderCheck.check(nal, unit.type == NALUnitType.IDR_SLICE, this);
        BitReader in = BitReader.createBitReader(nal);
        SliceHeader sh = SliceHeaderReader.readPart1(in);
        sh.pps = ppsById[sh.picParameterSetId];
        sh.sps = spsById[sh.pps.seqParameterSetId];
        SliceHeaderReader.readPart2(sh, unit, sh.sps, sh.pps, in);
        CAVLC[] cavlc = {new CAVLC(sh.sps, sh.pps, 2, 2), new CAVLC(sh.sps, sh.pps, 1, 1),
            new CAVLC(sh.sps, sh.pps, 1, 1)};
        CABAC cabac = new CABAC(sh.sps.picWidthInMbsMinus1 + 1);
        MDecoder bins = null;
        if (sh.pps.entropyCodingModeFlag) {
            in.terminate();
            int[][] contexts = new int[2][1024];
            cabac.initModels(contexts, sh.sliceType, sh.cabacInitIdc, sh.pps.picInitQpMinus26 + 26 + sh.sliceQpDelta);
            bins = new Counted(nal, contexts);
        }
        return new SliceReader(sh.pps, cabac, cavlc, bins, in, new MapManager(sh.sps, sh.pps).getMapper(sh), sh,
                unit);
    }

    @Override
    public SeqParameterSet sps(int id) {
        return id >= 0 && id < spsById.length ? spsById[id] : null;
    }

    @Override
    public PictureParameterSet pps(int id) {
        return id >= 0 && id < ppsById.length ? ppsById[id] : null;
    }

    @Override
    public void addSps(ByteBuffer nal) {
        throw new UnsupportedOperationException("parameter sets arrive in band");
    }

    @Override
    public void addPps(ByteBuffer nal) {
        throw new UnsupportedOperationException("parameter sets arrive in band");
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

    // JCodec's arithmetic decoder, counting every bin against the access unit's budget.
    private final class Counted extends MDecoder {

        Counted(ByteBuffer slice, int[][] contexts) {
            super(slice, contexts);
        }

        @Override
        public int decodeBin(int ctx) {
            spend();
            return super.decodeBin(ctx);
        }

        @Override
        public int decodeFinalBin() {
            spend();
            return super.decodeFinalBin();
        }

        @Override
        public int decodeBinBypass() {
            spend();
            return super.decodeBinBypass();
        }
    }
}
