package org.rtc4j.media.codec.internal;

import java.nio.ByteBuffer;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;

/**
 * Reads a slice header (ITU-T H.264 section 7.3.3) as far as its reference picture list modification and checks
 * that each list's modification ends within the entries the standard allows (7.4.3.1: at most
 * num_ref_idx_active_minus1 + 1 of them before the closing modification_of_pic_nums_idc 3), and that an overriding
 * num_ref_idx_active_minus1 is within 0..31 (7.4.3), before JCodec reads it: JCodec 0.2.5 reads that list until
 * the 3 arrives, and past the end of a crafted slice its bit reader returns zeros for ever, so the list grows
 * without end; it sizes its weight tables by num_ref_idx_active. The fields are read as JCodec reads them (it has
 * no colour_plane_id, and takes field_pic_flag from the SPS), with the very parameter sets JCodec decodes the
 * slice with ({@link BoundedFrameReader}), since it is JCodec's reading that must stay bounded; every read here
 * is bounded by the slice's bytes.
 */
final class SliceHeaderCheck {

    private static final int SLICE_P = 0;
    private static final int SLICE_B = 1;
    private static final int SLICE_SP = 3;

    private SliceHeaderCheck() {
    }

    /** The parameter sets JCodec holds, by id; null when there is none of that id. */
    interface PpsLookup {
        PictureParameterSet pps(int id);

        SeqParameterSet sps(int id);
    }

    /**
     * Checks the slice whose RBSP (NAL header removed, emulation prevention removed) is {@code rbsp}'s remaining
     * bytes; {@code idr} for nal_unit_type 5. Throws {@link IllegalStateException} on a header past its bounds or
     * naming a parameter set never received.
     */
    static void check(ByteBuffer rbsp, boolean idr, PpsLookup lookup) {
        RbspBits in = new RbspBits(rbsp);
        in.ue();   // first_mb_in_slice
        int sliceType = in.ue() % 5;
        int ppsId = in.ue();
        PictureParameterSet pps = lookup.pps(ppsId);
        SeqParameterSet sps = pps == null ? null : lookup.sps(pps.seqParameterSetId);
        if (sps == null) {
            throw new IllegalStateException("H.264 slice refers to parameter sets never received (PPS "
                    + (ppsId & 0xFFFFFFFFL) + "): refused");
        }
        in.u(sps.log2MaxFrameNumMinus4 + 4);   // frame_num
        if (!sps.frameMbsOnlyFlag && in.flag()) {   // field_pic_flag
            in.flag();   // bottom_field_flag
        }
        if (idr) {
            in.ue();   // idr_pic_id
        }
        if (sps.picOrderCntType == 0) {
            in.u(sps.log2MaxPicOrderCntLsbMinus4 + 4);
            if (pps.picOrderPresentFlag && !sps.fieldPicFlag) {
                in.ue();   // delta_pic_order_cnt_bottom, se(v): its length is what matters
            }
        } else if (sps.picOrderCntType == 1 && !sps.deltaPicOrderAlwaysZeroFlag) {
            in.ue();
            if (pps.picOrderPresentFlag && !sps.fieldPicFlag) {
                in.ue();
            }
        }
        if (pps.redundantPicCntPresentFlag) {
            in.ue();
        }
        if (sliceType == SLICE_B) {
            in.flag();   // direct_spatial_mv_pred_flag
        }
        int[] refs = {pps.numRefIdxActiveMinus1[0] + 1, pps.numRefIdxActiveMinus1[1] + 1};
        if (sliceType == SLICE_P || sliceType == SLICE_SP || sliceType == SLICE_B) {
            if (in.flag()) {   // num_ref_idx_active_override_flag
                refs[0] = in.ue(ParameterSetCheck.MAX_REF_IDX, "num_ref_idx_l0_active_minus1") + 1;
                if (sliceType == SLICE_B) {
                    refs[1] = in.ue(ParameterSetCheck.MAX_REF_IDX, "num_ref_idx_l1_active_minus1") + 1;
                }
            }
            modifications(in, refs[0]);
            if (sliceType == SLICE_B) {
                modifications(in, refs[1]);
            }
        }
    }

    private static void modifications(RbspBits in, int refs) {
        if (!in.flag()) {   // ref_pic_list_modification_flag
            return;
        }
        for (int entries = 0; ; entries++) {
            int idc = in.ue();
            if (idc == 3) {
                return;
            }
            if (entries == refs || idc > 5) {
                throw new IllegalStateException("H.264 slice header: reference list modification past " + refs
                        + " entries (7.4.3.1): refused");
            }
            in.ue();   // abs_diff_pic_num_minus1, long_term_pic_num or abs_diff_view_idx_minus1
        }
    }
}
