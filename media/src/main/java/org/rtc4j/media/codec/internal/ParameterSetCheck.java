package org.rtc4j.media.codec.internal;

import java.nio.ByteBuffer;

/**
 * Reads an SPS or PPS (ITU-T H.264 sections 7.3.2.1 and 7.3.2.2) as far as its last field that JCodec 0.2.5 sizes
 * an array or a loop by, and refuses values outside the ranges of sections 7.4.2.1 and 7.4.2.2 before JCodec reads
 * the set: JCodec allocates {@code new int[num_ref_frames_in_pic_order_cnt_cycle]}, {@code cpb_cnt_minus1 + 1}
 * entries, {@code pic_size_in_map_units_minus1 + 1} slice group ids and, for each weighted slice, tables of
 * {@code num_ref_idx_active} entries straight from the bits, and sizes reference lists by {@code 1 <<
 * log2_max_frame_num}. The fields are read in JCodec's order (it reads the high-profile fields for profile_idc 100,
 * 110, 122 and 144 only), since it is JCodec's reading that must stay bounded.
 */
public final class ParameterSetCheck {

    /** ITU-T H.264 table A-1, level 5.1's MaxFS: no input makes the decoder allocate pictures past it. */
    public static final int MAX_MACROBLOCKS = 36_864;
    static final int MAX_REF_IDX = 31;   // num_ref_idx_lX_active_minus1 (7.4.2.2, 7.4.3)

    private ParameterSetCheck() {
    }

    /** Checks the SPS whose RBSP (after its NAL header) is {@code rbsp}'s remaining bytes; throws if refused. */
    public static void sps(ByteBuffer rbsp) {
        RbspBits in = new RbspBits(rbsp);
        int profile = in.u(8);
        in.u(16);   // constraint flags, reserved bits, level_idc
        in.ue(31, "seq_parameter_set_id");
        if (profile == 100 || profile == 110 || profile == 122 || profile == 144) {
            if (in.ue(3, "chroma_format_idc") == 3) {
                in.flag();   // separate_colour_plane_flag
            }
            in.ue(6, "bit_depth_luma_minus8");
            in.ue(6, "bit_depth_chroma_minus8");
            in.flag();   // qpprime_y_zero_transform_bypass_flag
            if (in.flag()) {   // seq_scaling_matrix_present_flag
                for (int i = 0; i < 8; i++) {
                    if (in.flag()) {
                        scalingList(in, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        in.ue(12, "log2_max_frame_num_minus4");
        int pocType = in.ue(2, "pic_order_cnt_type");
        if (pocType == 0) {
            in.ue(12, "log2_max_pic_order_cnt_lsb_minus4");
        } else if (pocType == 1) {
            in.flag();
            in.se();
            in.se();
            int cycle = in.ue(255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (int i = 0; i < cycle; i++) {
                in.se();
            }
        }
        in.ue(16, "max_num_ref_frames");   // at most MaxDpbFrames (A.3.1)
        in.flag();
        long width = in.ue(MAX_MACROBLOCKS - 1, "pic_width_in_mbs_minus1") + 1L;
        long height = in.ue(MAX_MACROBLOCKS - 1, "pic_height_in_map_units_minus1") + 1L;
        boolean frameMbsOnly = in.flag();
        if (width * height * (frameMbsOnly ? 1 : 2) > MAX_MACROBLOCKS) {
            throw new IllegalStateException("H.264 SPS of " + width + "x" + height * (frameMbsOnly ? 1 : 2)
                    + " macroblocks: over level 5.1, refused");
        }
        if (!frameMbsOnly) {
            in.flag();
        }
        in.flag();
        if (in.flag()) {   // frame_cropping_flag
            for (int i = 0; i < 4; i++) {
                in.ue();
            }
        }
        if (in.flag()) {   // vui_parameters_present_flag (annex E.1.1)
            vui(in);
        }
    }

    /** Checks the PPS whose RBSP (after its NAL header) is {@code rbsp}'s remaining bytes; throws if refused. */
    public static void pps(ByteBuffer rbsp) {
        RbspBits in = new RbspBits(rbsp);
        in.ue(255, "pic_parameter_set_id");
        in.ue(31, "seq_parameter_set_id");
        in.u(2);   // entropy_coding_mode_flag, bottom_field_pic_order_in_frame_present_flag
        int groups = in.ue(7, "num_slice_groups_minus1") + 1;
        if (groups > 1) {
            int mapType = in.ue(6, "slice_group_map_type");
            if (mapType == 0) {
                for (int i = 0; i < groups; i++) {
                    in.ue();
                }
            } else if (mapType == 2) {
                for (int i = 0; i < 2 * (groups - 1); i++) {
                    in.ue();
                }
            } else if (mapType >= 3 && mapType <= 5) {
                in.flag();
                in.ue();
            } else if (mapType == 6) {
                in.ue(MAX_MACROBLOCKS - 1, "pic_size_in_map_units_minus1");
                return;   // then only slice_group_id of at most 3 bits each, and the fields below
            }
        }
        in.ue(MAX_REF_IDX, "num_ref_idx_l0_default_active_minus1");
        in.ue(MAX_REF_IDX, "num_ref_idx_l1_default_active_minus1");
    }

    private static void scalingList(RbspBits in, int size) {
        // 7.3.2.1.1.1, with JCodec's arithmetic, so that the bits read stay JCodec's
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + in.se() + 256) % 256;
                if (j == 0 && next == 0) {
                    return;
                }
            }
            last = next == 0 ? last : next;
        }
    }

    private static void vui(RbspBits in) {
        if (in.flag() && in.u(8) == 255) {   // aspect_ratio_idc Extended_SAR
            in.u(32);
        }
        if (in.flag()) {
            in.flag();
        }
        if (in.flag()) {   // video_signal_type_present_flag
            in.u(4);
            if (in.flag()) {
                in.u(24);
            }
        }
        if (in.flag()) {
            in.ue();
            in.ue();
        }
        if (in.flag()) {   // timing_info_present_flag
            in.u(32);
            in.u(32);
            in.flag();
        }
        for (int hrd = 0; hrd < 2; hrd++) {   // NAL, then VCL HRD parameters (E.1.2)
            if (in.flag()) {
                int cpbs = in.ue(31, "cpb_cnt_minus1") + 1;
                in.u(8);
                for (int i = 0; i < cpbs; i++) {
                    in.ue();
                    in.ue();
                    in.flag();
                }
                in.u(20);
            }
        }
        // The rest sizes nothing.
    }
}
