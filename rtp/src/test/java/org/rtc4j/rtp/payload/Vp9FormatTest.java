package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.internal.Vp9Format;

/** RFC 9628 payload descriptors byte for byte, in flexible and non-flexible mode. */
class Vp9FormatTest {

    private static final HexFormat HEX = HexFormat.of();
    private final Random random = new Random(9628);

    @Test
    void aKeyFrameCarriesThePictureIdAndAScalabilityStructureWithItsSize() {
        byte[] key = TestFrames.vp9(random, true, 40, 640, 480);
        Packets p = Packets.of(Vp9Format.packetizer(0x0102, 0), new EncodedFrame(Codec.VP9, key, 0, true), 40);
        // I=1 P=0 L=0 F=0 B=1 E=0 V=1 | M=1 PID 0x0102 | SS: N_S=0 Y=1 G=0, 640 x 480
        assertThat(HEX.formatHex(p.get(0), 0, 8)).isEqualTo("8a8102" + "10" + "0280" + "01e0");
        // later packets: I, E on the last, no SS
        assertThat(HEX.formatHex(p.get(p.size() - 1), 0, 3)).isEqualTo("848102");
        assertThat(p.markers().get(p.size() - 1)).isTrue();
        // an inter frame: P=1, next picture ID
        byte[] delta = TestFrames.vp9(random, false, 20, 640, 480);
        Packets q = Packets.of(Vp9Format.packetizer(0x7FFF, 0), new EncodedFrame(Codec.VP9, delta, 0, false), 1200);
        assertThat(HEX.formatHex(q.get(0), 0, 3)).isEqualTo("ccffff");      // I P B E
    }

    @Test
    void nonFlexibleModeLayerIndicesAndTl0PicIdx() throws ParseException {
        Packetizer p = Vp9Format.packetizer(5, 9);
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP9);
        int[] tids = {0, 1, 0};
        for (int i = 0; i < tids.length; i++) {
            EncodedFrame f = new EncodedFrame(Codec.VP9, TestFrames.vp9(random, false, 30, 0, 0), i, false, tids[i], 0);
            byte[] first = Packets.of(p, f, 1200).get(0);
            // I P L B E | M PID | TID U SID D | TL0PICIDX (9, then 10 at the next base-layer frame); no L before
            // the first layered frame
            assertThat(HEX.formatHex(first, 0, i == 0 ? 3 : 5)).isEqualTo(i == 0 ? "cc8005"
                    : String.format("ec80%02x%02x%02x", 5 + i, tids[i] << 5, i < 2 ? 9 : 10));
            assertThat(d.depacketize(List.of(ByteBuffer.wrap(first)), i).temporalLayer()).isEqualTo(tids[i]);
        }
    }

    @Test
    void readsFlexibleModeWithReferenceIndices() throws ParseException {
        byte[] frame = TestFrames.vp9(random, false, 30, 0, 0);
        // I P L F B E | M PID 0x0203 | TID=1 U=0 SID=1 D=1 | P_DIFF 1 N=1, P_DIFF 2 N=0
        byte[] payload = TestFrames.concat(HEX.parseHex("fc8203" + "23" + "0304"), frame);
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP9);
        assertThat(d.isFrameStart(ByteBuffer.wrap(payload))).isFalse();      // spatial layer 1 begins no picture
        EncodedFrame f = d.depacketize(List.of(ByteBuffer.wrap(TestFrames.concat(HEX.parseHex("8c8203"),
                TestFrames.vp9(random, true, 20, 16, 16))), ByteBuffer.wrap(payload)), 0);
        assertThat(f.spatialLayer()).isEqualTo(1);
        assertThat(Arrays.copyOfRange(f.data(), f.data().length - frame.length, f.data().length)).isEqualTo(frame);
        // more than three P_DIFF is malformed
        assertThatThrownBy(() -> d.depacketize(List.of(ByteBuffer.wrap(TestFrames.concat(HEX.parseHex("dc810101010100"),
                frame))), 0)).isInstanceOf(ParseException.class);
    }

    @Test
    void readsAScalabilityStructureWithPictureGroups() throws ParseException {
        byte[] frame = TestFrames.vp9(random, true, 30, 320, 240);
        // I B E V | PID 7 | N_S=1 Y=1 G=1 | 2 x (w, h) | N_G=2: TID 0 U 0 R=1 P_DIFF 4; TID 1 U 1 R=0
        byte[] ss = HEX.parseHex("38" + "00a00078" + "014000f0" + "02" + "04" + "04" + "30");
        byte[] payload = TestFrames.concat(HEX.parseHex("8e07"), ss, frame);
        EncodedFrame f = PayloadFormats.depacketizer(Codec.VP9).depacketize(List.of(ByteBuffer.wrap(payload)), 0);
        assertThat(f.data()).isEqualTo(frame);
        assertThat(f.keyFrame()).isTrue();
    }

    @Test
    void malformedPayloadsAreParseExceptions() {
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP9);
        String[] bad = {"", "8c", "8c81", "ac01", "0c", "c4", "0e", "0e30", "0e1000", "0e08", "0e0801"};
        for (String b : bad) {
            assertThatThrownBy(() -> d.depacketize(List.of(ByteBuffer.wrap(HEX.parseHex(b))), 0))
                    .as(b).isInstanceOf(ParseException.class);
        }
    }
}
