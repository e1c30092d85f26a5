package org.rtc4j.rtp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.rtc4j.rtp.payload.TelephoneEvent;

/**
 * Telephone events (RFC 4733) in an audio stream, as browsers send DTMF: the stream's SSRC, sequence numbers and
 * timestamp offset with the event's payload type; received, the reports come out as events while the audio
 * frames around them still flow, with no NACK for the event's sequence numbers.
 */
class TelephoneEventSessionTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void eventsShareTheAudioStreamAndComeOutAsEvents() throws Exception {
        RtpSession a = new RtpSession(RtpSessionConfig.defaults(1, "a"), A, B, null, null);
        a.addSendStream(SendStreamConfig.of(0x1111, Codec.OPUS, 111));
        RtpSession b = new RtpSession(RtpSessionConfig.defaults(2, "b"), B, A, null, null);
        b.addReceiveStream(ReceiveStreamConfig.of("0", Codec.OPUS, 111, -1));
        b.receiveTelephoneEvents(110);

        List<byte[]> wire = new ArrayList<>();
        a.send(T0, 0x1111, new EncodedFrame(Codec.OPUS, new byte[] {1, 2, 3}, 0, true));
        drain(a, wire);
        Instant t1 = T0.plusMillis(20);
        long start = a.timestampAt(0x1111, t1);
        assertThat(start).as("20 ms after the frame at 0, at 48 kHz").isEqualTo(960);
        a.sendTelephoneEvent(t1, 0x1111, 110, start, new TelephoneEvent(5, false, 10, 960), true);
        a.sendTelephoneEvent(t1, 0x1111, 110, start, new TelephoneEvent(5, true, 10, 4800), false);
        drain(a, wire);
        a.send(t1, 0x1111, new EncodedFrame(Codec.OPUS, new byte[] {4, 5, 6}, 1920, true));
        drain(a, wire);

        RtpPacket p = new RtpPacket();
        p.parse(ByteBuffer.wrap(wire.get(1)), 0, wire.get(1).length);
        assertThat(p.payloadType()).isEqualTo(110);
        assertThat(p.marker()).as("an event's first report").isTrue();
        assertThat(p.ssrc()).isEqualTo(0x1111);
        RtpPacket first = new RtpPacket();
        first.parse(ByteBuffer.wrap(wire.get(0)), 0, wire.get(0).length);
        assertThat(p.sequenceNumber()).isEqualTo((first.sequenceNumber() + 1) & 0xFFFF);
        assertThat((p.timestamp() - first.timestamp()) & 0xFFFF_FFFFL).isEqualTo(960);

        for (byte[] d : wire) {
            b.handleInput(t1, A, B, ByteBuffer.wrap(d));
        }
        List<RtpSessionEvent> events = new ArrayList<>();
        for (RtpSessionEvent e; (e = b.pollEvent()) != null; ) {
            events.add(e);
        }
        assertThat(events).filteredOn(e -> e instanceof RtpSessionEvent.TelephoneEventReceived)
                .extracting(e -> ((RtpSessionEvent.TelephoneEventReceived) e).report())
                .containsExactly(new TelephoneEvent(5, false, 10, 960), new TelephoneEvent(5, true, 10, 4800));
        assertThat(events).filteredOn(e -> e instanceof RtpSessionEvent.FrameReceived).hasSize(2);
        List<byte[]> feedback = new ArrayList<>();
        drain(b, feedback);
        assertThat(b.inboundRtpStats().get(0).nackCount()).isZero();
        assertThat(b.inboundRtpStats().get(0).packetsReceived()).isEqualTo(4);
        assertThat(b.malformedCount()).isZero();

        assertThatThrownBy(() -> a.sendTelephoneEvent(t1, 0x2222, 110, 0, new TelephoneEvent(1, false, 10, 0), true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEventTypeNotAcceptedIsDroppedAndCounted() {
        RtpSession a = new RtpSession(RtpSessionConfig.defaults(1, "a"), A, B, null, null);
        a.addSendStream(SendStreamConfig.of(0x1111, Codec.OPUS, 111));
        RtpSession b = new RtpSession(RtpSessionConfig.defaults(2, "b"), B, A, null, null);
        b.addReceiveStream(ReceiveStreamConfig.of("0", Codec.OPUS, 111, -1));
        a.send(T0, 0x1111, new EncodedFrame(Codec.OPUS, new byte[] {1}, 0, true));
        a.sendTelephoneEvent(T0, 0x1111, 126, 0, new TelephoneEvent(1, true, 10, 800), true);
        List<byte[]> wire = new ArrayList<>();
        drain(a, wire);
        for (byte[] d : wire) {
            b.handleInput(T0, A, B, ByteBuffer.wrap(d));
        }
        assertThat(b.malformedCount()).isEqualTo(1);
    }

    private static void drain(RtpSession s, List<byte[]> out) {
        for (Transmit t; (t = s.pollTransmit()) != null; ) {
            out.add(t.bytes());
        }
    }
}
