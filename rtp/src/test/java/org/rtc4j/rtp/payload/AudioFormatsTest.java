package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Opus (RFC 7587, with RFC 6716 section 3.4's packet rules), G.711/G.722 (RFC 3551), telephone-event (RFC 4733)
 * and RTX (RFC 4588).
 */
class AudioFormatsTest {

    private static final HexFormat HEX = HexFormat.of();

    private static EncodedFrame opus(String hex) throws ParseException {
        return PayloadFormats.depacketizer(Codec.OPUS).depacketize(List.of(ByteBuffer.wrap(HEX.parseHex(hex))), 0);
    }

    @Test
    void opusPacketsOfEachFrameCountCode() throws ParseException {
        opus("f8");                                   // code 0, a DTX frame of 0 bytes (RFC 6716 3.2.2)
        opus("f9aabb");                               // code 1: two frames of 1 byte
        opus("fa01aabbcc");                           // code 2: 1 byte, then 2
        opus("fb03aabbcc");                           // code 3 CBR, 3 frames of 1 byte (3 x 20 ms)
        opus("fb830201aabbccdd");                     // code 3 VBR: frames of 2, 1 and the rest (1)
        opus("fb4302aabbcc0000");                     // code 3 CBR with 2 bytes of padding
        opus("1b02" + "00".repeat(6));                // SILK 60 ms x 2 = 120 ms, the longest allowed
    }

    @Test
    void opusPacketsBreakingRfc6716RulesAreRefused() {
        String[] bad = {
            "",                                       // R1: no TOC
            "f8" + "00".repeat(1276),                 // R2: a frame longer than 1275 bytes
            "f9aa",                                   // R3: code 1 with an odd length
            "fa", "fafc", "fa05aa",                   // R4: code 2 length missing or beyond the packet
            "fb", "fb00",                             // R5: code 3 without count or with zero frames
            "1b03000000",                             // R5: 3 x 60 ms = 180 ms
            "fb02aabbcc",                             // R6: CBR bytes not a multiple of the count
            "fb4305aabbcc", "fb43ff",                 // padding longer than the packet; truncated padding
            "fb8305aa",                               // R7: VBR lengths beyond the packet
        };
        for (String b : bad) {
            assertThatThrownBy(() -> opus(b)).as(b).isInstanceOf(ParseException.class);
        }
    }

    @Test
    void anAudioFrameIsOnePacketAndTheFormatNeverFragments() {
        Packetizer p = PayloadFormats.packetizer(Codec.PCMU);
        assertThatThrownBy(() -> Packets.of(p, new EncodedFrame(Codec.PCMU, new byte[1500], 0, true), 1200))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Packets.of(p, new EncodedFrame(Codec.PCMA, new byte[160], 0, true), 1200))
                .isInstanceOf(IllegalArgumentException.class);
        Depacketizer d = PayloadFormats.depacketizer(Codec.G722);
        assertThatThrownBy(() -> d.depacketize(List.of(ByteBuffer.wrap(new byte[2]), ByteBuffer.wrap(new byte[2])), 0))
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> d.depacketize(List.of(ByteBuffer.allocate(0)), 0)).isInstanceOf(ParseException.class);
    }

    /**
     * RFC 4733 section 2.5.1: an event of 1000 ticks reported every 400: marker on the first report, the
     * event's start as timestamp throughout, the final report (E) sent three times; the receiver reports the
     * start and the end once each.
     */
    @Test
    void telephoneEventReportsAndTheirRedundantEnd() throws ParseException {
        List<EncodedFrame> frames = TelephoneEvent.reports(5, 10, 8000, 1000, 400);
        Packetizer p = PayloadFormats.packetizer(Codec.TELEPHONE_EVENT);
        Depacketizer d = PayloadFormats.depacketizer(Codec.TELEPHONE_EVENT);
        TelephoneEventReceiver receiver = new TelephoneEventReceiver();
        StringBuilder wire = new StringBuilder();
        List<TelephoneEvent> news = new java.util.ArrayList<>();
        for (EncodedFrame f : frames) {
            assertThat(f.timestamp()).isEqualTo(8000);
            Packets packets = Packets.of(p, f, 1200);
            wire.append(packets.markers().get(0) ? "M" : "-").append(HEX.formatHex(packets.get(0))).append(' ');
            EncodedFrame back = packets.depacketize(d, f.timestamp());
            TelephoneEvent e = receiver.receive(ByteBuffer.wrap(back.data()), back.timestamp());
            if (e != null) {
                news.add(e);
            }
        }
        // event 5, volume 10, durations 400 and 800, then 1000 with E three times
        assertThat(wire.toString().trim()).isEqualTo("M050a0190 -050a0320 -058a03e8 -058a03e8 -058a03e8");
        assertThat(news).containsExactly(new TelephoneEvent(5, false, 10, 400), new TelephoneEvent(5, true, 10, 1000));
        // a receiver that lost everything but the last repeat still learns of the event, once
        TelephoneEventReceiver late = new TelephoneEventReceiver();
        assertThat(late.receive(ByteBuffer.wrap(frames.get(4).data()), 8000)).isEqualTo(
                new TelephoneEvent(5, true, 10, 1000));
        assertThat(late.receive(ByteBuffer.wrap(frames.get(4).data()), 8000)).isNull();
        assertThatThrownBy(() -> d.depacketize(List.of(ByteBuffer.wrap(new byte[3])), 0))
                .isInstanceOf(ParseException.class);
    }

    /** RFC 4588 section 4: the OSN, then the original payload, across the 16-bit wrap. */
    @Test
    void rtxWrapsAndUnwrapsTheOriginalSequenceNumber() throws ParseException {
        byte[] original = HEX.parseHex("90808001aabbcc");
        for (int osn : new int[] {0, 1, 0x7FFF, 0xFFFF}) {
            ByteBuffer rtx = ByteBuffer.allocate(original.length + RtxPayload.OVERHEAD);
            ByteBuffer source = ByteBuffer.wrap(original);
            RtxPayload.wrap(osn, source, rtx);
            assertThat(source.position()).isZero();
            rtx.flip();
            assertThat(HEX.formatHex(rtx.array())).isEqualTo(String.format("%04x", osn) + HEX.formatHex(original));
            assertThat(RtxPayload.originalSequenceNumber(rtx)).isEqualTo(osn);
            assertThat(RtxPayload.originalPayload(rtx)).isEqualTo(ByteBuffer.wrap(original));
        }
        // padding-only RTX (probing) has no OSN
        assertThatThrownBy(() -> RtxPayload.originalPayload(ByteBuffer.allocate(1))).isInstanceOf(ParseException.class);
    }
}
