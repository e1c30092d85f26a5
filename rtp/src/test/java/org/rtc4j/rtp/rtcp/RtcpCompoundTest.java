package org.rtc4j.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;

class RtcpCompoundTest {

    private static ByteBuffer hex(String h) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(h.replace(" ", "")));
    }

    private static List<RtcpPacket> roundTrip(List<RtcpPacket> packets) throws ParseException {
        byte[] bytes = RtcpCompound.toBytes(packets);
        assertThat(bytes.length).isEqualTo(RtcpCompound.length(packets));
        List<RtcpPacket> back = RtcpCompound.read(ByteBuffer.wrap(bytes));
        assertThat(back).isEqualTo(packets);
        assertThat(RtcpCompound.toBytes(back)).isEqualTo(bytes);
        return back;
    }

    @Test
    void everyTypeRoundTrips() throws ParseException {
        ReportBlock block = new ReportBlock(0x11, 25, -3, 70_000, 123, 0xAABBCCDDL, 65536);
        roundTrip(List.of(
                new SenderReport(1, 0xE000_0000_8000_0000L, 90_000, 10, 12_000, List.of(block)),
                SourceDescription.cname(1, "rtc4j-cname"),
                new Goodbye(List.of(1, 2), "done")));
        roundTrip(List.of(new ReceiverReport(5, List.of(block, block)),
                new ExtendedReport(5, List.of(new ExtendedReport.ReceiverReferenceTime(0x0102030405060708L),
                        new ExtendedReport.Dlrr(List.of(new ExtendedReport.SubBlock(9, 0x1234, 0x5678))),
                        new ExtendedReport.OtherBlock(42, 1, new byte[8]))),
                new ApplicationDefined(3, 5, "abcd", new byte[] {1, 2, 3, 4})));
        roundTrip(List.of(new GenericNack(1, 2, new int[] {65535, 0, 3, 15, 100}),
                new PictureLossIndication(1, 2),
                new FullIntraRequest(1, List.of(new FullIntraRequest.Entry(2, 7), new FullIntraRequest.Entry(3, 255))),
                new ReceiverEstimatedMaxBitrate(1, 2_000_000L & ~0x7L, List.of(2, 3)),
                new TransportWideFeedback(1, 2, 65530, -5, 3,
                        new int[] {4, TransportWideFeedback.NOT_RECEIVED, 300, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                0, 0, 0, 0, 1, 2}),
                new CongestionControlFeedback(1, List.of(
                        new CongestionControlFeedback.StreamReport(2, 100, new int[] {0x8000 | 20, 0, 0x8000 | 0x6000}),
                        new CongestionControlFeedback.StreamReport(3, 7, new int[] {0x8000})), 0xCAFEBABEL)));
    }

    @Test
    void nackPacksSixteenFollowersIntoTheBitmask() throws ParseException {
        // RFC 4585 6.2.1: PID 100, BLP bit 0 = 101, bit 15 = 116.
        GenericNack n = (GenericNack) RtcpCompound.read(hex("81cd0003 00000001 00000002 0064 8001")).get(0);
        assertThat(n.lost()).containsExactly(100, 101, 116);
        assertThat(n.length()).isEqualTo(16);
    }

    @Test
    void transportWideChunksOfTheDraft() throws ParseException {
        // draft-holmer-...-01 3.1.3: a run length chunk of 221 "small delta" packets, 0x2000 | 221 ... here a
        // run of 3; 3.1.4: status vector |1|0|0 1 1 1 1 1 0 0 0 1 1 1 0 0| (1-bit symbols).
        ByteBuffer b = hex("8fcd0008 00000001 00000002 000a 0011 fffffe 07 2003 9f1c"
                + "01 02 03 04 05 06 07 08 09 0a 0b 00");
        TransportWideFeedback f = (TransportWideFeedback) RtcpCompound.read(b).get(0);
        assertThat(f.baseSequence()).isEqualTo(10);
        assertThat(f.referenceTime()).isEqualTo(-2);
        assertThat(f.feedbackCount()).isEqualTo(7);
        int nr = TransportWideFeedback.NOT_RECEIVED;
        assertThat(f.deltas()).containsExactly(1, 2, 3, nr, 4, 5, 6, 7, 8, nr, nr, nr, 9, 10, 11, nr, nr);
    }

    @Test
    void remembersRembMantissaAndExponent() throws ParseException {
        // 'REMB', 1 SSRC, exponent 3, mantissa 250000: 2,000,000 bit/s
        ByteBuffer b = hex("8fce0005 00000001 00000000 52454d42 010 3d090 00000009".replace("010 3d090",
                "01" + String.format("%06x", (3 << 18) | 250_000)));
        ReceiverEstimatedMaxBitrate r = (ReceiverEstimatedMaxBitrate) RtcpCompound.read(b).get(0);
        assertThat(r.bitrate()).isEqualTo(2_000_000L);
        assertThat(r.ssrcs()).containsExactly(9);
    }

    @Test
    void reducedSizeAndUnknownPacketsAreKept() throws ParseException {
        // RFC 5506: a lone PLI; then a packet of unknown type 210, an unknown PSFB FMT and a truncated SR body.
        List<RtcpPacket> p = RtcpCompound.read(hex("81ce0002 00000001 00000002 80d20001 01020304 83ce0000"
                + "80c80001 00000001"));
        assertThat(p).hasSize(4);
        assertThat(p.get(0)).isEqualTo(new PictureLossIndication(1, 2));
        assertThat(p.get(1)).isInstanceOf(UnknownRtcp.class);
        assertThat(((UnknownRtcp) p.get(1)).type()).isEqualTo(210);
        assertThat(((UnknownRtcp) p.get(2)).malformed()).isFalse();
        assertThat(((UnknownRtcp) p.get(3)).malformed()).isTrue();
    }

    @Test
    void paddingIsSkippedAndStructuralErrorsRejected() throws ParseException {
        // RR with padding: P=1, RC=0, length 2 words, SSRC, then 4 bytes of padding.
        List<RtcpPacket> p = RtcpCompound.read(hex("a0c90002 00000007 00000004"));
        assertThat(p).containsExactly(new ReceiverReport(7, List.of()));
        assertThatThrownBy(() -> RtcpCompound.read(hex("80c90005 00000007"))).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> RtcpCompound.read(hex("40c90001 00000007"))).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> RtcpCompound.read(hex("a0c90001 00000000"))).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> RtcpCompound.read(hex("80c9"))).isInstanceOf(ParseException.class);
    }
}
