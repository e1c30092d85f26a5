package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;
import org.rtc4j.sctp.internal.Checksum;
import org.rtc4j.sctp.internal.Chunk;
import org.rtc4j.sctp.internal.ChunkCodec;

/** Stream reset, add streams, restart, abort, shutdown, bad input. */
class LifecycleTest {

    static SctpSettings s(long seed) {
        return SctpSettings.defaults().withRandom(new Random(seed));
    }

    static <T> List<T> of(SctpPair p, int side, Class<T> type) {
        return p.events(side).stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void streamResetClosesOneStreamOnly() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        SctpAssociation a = p.a;
        SctpAssociation b = p.b;
        a.send(1, 51, "one".getBytes(), SendOptions.RELIABLE);
        a.send(2, 51, "two".getBytes(), SendOptions.RELIABLE);
        a.resetStreams(1);
        p.run(1000);
        assertThat(p.events(1, SctpEvent.IncomingStreamsReset.class)).singleElement()
                .satisfies(e -> assertThat(e.streams()).containsExactly(1));
        assertThat(p.events(0, SctpEvent.OutgoingStreamsReset.class)).singleElement()
                .satisfies(e -> assertThat(e.streams()).containsExactly(1));
        assertThat(p.messages(1)).extracting(m -> new String(m.data())).containsExactly("one", "two");
        // stream 2 goes on; stream 1 starts again at SSN 0 and still works
        a.send(2, 51, "three".getBytes(), SendOptions.RELIABLE);
        a.send(1, 51, "again".getBytes(), SendOptions.RELIABLE);
        b.send(1, 51, "back".getBytes(), SendOptions.RELIABLE);
        p.run(1000);
        assertThat(p.messages(1)).extracting(m -> new String(m.data()))
                .containsExactly("one", "two", "three", "again");
        assertThat(p.messages(0)).extracting(m -> new String(m.data())).containsExactly("back");
    }

    @Test
    void crossingResetsBothSucceed() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        SctpAssociation a = p.a;
        SctpAssociation b = p.b;
        a.send(4, 51, "x".getBytes(), SendOptions.RELIABLE);
        b.send(4, 51, "y".getBytes(), SendOptions.RELIABLE);
        p.run(500);
        a.resetStreams(4);
        b.resetStreams(4);
        p.run(2000);
        for (int side = 0; side < 2; side++) {
            assertThat(p.events(side, SctpEvent.OutgoingStreamsReset.class)).hasSize(1);
            assertThat(p.events(side, SctpEvent.IncomingStreamsReset.class)).hasSize(1);
        }
        a.send(4, 51, "after".getBytes(), SendOptions.RELIABLE);
        p.run(500);
        assertThat(new String(p.messages(1).getLast().data())).isEqualTo("after");
    }

    @Test
    void resetWaitsForDataInFlightUnderLoss() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        p.link(SctpPair.TEN_MS.toBuilder().loss(0.2).build());
        SctpAssociation a = p.a;
        for (int i = 0; i < 50; i++) {
            a.send(1, 53, new byte[] {(byte) i}, SendOptions.RELIABLE);
        }
        a.resetStreams(1);
        p.run(60_000);
        assertThat(p.messages(1)).hasSize(50);
        assertThat(p.events(1, SctpEvent.IncomingStreamsReset.class)).hasSize(1);
        assertThat(p.events(0, SctpEvent.OutgoingStreamsReset.class)).hasSize(1);
    }

    @Test
    void addStreams() {
        SctpPair p = SctpPair.connected(s(1).withStreams(4, 16), s(2).withStreams(16, 16), 3);
        SctpAssociation a = p.a;
        assertThat(a.outboundStreams()).isEqualTo(4);
        a.addStreams(6);
        p.run(1000);
        assertThat(a.outboundStreams()).isEqualTo(10);
        assertThat(p.b.inboundStreams()).isEqualTo(10);
        a.send(9, 51, "hi".getBytes(), SendOptions.RELIABLE);
        p.run(1000);
        assertThat(p.messages(1)).singleElement().satisfies(m -> assertThat(m.stream()).isEqualTo(9));
    }

    @Test
    void peerRestartIsDetectedAndDataFlowsAgain() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        SctpAssociation a = p.a;
        a.send(1, 51, "before".getBytes(), SendOptions.RELIABLE);
        p.run(500);
        // b crashes and comes back with no memory of the association
        SctpAssociation b2 = new SctpAssociation(s(99));
        p.replace(1, b2);
        b2.connect(p.now());
        p.run(2000);
        assertThat(p.events(0, SctpEvent.Restarted.class)).hasSize(1);
        assertThat(b2.state()).isEqualTo(SctpState.ESTABLISHED);
        assertThat(a.state()).isEqualTo(SctpState.ESTABLISHED);
        a.send(1, 51, "after".getBytes(), SendOptions.RELIABLE);
        b2.send(1, 51, "hello".getBytes(), SendOptions.RELIABLE);
        p.run(1000);
        assertThat(new String(p.messages(1).getLast().data())).isEqualTo("after");
        assertThat(new String(p.messages(0).getLast().data())).isEqualTo("hello");
    }

    @Test
    void aPeerThatForgotUsAnswersWithAbort() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        // a loses its state and starts over passively; b's data is out of the blue to it (RFC 9260 8.4)
        p.replace(0, new SctpAssociation(s(77)));
        p.b.send(0, 51, "anyone?".getBytes(), SendOptions.RELIABLE);
        p.run(2000);
        assertThat(p.b.state()).isEqualTo(SctpState.CLOSED);
        assertThat(p.events(1, SctpEvent.Closed.class)).singleElement()
                .satisfies(c -> assertThat(c.graceful()).isFalse());
    }

    @Test
    void abortClosesBothEnds() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        p.a.abort("done here");
        p.run(1000);
        assertThat(p.a.state()).isEqualTo(SctpState.CLOSED);
        assertThat(p.b.state()).isEqualTo(SctpState.CLOSED);
        assertThat(p.events(1, SctpEvent.Closed.class)).singleElement().satisfies(c -> {
            assertThat(c.graceful()).isFalse();
            assertThat(c.reason()).contains("done here");
        });
    }

    @Test
    void shutdownDeliversQueuedDataThenCloses() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        p.link(SctpPair.TEN_MS.toBuilder().loss(0.1).build());
        SctpAssociation a = p.a;
        for (int i = 0; i < 100; i++) {
            a.send(0, 53, new byte[2000], SendOptions.RELIABLE);
        }
        a.shutdown();
        p.run(60_000);
        assertThat(p.messages(1)).hasSize(100);
        assertThat(a.state()).isEqualTo(SctpState.CLOSED);
        assertThat(p.b.state()).isEqualTo(SctpState.CLOSED);
        assertThat(p.events(0, SctpEvent.Closed.class)).singleElement().satisfies(c -> assertThat(c.graceful()).isTrue());
        assertThat(p.events(1, SctpEvent.Closed.class)).singleElement().satisfies(c -> assertThat(c.graceful()).isTrue());
    }

    @Test
    void silentPeerIsGivenUp() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        p.link(SctpPair.TEN_MS.toBuilder().loss(1.0).build());
        p.a.send(0, 53, new byte[10], SendOptions.RELIABLE);
        p.run(3_600_000);
        assertThat(p.a.state()).isEqualTo(SctpState.CLOSED);
        assertThat(p.a.stats().timeouts()).isEqualTo(11);
    }

    @Test
    void zeroChecksumWhenBothAgree() {
        SctpPair p = SctpPair.connected(s(1).withZeroChecksum(true), s(2).withZeroChecksum(true), 3);
        int[] zero = new int[1];
        p.dropSent((side, bytes) -> {
            if (Checksum.stored(bytes, 0) == 0) {
                zero[0]++;
            }
            return false;
        });
        p.a.send(0, 53, new byte[10], SendOptions.RELIABLE);
        p.run(1000);
        assertThat(p.a.sendsZeroChecksum()).isTrue();
        assertThat(zero[0]).isGreaterThanOrEqualTo(2);
        assertThat(p.messages(1)).hasSize(1);
        // one side only: CRC-32c everywhere
        SctpPair q = SctpPair.connected(s(1).withZeroChecksum(true), s(2), 3);
        assertThat(q.a.sendsZeroChecksum()).isFalse();
        assertThat(q.b.sendsZeroChecksum()).isFalse();
    }

    @Test
    void interleavingLetsASmallMessagePassALargeOne() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        SctpAssociation a = p.a;
        a.send(1, 53, new byte[250_000], SendOptions.RELIABLE);
        a.send(2, 51, "urgent".getBytes(), SendOptions.RELIABLE);
        p.run(5000);
        assertThat(p.messages(1)).extracting(SctpEvent.Message::stream).containsExactly(2, 1);
    }

    @Test
    void badInputIsDroppedAndCounted() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        SctpAssociation b = p.b;
        int[] tt = tagAndTsn(p);
        int tag = tt[0];
        int far = tt[1] + (1 << 20);
        // bad checksum
        byte[] pkt = packet(tag, new Chunk.Data(3, 12345, 0, 0, 51, new byte[] {1}));
        pkt[pkt.length - 1] ^= 1;
        b.handlePacket(p.now(), ByteBuffer.wrap(pkt));
        assertThat(b.stats().badChecksums()).isEqualTo(1);
        // wrong tag
        b.handlePacket(p.now(), ByteBuffer.wrap(packet(tag + 1, new Chunk.Data(3, 1, 0, 0, 51, new byte[] {1}))));
        assertThat(b.stats().badTags()).isEqualTo(1);
        // TSN far outside the window
        b.handlePacket(p.now(), ByteBuffer.wrap(packet(tag, new Chunk.IData(3, far, 0, 0, 51,
                new byte[] {1}))));
        assertThat(b.stats().outOfWindow()).isEqualTo(1);
        // a forged FORWARD-TSN far ahead
        b.handlePacket(p.now(), ByteBuffer.wrap(packet(tag, new Chunk.IForwardTsn(far, new int[0],
                new boolean[0], new int[0]))));
        assertThat(b.stats().malformed()).isEqualTo(1);
        // truncated chunk
        byte[] cut = packet(tag, new Chunk.Shutdown(1));
        Bytes.putU16(cut, 14, 200);
        new Checksum().seal(cut, 0, cut.length);
        b.handlePacket(p.now(), ByteBuffer.wrap(cut));
        assertThat(b.stats().malformed()).isEqualTo(2);
        p.run(1000);
        assertThat(p.messages(1)).hasSize(1); // only the real one from tagOf
        assertThat(b.state()).isEqualTo(SctpState.ESTABLISHED);
    }

    @Test
    void forgedSequenceNumbersNeitherLoopNorAllocate() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        SctpAssociation b = p.b;
        int[] tt = tagAndTsn(p);
        int tsn = tt[1];
        // fragments claiming huge fragment numbers, each its own message, and a MID two billion ahead
        for (int i = 1; i <= 200; i++) {
            b.handlePacket(p.now(), java.nio.ByteBuffer.wrap(packet(tt[0],
                    new Chunk.IData(0, tsn + i, 1, i, 1_000_000 - i, new byte[] {1}))));
        }
        b.handlePacket(p.now(), java.nio.ByteBuffer.wrap(packet(tt[0],
                new Chunk.IForwardTsn(tsn + 300, new int[] {1, 2}, new boolean[] {false, false},
                        new int[] {2_000_000_000, -5}))));
        p.run(1000);
        assertThat(b.state()).isEqualTo(SctpState.ESTABLISHED);
        // b still works (a's own TSNs were taken over by the forgery, so test the other direction)
        b.send(3, 51, "real".getBytes(), SendOptions.RELIABLE);
        p.run(1000);
        assertThat(new String(p.messages(0).getLast().data())).isEqualTo("real");
    }

    @Test
    void heartbeatIsAnswered() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        SctpAssociation b = p.b;
        int tag = tagOf(p);
        p.run(1000);
        b.handlePacket(p.now(), ByteBuffer.wrap(packet(tag, new Chunk.Heartbeat(false, new byte[] {4, 2}))));
        ByteBuffer out = ByteBuffer.allocate(2048);
        int n = b.pollPacket(p.now(), out);
        assertThat(n).isPositive();
        try {
            List<Chunk> chunks = ChunkCodec.parsePacket(out.flip()).chunks();
            assertThat(chunks).anySatisfy(c -> {
                assertThat(c).isInstanceOf(Chunk.Heartbeat.class);
                assertThat(((Chunk.Heartbeat) c).ack()).isTrue();
                assertThat(((Chunk.Heartbeat) c).info()).containsExactly(4, 2);
            });
        } catch (org.rtc4j.core.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static int tagOf(SctpPair p) {
        return tagAndTsn(p)[0];
    }

    /** Sends one message from a to b by hand: b's verification tag and the TSN of that DATA chunk. */
    static int[] tagAndTsn(SctpPair p) {
        SctpAssociation a = p.a;
        a.send(0, 51, new byte[] {0}, SendOptions.RELIABLE);
        ByteBuffer buf = ByteBuffer.allocate(2048);
        assertThat(a.pollPacket(p.now(), buf)).isPositive();
        int tag = buf.getInt(4);
        int tsn = buf.getInt(16);
        assertThat(buf.get(12) & 0xFF).isIn(0, 64);
        p.association(1).handlePacket(p.now(), buf.flip());
        return new int[] {tag, tsn};
    }

    static byte[] packet(int tag, Chunk c) {
        byte[] b = new byte[12 + ChunkCodec.size(c)];
        Bytes.putU16(b, 0, 5000);
        Bytes.putU16(b, 2, 5000);
        Bytes.putU32(b, 4, tag);
        ChunkCodec.encode(c, b, 12);
        new Checksum().seal(b, 0, b.length);
        return b;
    }
}
