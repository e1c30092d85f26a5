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

/** The examples of the AV1 RTP payload format (sections 4.4, 4.5 and 5.1), byte for byte. */
class Av1FormatTest {

    private static final HexFormat HEX = HexFormat.of();
    private final Random random = new Random(1);

    /**
     * Section 4.5's size calculation: a 303-byte payload, W=2, a first element of 200 bytes behind its 2-byte
     * length, and a last element whose 100 bytes are what remains.
     */
    @Test
    void theSizeCalculationExampleOfSection45() throws ParseException {
        byte[] first = TestFrames.random(random, 200);
        first[0] = 0x18;                                          // OBU_FRAME_HEADER, no extension, no size field
        byte[] last = TestFrames.random(random, 100);
        last[0] = 0x20;                                           // OBU_TILE_GROUP
        byte[] payload = TestFrames.concat(new byte[] {0x20, (byte) 0xC8, 0x01}, first, last);
        assertThat(payload).hasSize(303);
        EncodedFrame f = PayloadFormats.depacketizer(Codec.AV1).depacketize(List.of(ByteBuffer.wrap(payload)), 0);
        // temporal delimiter, then each OBU with obu_has_size_field set and its size: 199 = c7 01, 99 = 63
        byte[] expected = TestFrames.concat(HEX.parseHex("1200"), new byte[] {0x1A, (byte) 0xC7, 0x01},
                Arrays.copyOfRange(first, 1, 200), new byte[] {0x22, 0x63}, Arrays.copyOfRange(last, 1, 100));
        assertThat(f.data()).isEqualTo(expected);
        // and our packetizer sends those two OBUs exactly as that payload
        Packets p = Packets.of(PayloadFormats.packetizer(Codec.AV1), f, 1200);
        assertThat(p.payloads()).hasSize(1);
        assertThat(p.get(0)).isEqualTo(payload);
    }

    /**
     * Section 5.1: "TD SH MD MD(0,0) FH(0,0) TG(0,0) MD(0,1) FH(0,1) TG(0,1)" is sent as
     * "[SH MD MD(0,0) FH(0,0) TG(0,0)] [MD(0,1) FH(0,1) TG(0,1)]": the TD dropped, one packet per layer.
     */
    @Test
    void theGroupingExampleOfSection51() throws ParseException {
        int s0 = 0;                                               // temporal_id 0, spatial_id 0
        int s1 = 1 << 3;                                          // temporal_id 0, spatial_id 1
        byte[] sh = TestFrames.obu(random, 1, -1, 12);
        byte[] md = TestFrames.obu(random, 5, -1, 4);
        byte[] md0 = TestFrames.obu(random, 5, s0, 4);
        byte[] fh0 = TestFrames.obu(random, 3, s0, 6);
        byte[] tg0 = TestFrames.obu(random, 4, s0, 40);
        byte[] md1 = TestFrames.obu(random, 5, s1, 4);
        byte[] fh1 = TestFrames.obu(random, 3, s1, 6);
        byte[] tg1 = TestFrames.obu(random, 4, s1, 40);
        byte[] tu = TestFrames.concat(HEX.parseHex("1200"), sh, md, md0, fh0, tg0, md1, fh1, tg1);
        EncodedFrame f = new EncodedFrame(Codec.AV1, tu, 0, true, 0, 1);
        Packets p = Packets.of(PayloadFormats.packetizer(Codec.AV1), f, 1200);
        assertThat(p.size()).isEqualTo(2);
        // five elements: W=0, every one with its length; N=1 as the key frame's sequence header begins a sequence
        assertThat(p.get(0)).isEqualTo(TestFrames.concat(new byte[] {0x08}, element(sh), element(md), element(md0),
                element(fh0), element(tg0)));
        // three elements: W=3, the last without its length
        assertThat(p.get(1)).isEqualTo(TestFrames.concat(new byte[] {0x30}, element(md1), element(fh1),
                withoutSize(tg1)));
        assertThat(p.markers()).containsExactly(false, true);
        EncodedFrame back = p.depacketize(PayloadFormats.depacketizer(Codec.AV1), 0);
        assertThat(back).isEqualTo(f);
    }

    @Test
    void fragmentsCarryZAndYAndContinueAcrossPackets() throws ParseException {
        byte[] frame = TestFrames.obu(random, 6, -1, 250);
        byte[] tu = TestFrames.concat(HEX.parseHex("1200"), frame);
        Packets p = Packets.of(PayloadFormats.packetizer(Codec.AV1), new EncodedFrame(Codec.AV1, tu, 0, false), 100);
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.get(0)[0]).isEqualTo((byte) 0x50);          // Z=0 Y=1 W=1
        assertThat(p.get(1)[0]).isEqualTo((byte) 0xD0);          // Z=1 Y=1 W=1
        assertThat(p.get(2)[0]).isEqualTo((byte) 0x90);          // Z=1 Y=0 W=1
        byte[] obu = withoutSize(frame);
        assertThat(TestFrames.concat(Arrays.copyOfRange(p.get(0), 1, 100), Arrays.copyOfRange(p.get(1), 1, 100),
                Arrays.copyOfRange(p.get(2), 1, p.get(2).length))).isEqualTo(obu);
        Depacketizer d = PayloadFormats.depacketizer(Codec.AV1);
        assertThat(d.marksFrameStart()).isFalse();
        assertThat(d.isFrameStart(ByteBuffer.wrap(p.get(0)))).isTrue();
        assertThat(d.isFrameStart(ByteBuffer.wrap(p.get(1)))).isFalse();
        assertThat(p.depacketize(d, 0).data()).isEqualTo(tu);
    }

    @Test
    void malformedPayloadsAreParseExceptions() {
        Depacketizer d = PayloadFormats.depacketizer(Codec.AV1);
        String[][] bad = {
            {""}, {"00"}, {"10"},                                // nothing; no element
            {"9030aa"},                                           // Z on the first packet
            {"5032"}, {"503210", "1032"},                         // Y never continued; continued without Z
            {"00053200"},                                         // W=0 element longer than the packet
            {"200132"}, {"300132"},                               // W=2 or W=3 but one element
            {"10b2"},                                             // forbidden bit
            {"1036"},                                             // extension flag but no extension byte
            {"103205ff"},                                         // OBU size field larger than the element
            {"1012"},                                             // only a temporal delimiter
            {"00808080808080808001"},                             // a length of more than 8 bytes
        };
        for (String[] packets : bad) {
            List<ByteBuffer> list = Arrays.stream(packets).map(h -> ByteBuffer.wrap(HEX.parseHex(h))).toList();
            assertThatThrownBy(() -> d.depacketize(list, 0)).as(String.join(",", packets))
                    .isInstanceOf(ParseException.class);
        }
    }

    /** An OBU as an element: its length, then the OBU without its size field. */
    private static byte[] element(byte[] obu) {
        byte[] e = withoutSize(obu);
        return TestFrames.concat(new byte[] {(byte) e.length}, e);
    }

    private static byte[] withoutSize(byte[] obu) {
        int h = (obu[0] & 0x04) != 0 ? 2 : 1;
        int at = h;
        while ((obu[at] & 0x80) != 0) {
            at++;
        }
        byte[] header = Arrays.copyOf(obu, h);
        header[0] &= ~0x02;
        return TestFrames.concat(header, Arrays.copyOfRange(obu, at + 1, obu.length));
    }
}
