package org.rtc4j.rtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.RtpPacket;

/**
 * A renegotiation picks another codec mid-call (RFC 3264 section 8.3.2): the sending stream goes on in the new
 * payload type on the same SSRC, sequence numbers unbroken (RFC 3550 section 5.1), its RTX too; the receiving
 * side moves the SSRC to the stream negotiated for the new payload type and delivers its frames, repairs included,
 * and reads each packet by its own payload type, so a late repair of the old codec still completes its frame.
 */
class CodecSwitchTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ExtensionIds IDS = new ExtensionIds(1, 0, 0, 0, 0);

    @Test
    void vp8ThenH264OnOneSsrcBothDeliveredAndRepaired() throws Exception {
        RtpSession a = vp8Sender();
        RtpSession b = vp8OrH264Receiver();

        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(1, 3000), 0, true));
        List<byte[]> vp8 = drain(a);
        switchToH264(a);
        a.send(T0, 0x1111, new EncodedFrame(Codec.H264, TestFormat.content(2, 3000), 3000, true));
        List<byte[]> h264 = drain(a);
        RtpPacket last = RtpPacket.of(ByteBuffer.wrap(vp8.get(vp8.size() - 1)));
        RtpPacket next = RtpPacket.of(ByteBuffer.wrap(h264.get(0)));
        assertThat(next.ssrc()).isEqualTo(last.ssrc());
        assertThat(next.payloadType()).isEqualTo(102);
        assertThat(next.sequenceNumber()).isEqualTo((last.sequenceNumber() + 1) & 0xFFFF);

        vp8.forEach(d -> b.handleInput(T0, A, B, ByteBuffer.wrap(d)));
        // the first H.264 packet lost: a NACK, answered in the new codec's RTX payload type
        for (int i = 1; i < h264.size(); i++) {
            b.handleInput(T0, A, B, ByteBuffer.wrap(h264.get(i)));
        }
        drain(b).forEach(d -> a.handleInput(T0, B, A, ByteBuffer.wrap(d)));
        List<byte[]> rtx = drain(a);
        assertThat(rtx).hasSize(1);
        assertThat(RtpPacket.of(ByteBuffer.wrap(rtx.get(0))).payloadType()).isEqualTo(103);
        rtx.forEach(d -> b.handleInput(T0, A, B, ByteBuffer.wrap(d)));

        List<EncodedFrame> frames = new ArrayList<>();
        for (RtpSessionEvent e; (e = b.pollEvent()) != null; ) {
            if (e instanceof RtpSessionEvent.FrameReceived f) {
                assertThat(f.ssrc()).isEqualTo(0x1111);
                frames.add(f.frame());
            }
        }
        assertThat(frames).extracting(EncodedFrame::codec).containsExactly(Codec.VP8, Codec.H264);
        assertThat(frames.get(1).data()).isEqualTo(TestFormat.content(2, 3000));
        assertThat(b.malformedCount()).isZero();
        assertThat(b.inboundRtpStats()).singleElement().satisfies(s -> assertThat(s.ssrc()).isEqualTo(0x1111));
    }

    /**
     * The last VP8 packet before the switch is lost: its NACK comes after the first H.264 packets, and the sender
     * answers it from the history it kept across the switch, in VP8's RTX payload type (RFC 4588 section 4: the
     * RTX payload type names the original's, apt); the receiver puts it back into its VP8 frame, which completes
     * and comes out before the H.264 key frame.
     */
    @Test
    void lastVp8PacketLostAtTheSwitchIsRetransmittedAsVp8AndCompletesItsFrame() throws Exception {
        RtpSession a = vp8Sender();
        RtpSession b = vp8OrH264Receiver();

        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(1, 3000), 0, true));
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(2, 3000), 3000, false));
        List<byte[]> vp8 = drain(a);
        switchToH264(a);
        a.send(T0, 0x1111, new EncodedFrame(Codec.H264, TestFormat.content(3, 3000), 6000, true));
        List<byte[]> h264 = drain(a);
        byte[] lost = vp8.remove(vp8.size() - 1);

        vp8.forEach(d -> b.handleInput(T0, A, B, ByteBuffer.wrap(d)));
        h264.forEach(d -> b.handleInput(T0, A, B, ByteBuffer.wrap(d)));
        drain(b).forEach(d -> a.handleInput(T0, B, A, ByteBuffer.wrap(d)));
        List<byte[]> rtx = drain(a);
        assertThat(rtx).hasSize(1);
        RtpPacket repair = RtpPacket.of(ByteBuffer.wrap(rtx.get(0)));
        assertThat(repair.payloadType()).isEqualTo(97);
        assertThat(repair.ssrc()).isEqualTo(0x1112);
        assertThat(ByteBuffer.wrap(rtx.get(0)).getShort(repair.payloadOffset()) & 0xFFFF)
                .isEqualTo(RtpPacket.of(ByteBuffer.wrap(lost)).sequenceNumber());
        rtx.forEach(d -> b.handleInput(T0, A, B, ByteBuffer.wrap(d)));

        List<EncodedFrame> frames = new ArrayList<>();
        for (RtpSessionEvent e; (e = b.pollEvent()) != null; ) {
            if (e instanceof RtpSessionEvent.FrameReceived f) {
                frames.add(f.frame());
            }
        }
        assertThat(frames).extracting(EncodedFrame::codec).containsExactly(Codec.VP8, Codec.VP8, Codec.H264);
        assertThat(frames).extracting(TestFormat::index).containsExactly(1, 2, 3);
        assertThat(frames.get(1).data()).isEqualTo(TestFormat.content(2, 3000));
        assertThat(b.malformedCount()).isZero();
        assertThat(b.inboundRtpStats()).singleElement().satisfies(s -> {
            assertThat(s.retransmittedPacketsReceived()).isEqualTo(1);
            assertThat(s.framesDropped()).isZero();
        });
    }

    /** A new codec's frames start at a key frame: its delta frame before one is dropped, and a key frame asked for. */
    @Test
    void newCodecWaitsForItsKeyFrame() throws Exception {
        RtpSession a = vp8Sender();
        RtpSession b = vp8OrH264Receiver();
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(1, 100), 0, true));
        switchToH264(a);
        a.send(T0, 0x1111, new EncodedFrame(Codec.H264, TestFormat.content(2, 100), 3000, false));
        a.send(T0, 0x1111, new EncodedFrame(Codec.H264, TestFormat.content(3, 100), 6000, true));
        drain(a).forEach(d -> b.handleInput(T0, A, B, ByteBuffer.wrap(d)));

        List<Integer> frames = new ArrayList<>();
        for (RtpSessionEvent e; (e = b.pollEvent()) != null; ) {
            if (e instanceof RtpSessionEvent.FrameReceived f) {
                frames.add(TestFormat.index(f.frame()));
            }
        }
        assertThat(frames).containsExactly(1, 3);
        assertThat(b.inboundRtpStats()).singleElement().satisfies(s -> assertThat(s.pliCount()).isEqualTo(1));
    }

    /** Sends VP8 in payload type 96, RTX 97, on SSRC 0x1111 (RTX 0x1112), MID "v". */
    private static RtpSession vp8Sender() {
        RtpSession a = new RtpSession(RtpSessionConfig.defaults(1, "a").withExtensions(IDS), A, B, null, null);
        a.addSendStream(new SendStreamConfig(0x1111, Codec.VP8, 96, "v", null, 0x1112, 97), new TestFormat(Codec.VP8));
        return a;
    }

    /** Goes on in H.264, payload type 102, RTX 103 (a renegotiation picked it). */
    private static void switchToH264(RtpSession a) {
        a.replaceSendStream(new SendStreamConfig(0x1111, Codec.H264, 102, "v", null, 0x1112, 103),
                new TestFormat(Codec.H264));
    }

    /** Receives MID "v" with VP8 (96, RTX 97) and H.264 (102, RTX 103) negotiated. */
    private static RtpSession vp8OrH264Receiver() {
        RtpSession b = new RtpSession(RtpSessionConfig.defaults(2, "b").withExtensions(IDS), B, A, null, null);
        b.addReceiveStream(ReceiveStreamConfig.of("v", Codec.VP8, 96, 97)
                .withDepacketizer(() -> new TestFormat(Codec.VP8)));
        b.addReceiveStream(ReceiveStreamConfig.of("v", Codec.H264, 102, 103)
                .withDepacketizer(() -> new TestFormat(Codec.H264)));
        return b;
    }

    private static List<byte[]> drain(RtpSession s) {
        List<byte[]> out = new ArrayList<>();
        for (Transmit t; (t = s.pollTransmit()) != null; ) {
            out.add(t.bytes());
        }
        return out;
    }
}
