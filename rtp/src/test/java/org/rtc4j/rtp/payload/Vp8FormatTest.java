package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.internal.Vp8Format;

/** RFC 7741 payload descriptors, byte for byte. */
class Vp8FormatTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyPacketCarriesThe15BitPictureIdAndOnlyTheFirstHasS() {
        Packetizer p = Vp8Format.packetizer(0x1234, 0);
        byte[] frame = TestFrames.vp8(new Random(1), true, 30);
        Packets packets = Packets.of(p, new EncodedFrame(Codec.VP8, frame, 0, true), 20);
        assertThat(packets.size()).isEqualTo(2);
        // X=1 S=1 PID=0 | I=1 | M=1 PictureID=0x1234 (section 4.2)
        assertThat(HEX.formatHex(packets.get(0), 0, 4)).isEqualTo("90809234");
        assertThat(HEX.formatHex(packets.get(1), 0, 4)).isEqualTo("80809234");
        assertThat(packets.markers()).containsExactly(false, true);
        // The next frame has the next picture ID, and the ID wraps at 15 bits.
        Packetizer q = Vp8Format.packetizer(0x7FFF, 0);
        assertThat(HEX.formatHex(Packets.of(q, new EncodedFrame(Codec.VP8, frame, 0, true), 1200).get(0), 0, 4))
                .isEqualTo("9080ffff");
        assertThat(HEX.formatHex(Packets.of(q, new EncodedFrame(Codec.VP8, frame, 0, true), 1200).get(0), 0, 4))
                .isEqualTo("90808000");
    }

    @Test
    void temporalLayersAddTl0PicIdxAndTid() {
        Packetizer p = Vp8Format.packetizer(1, 200);
        Random r = new Random(2);
        int[] tids = {0, 2, 1, 2, 0};
        for (int i = 0; i < tids.length; i++) {
            EncodedFrame f = new EncodedFrame(Codec.VP8, TestFrames.vp8(r, i == 0, 50), i, i == 0, tids[i], 0);
            byte[] first = Packets.of(p, f, 1200).get(0);
            String descriptor = HEX.formatHex(first, 0, i == 0 ? 4 : 6);
            if (i == 0) {
                assertThat(descriptor).isEqualTo("90808001");
            } else {
                // L and T: TL0PICIDX counts base-layer frames; TID in the top two bits, Y=0.
                int tl0 = i < 4 ? 200 : 201;
                assertThat(descriptor).isEqualTo(String.format("90e080%02x%02x%02x", 1 + i, tl0, tids[i] << 6));
            }
        }
    }

    @Test
    void readsAllOptionalFieldsOfTheRfcDescriptor() throws ParseException {
        // X=1 N=1 S=1 PID=0; I L T K; M=1 PictureID 0x4321 ; TL0PICIDX 7 ; TID=2 Y=1 KEYIDX=5 ; then a key frame
        byte[] frame = TestFrames.vp8(new Random(3), true, 20);
        byte[] payload = TestFrames.concat(HEX.parseHex("b0f0c32107b5"), frame);
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP8);
        ByteBuffer b = ByteBuffer.wrap(payload);
        assertThat(d.isFrameStart(b)).isTrue();
        assertThat(d.isKeyFrame(b)).isTrue();
        EncodedFrame f = d.depacketize(List.of(b), 9);
        assertThat(f.data()).isEqualTo(frame);
        assertThat(f.temporalLayer()).isEqualTo(2);
        assertThat(b.position()).isZero();
        // a 7-bit picture ID (M=0)
        assertThat(d.depacketize(List.of(ByteBuffer.wrap(TestFrames.concat(HEX.parseHex("908005"), frame))), 9)
                .data()).isEqualTo(frame);
    }

    @Test
    void aPacketOfAnotherPartitionIsNoFrameStart() {
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP8);
        assertThat(d.marksFrameStart()).isTrue();
        assertThat(d.isFrameStart(ByteBuffer.wrap(HEX.parseHex("1100")))).isFalse();   // S=1 PID=1
        assertThat(d.isFrameStart(ByteBuffer.wrap(HEX.parseHex("0000")))).isFalse();
    }

    @Test
    void malformedPayloadsAreParseExceptions() {
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP8);
        for (String bad : new String[] {"", "90", "9080", "908080", "90f08001", "10", "100000", "10019d012a"}) {
            assertThatThrownBy(() -> d.depacketize(List.of(ByteBuffer.wrap(HEX.parseHex(bad))), 0))
                    .as(bad).isInstanceOf(ParseException.class);
        }
        // a frame whose packets carry different picture IDs
        byte[] f = TestFrames.vp8(new Random(4), false, 10);
        assertThatThrownBy(() -> d.depacketize(List.of(ByteBuffer.wrap(TestFrames.concat(HEX.parseHex("90808001"), f)),
                ByteBuffer.wrap(TestFrames.concat(HEX.parseHex("80808002"), f))), 0))
                .isInstanceOf(ParseException.class);
    }
}
