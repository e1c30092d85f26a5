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

/** RFC 7798 packets byte for byte: aggregation packets (4.4.2) and fragmentation units (4.4.3). */
class H265FormatTest {

    private static final HexFormat HEX = HexFormat.of();
    private final Random random = new Random(7798);
    private final byte[] vps = HEX.parseHex("40010c01ffff");
    private final byte[] sps = HEX.parseHex("42010101600c");
    private final byte[] pps = HEX.parseHex("4401c172b462");

    @Test
    void parameterSetsAreAggregatedWithTheLowestLayerAndTid() {
        // a unit of layer 0 TID 2 (0x4003 is VPS with TID+1 = 3), next to ones of TID 1
        byte[] vpsTid2 = HEX.parseHex("40030c01ffff");
        byte[] idr = TestFrames.nal(random, 30, 0x26, 0x01, 0xAF);
        Packets p = Packets.of(PayloadFormats.packetizer(Codec.H265),
                new EncodedFrame(Codec.H265, TestFrames.annexB(vpsTid2, sps, pps, idr), 0, true), 1200);
        assertThat(p.size()).isEqualTo(1);
        // PayloadHdr: F=0, Type=48, LayerId=0, TID=1 (the lowest); then 16-bit size + unit each
        assertThat(HEX.formatHex(p.get(0))).isEqualTo("6001" + "0006" + HEX.formatHex(vpsTid2) + "0006"
                + HEX.formatHex(sps) + "0006" + HEX.formatHex(pps) + "001e" + HEX.formatHex(idr));
    }

    @Test
    void aLargeUnitIsCutIntoFragmentationUnits() throws ParseException {
        byte[] idr = TestFrames.nal(random, 2500, 0x26, 0x01, 0xAF);
        Packets p = Packets.of(PayloadFormats.packetizer(Codec.H265),
                new EncodedFrame(Codec.H265, TestFrames.annexB(idr), 0, true), 1200);
        assertThat(p.size()).isEqualTo(3);
        // PayloadHdr Type=49 with the unit's LayerId and TID; FU header S/E and FuType 19 (IDR_W_RADL)
        assertThat(HEX.formatHex(p.get(0), 0, 4)).isEqualTo("620193af");
        assertThat(HEX.formatHex(p.get(1), 0, 3)).isEqualTo("620113");
        assertThat(HEX.formatHex(p.get(2), 0, 3)).isEqualTo("620153");
        Depacketizer d = PayloadFormats.depacketizer(Codec.H265);
        assertThat(d.isKeyFrame(ByteBuffer.wrap(p.get(0)))).isTrue();
        assertThat(d.isFrameStart(ByteBuffer.wrap(p.get(0)))).isTrue();
        assertThat(d.isFrameStart(ByteBuffer.wrap(p.get(1)))).isFalse();
        assertThat(p.depacketize(d, 0).data()).isEqualTo(TestFrames.annexB(idr));
    }

    @Test
    void anIrapThatLacksItsParameterSetsGetsTheLastOnes() throws ParseException {
        Depacketizer d = PayloadFormats.depacketizer(Codec.H265);
        byte[] cra = TestFrames.nal(random, 40, 0x2A, 0x01, 0xAF);                     // CRA_NUT (21)
        d.depacketize(List.of(ByteBuffer.wrap(vps), ByteBuffer.wrap(sps), ByteBuffer.wrap(pps), ByteBuffer.wrap(cra)),
                0);
        EncodedFrame f = d.depacketize(List.of(ByteBuffer.wrap(cra)), 1);
        assertThat(f.keyFrame()).isTrue();
        assertThat(f.data()).isEqualTo(TestFrames.annexB(vps, sps, pps, cra));
    }

    @Test
    void malformedPacketsAreParseExceptions() {
        Depacketizer d = PayloadFormats.depacketizer(Codec.H265);
        String[][] bad = {
            {""}, {"40"}, {"c001aa"},                            // short; forbidden bit
            {"6001"}, {"60010009aa"}, {"600100014001"},         // AP: empty, too long, unit shorter than its header
            {"620193"}, {"620113aa"}, {"6201d3aa"},              // FU: no data; no start; S and E
            {"620193aa", "620114bb"},                            // FU type changes
            {"6401aa"}, {"7e01aa"},                              // PACI (50), reserved (63)
            {"6001000260016001"},                                // an AP inside an AP
        };
        for (String[] packets : bad) {
            List<ByteBuffer> list = java.util.Arrays.stream(packets).map(h -> ByteBuffer.wrap(HEX.parseHex(h)))
                    .toList();
            assertThatThrownBy(() -> d.depacketize(list, 0)).as(String.join(",", packets))
                    .isInstanceOf(ParseException.class);
        }
    }
}
