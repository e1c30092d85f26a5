package org.rtc4j.media.codec.internal;

import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;

/**
 * Reads a slice header (ITU-T H.264 section 7.3.3) as far as its reference picture list modification and checks
 * that each list's modification ends within the entries the standard allows (7.4.3.1: at most
 * num_ref_idx_active_minus1 + 1 of them before the closing modification_of_pic_nums_idc 3), before JCodec reads it:
 * JCodec 0.2.5 reads that list until the 3 arrives, and past the end of a crafted slice its bit reader returns
 * zeros for ever, so the list grows without end. The fields are read as JCodec reads them (it has no
 * colour_plane_id, and takes field_pic_flag from the SPS), since it is JCodec's reading that must stay bounded;
 * every read here is bounded by the slice's bytes.
 */
final class SliceHeaderCheck {

    private static final int SLICE_P = 0;
    private static final int SLICE_B = 1;
    private static final int SLICE_SP = 3;
    private static final int MAX_REFS = 32;   // num_ref_idx_active_minus1 is at most 31 (7.4.2.2)

    private final byte[] rbsp;
    private final int end;
    private int bit;

    private SliceHeaderCheck(byte[] rbsp, int length) {
        this.rbsp = rbsp;
        this.end = length * 8;
    }

    /**
     * Checks the slice whose RBSP (NAL header removed, emulation prevention removed) is {@code rbsp[0..length)};
     * {@code idr} for nal_unit_type 5. Throws {@link IllegalStateException} on a header past its bounds.
     */
    static void check(byte[] rbsp, int length, boolean idr, PpsLookup lookup) {
        new SliceHeaderCheck(rbsp, length).read(idr, lookup);
    }

    /** The parameter sets seen so far, by id; null when there is none of that id. */
    interface PpsLookup {
        PictureParameterSet pps(int id);

        SeqParameterSet sps(int id);
    }

    private void read(boolean idr, PpsLookup lookup) {
        ue();   // first_mb_in_slice
        int sliceType = ue() % 5;
        PictureParameterSet pps = lookup.pps(ue());
        SeqParameterSet sps = pps == null ? null : lookup.sps(pps.seqParameterSetId);
        if (sps == null) {
            return;   // JCodec skips the slice itself
        }
        bits(sps.log2MaxFrameNumMinus4 + 4);   // frame_num
        if (!sps.frameMbsOnlyFlag && bits(1) == 1) {   // field_pic_flag
            bits(1);   // bottom_field_flag
        }
        if (idr) {
            ue();   // idr_pic_id
        }
        if (sps.picOrderCntType == 0) {
            bits(sps.log2MaxPicOrderCntLsbMinus4 + 4);
            if (pps.picOrderPresentFlag && !sps.fieldPicFlag) {
                ue();   // delta_pic_order_cnt_bottom, se(v): its length is what matters
            }
        } else if (sps.picOrderCntType == 1 && !sps.deltaPicOrderAlwaysZeroFlag) {
            ue();
            if (pps.picOrderPresentFlag && !sps.fieldPicFlag) {
                ue();
            }
        }
        if (pps.redundantPicCntPresentFlag) {
            ue();
        }
        if (sliceType == SLICE_B) {
            bits(1);   // direct_spatial_mv_pred_flag
        }
        int[] refs = {pps.numRefIdxActiveMinus1[0] + 1, pps.numRefIdxActiveMinus1[1] + 1};
        if (sliceType == SLICE_P || sliceType == SLICE_SP || sliceType == SLICE_B) {
            if (bits(1) == 1) {   // num_ref_idx_active_override_flag
                refs[0] = ue() + 1;
                if (sliceType == SLICE_B) {
                    refs[1] = ue() + 1;
                }
            }
            modifications(refs[0]);
            if (sliceType == SLICE_B) {
                modifications(refs[1]);
            }
        }
    }

    private void modifications(int refs) {
        if (bits(1) == 0) {   // ref_pic_list_modification_flag
            return;
        }
        int allowed = refs < 1 || refs > MAX_REFS ? MAX_REFS : refs;
        for (int entries = 0; ; entries++) {
            int idc = ue();
            if (idc == 3) {
                return;
            }
            if (entries == allowed || idc > 5) {
                throw new IllegalStateException("H.264 slice header: reference list modification past "
                        + allowed + " entries (7.4.3.1): refused");
            }
            ue();   // abs_diff_pic_num_minus1, long_term_pic_num or abs_diff_view_idx_minus1
        }
    }

    private int ue() {
        int zeros = 0;
        while (bits(1) == 0) {
            if (++zeros > 31) {
                throw new IllegalStateException("H.264 slice header: Exp-Golomb code over 32 bits: refused");
            }
        }
        return zeros == 0 ? 0 : (int) ((1L << zeros) - 1 + bits(zeros));
    }

    private int bits(int n) {
        if (bit + n > end) {
            throw new IllegalStateException("H.264 slice header runs past its slice: refused");
        }
        int v = 0;
        for (int i = 0; i < n; i++, bit++) {
            v = v << 1 | (rbsp[bit >> 3] >> (7 - (bit & 7))) & 1;
        }
        return v;
    }
}
