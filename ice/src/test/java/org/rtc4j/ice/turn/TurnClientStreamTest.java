package org.rtc4j.ice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/**
 * The TURN client over a byte stream (RFC 8656 section 12.5 framing over TCP), fed by hand. Its runs against
 * a TURN server on the simulated network are in module turn ({@code TurnClientOverTurnServerTest}).
 */
class TurnClientStreamTest {

    static final TransportAddress PEER = TransportAddress.parse(Transport.UDP, "203.0.113.9:7000");

    @Test
    void streamFramerCutsFramesAcrossSegmentsAndSkipsPadding() {
        StreamFramer framer = new StreamFramer();
        java.util.List<byte[]> frames = new java.util.ArrayList<>();
        byte[] stun = StunMessage.request(StunMethod.BINDING).fingerprint().build().toBytes();
        byte[] channelData = {0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0}; // 5 bytes, padded to 8
        ByteBuffer all = ByteBuffer.allocate(stun.length * 2 + channelData.length);
        all.put(stun).put(channelData).put(stun).flip();
        while (all.hasRemaining()) {
            int n = Math.min(3, all.remaining());
            ByteBuffer segment = all.slice(all.position(), n);
            all.position(all.position() + n);
            framer.feed(segment);
            for (ByteBuffer f; (f = framer.next()) != null; ) {
                byte[] b = new byte[f.remaining()];
                f.get(b);
                frames.add(b);
            }
        }
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0)).isEqualTo(stun);
        assertThat(frames.get(1)).containsExactly(0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4, 5);
        assertThat(frames.get(2)).isEqualTo(stun);
        framer.feed(ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0, 0, 0, 0x40, 0, 0, 0}));
        assertThat(framer.next()).isNull();
        assertThat(framer.garbage()).isEqualTo(1);
        assertThat(framer.next()).isNull(); // the rest of a garbage segment is dropped, not read as a frame
    }

    @Test
    void overTcpReceiveReturnsEveryPeerDatagramOfASegmentInTurn() {
        TransportAddress server = TransportAddress.parse(Transport.TCP, "198.51.100.1:3478");
        TransportAddress local = TransportAddress.parse(Transport.TCP, "203.0.113.5:0");
        TurnClient tcp = new TurnClient(local, server, "alice", "secret", new Random(3), Duration.ofMinutes(10));
        java.time.Instant now = java.time.Instant.EPOCH;
        tcp.allocate(now);
        StunMessage allocate = request(tcp);
        tcp.receive(now, server, local, StunMessage.builder(StunMethod.ALLOCATE, StunClass.SUCCESS_RESPONSE,
                allocate.transactionId())
                .add(new StunAttribute.Address(0x0016, PEER.ip(), 50000)) // XOR-RELAYED-ADDRESS
                .add(new StunAttribute.Numeric(0x000D, 600)).build().asBuffer()); // LIFETIME
        assertThat(tcp.state()).isEqualTo(TurnClient.State.ALLOCATED);
        int channel = tcp.bindChannel(now, PEER);
        StunMessage bind = request(tcp);
        ByteBuffer bound = StunMessage.builder(StunMethod.CHANNEL_BIND, StunClass.SUCCESS_RESPONSE,
                bind.transactionId()).build().asBuffer();
        byte[] first = {(byte) (channel >> 8), (byte) channel, 0, 3, 'o', 'n', 'e', 0}; // padded to 8 (12.5)
        byte[] second = {(byte) (channel >> 8), (byte) channel, 0, 4, 't', 'w', 'o', '!'};
        byte[] third = {(byte) (channel >> 8), (byte) channel, 0, 5, 't', 'h', 'r', 'e', 'e', 0, 0, 0};
        // One segment: the ChannelBind answer (consumed), two datagrams, and the start of a third.
        ByteBuffer segment = ByteBuffer.allocate(bound.remaining() + first.length + second.length + 6);
        segment.put(bound).put(first).put(second).put(third, 0, 6).flip();

        ByteBuffer one = tcp.receive(now, server, local, segment);
        assertThat(text(one)).isEqualTo("one");
        assertThat(tcp.lastPeer()).isEqualTo(PEER);
        assertThat(text(tcp.receiveNext(now))).isEqualTo("two!");
        assertThat(tcp.receiveNext(now)).isNull();
        assertThat(text(tcp.receive(now, server, local, ByteBuffer.wrap(third, 6, 6)))).isEqualTo("three");
        assertThat(tcp.receiveNext(now)).isNull();
        assertThat(tcp.channel(PEER)).isEqualTo(channel);
        assertThat(tcp.stats().dataIn()).isEqualTo(3);
        java.util.List<TurnEvent> events = new java.util.ArrayList<>();
        for (TurnEvent e; (e = tcp.pollEvent()) != null; ) {
            events.add(e);
        }
        assertThat(events).isNotEmpty().noneMatch(e -> e instanceof TurnEvent.Data); // returned, not queued
    }

    private static StunMessage request(TurnClient client) {
        org.rtc4j.core.Transmit t = null;
        for (org.rtc4j.core.Transmit next; (next = client.pollTransmit()) != null; ) {
            t = next;
        }
        try {
            return StunMessage.parse(t.payload());
        } catch (org.rtc4j.core.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
