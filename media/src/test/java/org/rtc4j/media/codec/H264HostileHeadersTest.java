package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Parameter sets and slice headers written by hand with values past the ranges of ITU-T H.264 sections 7.4.2 and
 * 7.4.3, each of which made JCodec 0.2.5 allocate gigabytes (an {@link OutOfMemoryError} on the decoding thread)
 * or loop for ever: each is refused with a message naming the field, and a good stream decodes afterwards.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class H264HostileHeadersTest {

    @Test
    void aPicOrderCountCycleLongerThanTheStandardAllowsIsRefused() {
        // JCodec allocates new int[num_ref_frames_in_pic_order_cnt_cycle]: 2^30 of them before the check.
        Bits sps = spsStart().ue(0).ue(1).u(1, 0).se(0).se(0).ue(1 << 30);
        H264Decoder dec = new H264Decoder();
        assertThatThrownBy(() -> dec.decode(unit(nal(0x67, sps.trailing()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num_ref_frames_in_pic_order_cnt_cycle");
        decodesAGoodStream(dec);
    }

    @Test
    void moreReferencesThanTheStandardAllowsAreRefusedInThePpsAndInTheSlice() {
        // JCodec sizes a weighted slice's tables by num_ref_idx_active: 2^28 entries, four tables, before the check.
        H264Decoder dec = new H264Decoder();
        byte[] sps = nal(0x67, goodSps());
        byte[] hugePps = nal(0x68, ppsStart().ue(1 << 28).ue(0).u(1, 1).u(2, 0).se(0).se(0).se(0).u(3, 0).trailing());
        assertThatThrownBy(() -> dec.decode(unit(sps, hugePps))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num_ref_idx_l0_default_active_minus1");
        byte[] pps = nal(0x68, ppsStart().ue(0).ue(0).u(1, 1).u(2, 0).se(0).se(0).se(0).u(3, 0).trailing());
        // A P slice (7.3.3): first_mb 0, slice_type 5, pps 0, frame_num (4 bits), override with 2^28 references.
        byte[] slice = nal(0x41, new Bits().ue(0).ue(5).ue(0).u(4, 1).u(1, 1).ue(1 << 28).u(1, 0).trailing());
        assertThatThrownBy(() -> dec.decode(unit(sps, pps, slice))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num_ref_idx_l0_active_minus1");
        decodesAGoodStream(dec);
    }

    @Test
    void anEmptySpsIsRefusedRatherThanReadAsZeros() {
        // The second reference-list hang: JCodec read an empty SPS as one of all zeros (interlaced, poc type 0), our
        // earlier check kept the SPS before it, and the two read a later slice's header differently.
        H264Decoder dec = new H264Decoder();
        assertThatThrownBy(() -> dec.decode(unit(nal(0x67, new byte[0]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past its NAL unit");
        decodesAGoodStream(dec);
    }

    @Test
    void aSliceNamingAPpsNeverReceivedIsRefused() {
        H264Decoder dec = new H264Decoder();
        byte[] slice = nal(0x41, new Bits().ue(0).ue(5).ue(7).u(4, 1).u(1, 0).u(1, 0).trailing());
        assertThatThrownBy(() -> dec.decode(unit(nal(0x67, goodSps()), slice)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never received");
    }

    private static void decodesAGoodStream(H264Decoder dec) {
        H264Encoder enc = new H264Encoder(300_000);
        org.rtc4j.media.SyntheticVideo video = new org.rtc4j.media.SyntheticVideo(64, 48, 30);
        assertThat(dec.decode(enc.encode(video.frame(0)))).hasSize(1);
        assertThat(dec.decode(enc.encode(video.frame(1)))).hasSize(1);
    }

    // Baseline SPS 7.3.2.1.1: profile 66, level 3.0, id 0, then the caller's fields from log2_max_frame_num_minus4.
    private static Bits spsStart() {
        return new Bits().u(8, 66).u(8, 0xC0).u(8, 30).ue(0);
    }

    // log2_max_frame_num_minus4 0, poc type 2, one reference, 4x3 macroblocks, progressive, no VUI.
    private static byte[] goodSps() {
        return spsStart().ue(0).ue(2).ue(1).u(1, 0).ue(3).ue(2).u(1, 1).u(1, 1).u(1, 0).u(1, 0).trailing();
    }

    // PPS 7.3.2.2: id 0, SPS 0, CAVLC, no bottom-field poc, one slice group; the caller continues.
    private static Bits ppsStart() {
        return new Bits().ue(0).ue(0).u(1, 0).u(1, 0).ue(0);
    }

    private static byte[] nal(int header, byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 1, (byte) header});
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros == 2 && (b & 0xFF) <= 3) {
                out.write(3);   // emulation prevention (7.4.1)
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    private static EncodedFrame unit(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] n : nals) {
            out.writeBytes(n);
        }
        return new EncodedFrame(Codec.H264, out.toByteArray(), 0, true);
    }

    /** u(n), ue(v), se(v) and rbsp_trailing_bits, most significant bit first. */
    private static final class Bits {
        private final List<Boolean> bits = new ArrayList<>();

        Bits u(int n, long v) {
            for (int i = n - 1; i >= 0; i--) {
                bits.add((v >> i & 1) == 1);
            }
            return this;
        }

        Bits ue(long v) {
            int len = 64 - Long.numberOfLeadingZeros(v + 1);
            return u(len - 1, 0).u(len, v + 1);
        }

        Bits se(long v) {
            return ue(v > 0 ? 2 * v - 1 : -2 * v);
        }

        byte[] trailing() {
            u(1, 1);
            while (bits.size() % 8 != 0) {
                bits.add(false);
            }
            byte[] out = new byte[bits.size() / 8];
            for (int i = 0; i < bits.size(); i++) {
                out[i / 8] |= (byte) ((bits.get(i) ? 1 : 0) << (7 - i % 8));
            }
            return out;
        }
    }
}
