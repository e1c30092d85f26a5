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
 * side moves the SSRC to the stream negotiated for the new payload type and delivers its frames, repairs included.
 */
class CodecSwitchTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ExtensionIds IDS = new ExtensionIds(1, 0, 0, 0, 0);

    @Test
    void vp8ThenH264OnOneSsrcBothDeliveredAndRepaired() throws Exception {
        RtpSession a = new RtpSession(RtpSessionConfig.defaults(1, "a").withExtensions(IDS), A, B, null, null);
        a.addSendStream(new SendStreamConfig(0x1111, Codec.VP8, 96, "v", null, 0x1112, 97), new TestFormat(Codec.VP8));
        RtpSession b = new RtpSession(RtpSessionConfig.defaults(2, "b").withExtensions(IDS), B, A, null, null);
        b.addReceiveStream(ReceiveStreamConfig.of("v", Codec.VP8, 96, 97)
                .withDepacketizer(() -> new TestFormat(Codec.VP8)));
        b.addReceiveStream(ReceiveStreamConfig.of("v", Codec.H264, 102, 103)
                .withDepacketizer(() -> new TestFormat(Codec.H264)));

        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(1, 3000), 0, true));
        List<byte[]> vp8 = drain(a);
        a.replaceSendStream(new SendStreamConfig(0x1111, Codec.H264, 102, "v", null, 0x1112, 103),
                new TestFormat(Codec.H264));
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

    private static List<byte[]> drain(RtpSession s) {
        List<byte[]> out = new ArrayList<>();
        for (Transmit t; (t = s.pollTransmit()) != null; ) {
            out.add(t.bytes());
        }
        return out;
    }
}
