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

/** RFC 6184 packets byte for byte: single NAL unit, STAP-A (figure 7), FU-A (figures 14, 15), modes 0 and 1. */
class H264FormatTest {

    private static final HexFormat HEX = HexFormat.of();
    private final Random random = new Random(6184);
    private final byte[] sps = HEX.parseHex("6742c01e95a0a0fd");
    private final byte[] pps = HEX.parseHex("68ce3c80");

    @Test
    void smallUnitsGoInOneStapAWithTheMaxNriAndTheirSizes() {
        byte[] sei = HEX.parseHex("0605ff");
        byte[] idr = TestFrames.nal(random, 10, 0x65, 0x88);
        Packets p = Packets.of(PayloadFormats.packetizer(Codec.H264),
                new EncodedFrame(Codec.H264, TestFrames.annexB(sps, pps, sei, idr), 0, true), 1200);
        assertThat(p.size()).isEqualTo(1);
        // STAP-A header: F=0, NRI=3 (the highest, from the SPS/PPS/IDR), type 24; then 16-bit size + unit each
        assertThat(HEX.formatHex(p.get(0))).isEqualTo("78" + "0008" + HEX.formatHex(sps) + "0004" + HEX.formatHex(pps)
                + "0003" + HEX.formatHex(sei) + "000a" + HEX.formatHex(idr));
        assertThat(p.markers()).containsExactly(true);
    }

    @Test
    void aLargeUnitIsCutIntoFuAWithStartAndEndBits() {
        byte[] idr = TestFrames.nal(random, 2500, 0x65, 0x88);
        Packets p = Packets.of(PayloadFormats.packetizer(Codec.H264),
                new EncodedFrame(Codec.H264, TestFrames.annexB(idr), 0, true), 1200);
        assertThat(p.size()).isEqualTo(3);
        // FU indicator: F, NRI of the unit, type 28; FU header: S, E, R=0, the unit's type
        assertThat(HEX.formatHex(p.get(0), 0, 3)).isEqualTo("7c8588");
        assertThat(HEX.formatHex(p.get(1), 0, 2)).isEqualTo("7c05");
        assertThat(HEX.formatHex(p.get(2), 0, 2)).isEqualTo("7c45");
        assertThat(p.get(0).length + p.get(1).length + p.get(2).length).isEqualTo(2500 - 1 + 3 * 2);
        assertThat(p.markers()).containsExactly(false, false, true);
    }

    @Test
    void modeZeroSendsSingleUnitsAndRefusesOversizedOnes() {
        Packetizer mode0 = PayloadFormats.h264Packetizer(0);
        byte[] idr = TestFrames.nal(random, 100, 0x65, 0x88);
        Packets p = Packets.of(mode0, new EncodedFrame(Codec.H264, TestFrames.annexB(sps, pps, idr), 0, true), 1200);
        assertThat(p.payloads()).containsExactly(sps, pps, idr);
        assertThat(p.markers()).containsExactly(false, false, true);
        assertThatThrownBy(() -> Packets.of(mode0, new EncodedFrame(Codec.H264, TestFrames.annexB(idr), 0, true), 50))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A frame whose second unit does not fit is refused before its first packet: nothing of it goes out. */
    @Test
    void modeZeroRefusesAFrameWholeBeforeAnyPacket() {
        Packetizer mode0 = PayloadFormats.h264Packetizer(0);
        byte[] small = TestFrames.nal(random, 100, 0x65, 0x88);
        byte[] large = TestFrames.nal(random, 1500, 0x65, 0x88);
        List<byte[]> emitted = new java.util.ArrayList<>();
        assertThatThrownBy(() -> mode0.packetize(new EncodedFrame(Codec.H264, TestFrames.annexB(sps, pps, small,
                large), 0, true), 1200, (payload, marker) -> emitted.add(new byte[payload.remaining()])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packetization-mode 0");
        assertThat(emitted).isEmpty();
    }

    @Test
    void theSenderPutsTheLastSpsAndPpsBeforeAnIdrThatLacksThem() throws ParseException {
        Packetizer p = PayloadFormats.h264Packetizer(0);
        byte[] aud = HEX.parseHex("09f0");
        byte[] idr = TestFrames.nal(random, 50, 0x65, 0x88);
        Packets.of(p, new EncodedFrame(Codec.H264, TestFrames.annexB(sps, pps, idr), 0, true), 1200);
        Packets.of(p, new EncodedFrame(Codec.H264, TestFrames.annexB(TestFrames.nal(random, 50, 0x41, 0x9a)), 1, false),
                1200);
        Packets second = Packets.of(p, new EncodedFrame(Codec.H264, TestFrames.annexB(aud, idr), 2, true), 1200);
        assertThat(second.payloads()).containsExactly(aud, sps, pps, idr);
        // ... only the missing one when the frame has the other
        Packets third = Packets.of(p, new EncodedFrame(Codec.H264, TestFrames.annexB(sps, idr), 3, true), 1200);
        assertThat(third.payloads()).containsExactly(sps, pps, idr);
    }

    @Test
    void theReceiverPutsTheLastSpsAndPpsBeforeAnIdrThatLacksThem() throws ParseException {
        Depacketizer d = PayloadFormats.depacketizer(Codec.H264);
        byte[] idr = TestFrames.nal(random, 50, 0x65, 0x88);
        assertThat(d.depacketize(List.of(ByteBuffer.wrap(idr)), 0).data()).isEqualTo(TestFrames.annexB(idr));
        d.depacketize(List.of(ByteBuffer.wrap(sps), ByteBuffer.wrap(pps), ByteBuffer.wrap(idr)), 1);
        EncodedFrame f = d.depacketize(List.of(ByteBuffer.wrap(idr)), 2);
        assertThat(f.data()).isEqualTo(TestFrames.annexB(sps, pps, idr));
        assertThat(f.keyFrame()).isTrue();
        // from the SDP's sprop-parameter-sets before the stream carried any
        Depacketizer fromSdp = PayloadFormats.h264Depacketizer(sps, pps);
        assertThat(fromSdp.depacketize(List.of(ByteBuffer.wrap(idr)), 0).data())
                .isEqualTo(TestFrames.annexB(sps, pps, idr));
        // not before a non-IDR frame
        byte[] slice = TestFrames.nal(random, 50, 0x41, 0x9a);
        assertThat(d.depacketize(List.of(ByteBuffer.wrap(slice)), 3).data()).isEqualTo(TestFrames.annexB(slice));
    }

    @Test
    void frameStartsAndKeyFramesAreToldFromThePacket() {
        Depacketizer d = PayloadFormats.depacketizer(Codec.H264);
        assertThat(d.marksFrameStart()).as("no begin mark: the SPS, PPS and IDR packets can each begin").isFalse();
        assertThat(d.isFrameStart(ByteBuffer.wrap(sps))).isTrue();
        assertThat(d.isKeyFrame(ByteBuffer.wrap(sps))).isTrue();
        assertThat(d.isFrameStart(ByteBuffer.wrap(HEX.parseHex("6588")))).isTrue();       // first_mb_in_slice 0
        assertThat(d.isFrameStart(ByteBuffer.wrap(HEX.parseHex("6540")))).isFalse();      // a later slice
        assertThat(d.isFrameStart(ByteBuffer.wrap(HEX.parseHex("7c8588")))).isTrue();     // FU-A start of an IDR
        assertThat(d.isKeyFrame(ByteBuffer.wrap(HEX.parseHex("7c8588")))).isTrue();
        assertThat(d.isFrameStart(ByteBuffer.wrap(HEX.parseHex("7c0588")))).isFalse();    // FU-A middle
        assertThat(d.isKeyFrame(ByteBuffer.wrap(HEX.parseHex("419a")))).isFalse();
        assertThat(d.isFrameStart(ByteBuffer.wrap(HEX.parseHex("7800026742")))).isTrue(); // STAP-A from an SPS
        assertThat(d.isKeyFrame(ByteBuffer.wrap(HEX.parseHex("7800026742")))).isTrue();
    }

    @Test
    void malformedPacketsAreParseExceptions() {
        Depacketizer d = PayloadFormats.depacketizer(Codec.H264);
        String[][] bad = {
            {""}, {"e5"},                                   // empty; forbidden bit
            {"7c0588"},                                     // FU-A without its start
            {"7cc588"},                                     // S and E together
            {"7c8588"},                                     // start without end
            {"7c8588", "7c4188"},                           // the unit type changes
            {"78"}, {"780005aa"}, {"780000"}, {"7800026742ff"},  // STAP-A: empty, too long, zero size, leftover
            {"79"}, {"7a"}, {"7b"}, {"7d"}, {"60"}, {"7e"}, // interleaved-mode and undefined types
            {"78000178"},                                   // a STAP-A inside a STAP-A
            {"7c9c00", "7c5c00"},                           // an FU-A inside an FU-A
        };
        for (String[] packets : bad) {
            List<ByteBuffer> list = java.util.Arrays.stream(packets).map(h -> ByteBuffer.wrap(HEX.parseHex(h)))
                    .toList();
            assertThatThrownBy(() -> d.depacketize(list, 0)).as(String.join(",", packets))
                    .isInstanceOf(ParseException.class);
        }
    }
}
