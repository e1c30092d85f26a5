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

    static <T> List<T> of(Pump p, int side, Class<T> type) {
        return p.events.get(side).stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void streamResetClosesOneStreamOnly() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        SctpAssociation a = AssociationTest.a(p);
        SctpAssociation b = AssociationTest.b(p);
        a.send(1, 51, "one".getBytes(), SendOptions.RELIABLE);
        a.send(2, 51, "two".getBytes(), SendOptions.RELIABLE);
        a.resetStreams(1);
        p.run(Pump.ms(1000));
        assertThat(of(p, 1, SctpEvent.IncomingStreamsReset.class)).singleElement()
                .satisfies(e -> assertThat(e.streams()).containsExactly(1));
        assertThat(of(p, 0, SctpEvent.OutgoingStreamsReset.class)).singleElement()
                .satisfies(e -> assertThat(e.streams()).containsExactly(1));
        assertThat(AssociationTest.messages(p, 1)).extracting(m -> new String(m.data())).containsExactly("one", "two");
        // stream 2 goes on; stream 1 starts again at SSN 0 and still works
        a.send(2, 51, "three".getBytes(), SendOptions.RELIABLE);
        a.send(1, 51, "again".getBytes(), SendOptions.RELIABLE);
        b.send(1, 51, "back".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        assertThat(AssociationTest.messages(p, 1)).extracting(m -> new String(m.data()))
                .containsExactly("one", "two", "three", "again");
        assertThat(AssociationTest.messages(p, 0)).extracting(m -> new String(m.data())).containsExactly("back");
    }

    @Test
    void crossingResetsBothSucceed() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        SctpAssociation a = AssociationTest.a(p);
        SctpAssociation b = AssociationTest.b(p);
        a.send(4, 51, "x".getBytes(), SendOptions.RELIABLE);
        b.send(4, 51, "y".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(500));
        a.resetStreams(4);
        b.resetStreams(4);
        p.run(Pump.ms(2000));
        for (int side = 0; side < 2; side++) {
            assertThat(of(p, side, SctpEvent.OutgoingStreamsReset.class)).hasSize(1);
            assertThat(of(p, side, SctpEvent.IncomingStreamsReset.class)).hasSize(1);
        }
        a.send(4, 51, "after".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(500));
        assertThat(new String(AssociationTest.messages(p, 1).getLast().data())).isEqualTo("after");
    }

    @Test
    void resetWaitsForDataInFlightUnderLoss() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        p.loss = 0.2;
        SctpAssociation a = AssociationTest.a(p);
        for (int i = 0; i < 50; i++) {
            a.send(1, 53, new byte[] {(byte) i}, SendOptions.RELIABLE);
        }
        a.resetStreams(1);
        p.run(Pump.ms(60_000));
        assertThat(AssociationTest.messages(p, 1)).hasSize(50);
        assertThat(of(p, 1, SctpEvent.IncomingStreamsReset.class)).hasSize(1);
        assertThat(of(p, 0, SctpEvent.OutgoingStreamsReset.class)).hasSize(1);
    }

    @Test
    void addStreams() {
        Pump p = AssociationTest.connected(s(1).withStreams(4, 16), s(2).withStreams(16, 16), 3);
        SctpAssociation a = AssociationTest.a(p);
        assertThat(a.outboundStreams()).isEqualTo(4);
        a.addStreams(6);
        p.run(Pump.ms(1000));
        assertThat(a.outboundStreams()).isEqualTo(10);
        assertThat(AssociationTest.b(p).inboundStreams()).isEqualTo(10);
        a.send(9, 51, "hi".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        assertThat(AssociationTest.messages(p, 1)).singleElement().satisfies(m -> assertThat(m.stream()).isEqualTo(9));
    }

    @Test
    void peerRestartIsDetectedAndDataFlowsAgain() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        SctpAssociation a = AssociationTest.a(p);
        a.send(1, 51, "before".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(500));
        // b crashes and comes back with no memory of the association
        SctpAssociation b2 = new SctpAssociation(s(99));
        p.ends[1] = b2;
        b2.connect(p.instant());
        p.run(Pump.ms(2000));
        assertThat(of(p, 0, SctpEvent.Restarted.class)).hasSize(1);
        assertThat(b2.state()).isEqualTo(SctpState.ESTABLISHED);
        assertThat(a.state()).isEqualTo(SctpState.ESTABLISHED);
        a.send(1, 51, "after".getBytes(), SendOptions.RELIABLE);
        b2.send(1, 51, "hello".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        assertThat(new String(AssociationTest.messages(p, 1).getLast().data())).isEqualTo("after");
        assertThat(new String(AssociationTest.messages(p, 0).getLast().data())).isEqualTo("hello");
    }

    @Test
    void aPeerThatForgotUsAnswersWithAbort() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        // a loses its state and starts over passively; b's data is out of the blue to it (RFC 9260 8.4)
        p.ends[0] = new SctpAssociation(s(77));
        AssociationTest.b(p).send(0, 51, "anyone?".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(2000));
        assertThat(AssociationTest.b(p).state()).isEqualTo(SctpState.CLOSED);
        assertThat(of(p, 1, SctpEvent.Closed.class)).singleElement()
                .satisfies(c -> assertThat(c.graceful()).isFalse());
    }

    @Test
    void abortClosesBothEnds() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        AssociationTest.a(p).abort("done here");
        p.run(Pump.ms(1000));
        assertThat(AssociationTest.a(p).state()).isEqualTo(SctpState.CLOSED);
        assertThat(AssociationTest.b(p).state()).isEqualTo(SctpState.CLOSED);
        assertThat(of(p, 1, SctpEvent.Closed.class)).singleElement().satisfies(c -> {
            assertThat(c.graceful()).isFalse();
            assertThat(c.reason()).contains("done here");
        });
    }

    @Test
    void shutdownDeliversQueuedDataThenCloses() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        p.loss = 0.1;
        SctpAssociation a = AssociationTest.a(p);
        for (int i = 0; i < 100; i++) {
            a.send(0, 53, new byte[2000], SendOptions.RELIABLE);
        }
        a.shutdown();
        p.run(Pump.ms(60_000));
        assertThat(AssociationTest.messages(p, 1)).hasSize(100);
        assertThat(a.state()).isEqualTo(SctpState.CLOSED);
        assertThat(AssociationTest.b(p).state()).isEqualTo(SctpState.CLOSED);
        assertThat(of(p, 0, SctpEvent.Closed.class)).singleElement().satisfies(c -> assertThat(c.graceful()).isTrue());
        assertThat(of(p, 1, SctpEvent.Closed.class)).singleElement().satisfies(c -> assertThat(c.graceful()).isTrue());
    }

    @Test
    void silentPeerIsGivenUp() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        p.loss = 1.0;
        AssociationTest.a(p).send(0, 53, new byte[10], SendOptions.RELIABLE);
        p.run(Pump.ms(3_600_000));
        assertThat(AssociationTest.a(p).state()).isEqualTo(SctpState.CLOSED);
        assertThat(AssociationTest.a(p).stats().timeouts()).isEqualTo(11);
    }

    @Test
    void zeroChecksumWhenBothAgree() {
        Pump p = AssociationTest.connected(s(1).withZeroChecksum(true), s(2).withZeroChecksum(true), 3);
        int[] zero = new int[1];
        p.filter = (side, bytes) -> {
            if (Checksum.stored(bytes, 0) == 0) {
                zero[0]++;
            }
            return true;
        };
        AssociationTest.a(p).send(0, 53, new byte[10], SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        assertThat(AssociationTest.a(p).sendsZeroChecksum()).isTrue();
        assertThat(zero[0]).isGreaterThanOrEqualTo(2);
        assertThat(AssociationTest.messages(p, 1)).hasSize(1);
        // one side only: CRC-32c everywhere
        Pump q = AssociationTest.connected(s(1).withZeroChecksum(true), s(2), 3);
        assertThat(AssociationTest.a(q).sendsZeroChecksum()).isFalse();
        assertThat(AssociationTest.b(q).sendsZeroChecksum()).isFalse();
    }

    @Test
    void interleavingLetsASmallMessagePassALargeOne() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        SctpAssociation a = AssociationTest.a(p);
        a.send(1, 53, new byte[250_000], SendOptions.RELIABLE);
        a.send(2, 51, "urgent".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(5000));
        assertThat(AssociationTest.messages(p, 1)).extracting(SctpEvent.Message::stream).containsExactly(2, 1);
    }

    @Test
    void badInputIsDroppedAndCounted() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        SctpAssociation b = AssociationTest.b(p);
        int[] tt = tagAndTsn(p);
        int tag = tt[0];
        int far = tt[1] + (1 << 20);
        // bad checksum
        byte[] pkt = packet(tag, new Chunk.Data(3, 12345, 0, 0, 51, new byte[] {1}));
        pkt[pkt.length - 1] ^= 1;
        b.handlePacket(p.instant(), ByteBuffer.wrap(pkt));
        assertThat(b.stats().badChecksums()).isEqualTo(1);
        // wrong tag
        b.handlePacket(p.instant(), ByteBuffer.wrap(packet(tag + 1, new Chunk.Data(3, 1, 0, 0, 51, new byte[] {1}))));
        assertThat(b.stats().badTags()).isEqualTo(1);
        // TSN far outside the window
        b.handlePacket(p.instant(), ByteBuffer.wrap(packet(tag, new Chunk.IData(3, far, 0, 0, 51,
                new byte[] {1}))));
        assertThat(b.stats().outOfWindow()).isEqualTo(1);
        // a forged FORWARD-TSN far ahead
        b.handlePacket(p.instant(), ByteBuffer.wrap(packet(tag, new Chunk.IForwardTsn(far, new int[0],
                new boolean[0], new int[0]))));
        assertThat(b.stats().malformed()).isEqualTo(1);
        // truncated chunk
        byte[] cut = packet(tag, new Chunk.Shutdown(1));
        Bytes.putU16(cut, 14, 200);
        new Checksum().seal(cut, 0, cut.length);
        b.handlePacket(p.instant(), ByteBuffer.wrap(cut));
        assertThat(b.stats().malformed()).isEqualTo(2);
        p.run(Pump.ms(1000));
        assertThat(AssociationTest.messages(p, 1)).hasSize(1); // only the real one from tagOf
        assertThat(b.state()).isEqualTo(SctpState.ESTABLISHED);
    }

    @Test
    void forgedSequenceNumbersNeitherLoopNorAllocate() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        SctpAssociation b = AssociationTest.b(p);
        int[] tt = tagAndTsn(p);
        int tsn = tt[1];
        // fragments claiming huge fragment numbers, each its own message, and a MID two billion ahead
        for (int i = 1; i <= 200; i++) {
            b.handlePacket(p.instant(), java.nio.ByteBuffer.wrap(packet(tt[0],
                    new Chunk.IData(0, tsn + i, 1, i, 1_000_000 - i, new byte[] {1}))));
        }
        b.handlePacket(p.instant(), java.nio.ByteBuffer.wrap(packet(tt[0],
                new Chunk.IForwardTsn(tsn + 300, new int[] {1, 2}, new boolean[] {false, false},
                        new int[] {2_000_000_000, -5}))));
        p.run(Pump.ms(1000));
        assertThat(b.state()).isEqualTo(SctpState.ESTABLISHED);
        // b still works (a's own TSNs were taken over by the forgery, so test the other direction)
        b.send(3, 51, "real".getBytes(), SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        assertThat(new String(AssociationTest.messages(p, 0).getLast().data())).isEqualTo("real");
    }

    @Test
    void heartbeatIsAnswered() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        SctpAssociation b = AssociationTest.b(p);
        int tag = tagOf(p);
        p.run(Pump.ms(1000));
        b.handlePacket(p.instant(), ByteBuffer.wrap(packet(tag, new Chunk.Heartbeat(false, new byte[] {4, 2}))));
        ByteBuffer out = ByteBuffer.allocate(2048);
        int n = b.pollPacket(p.instant(), out);
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

    static int tagOf(Pump p) {
        return tagAndTsn(p)[0];
    }

    /** Sends one message from a to b by hand: b's verification tag and the TSN of that DATA chunk. */
    static int[] tagAndTsn(Pump p) {
        SctpAssociation a = AssociationTest.a(p);
        a.send(0, 51, new byte[] {0}, SendOptions.RELIABLE);
        ByteBuffer buf = ByteBuffer.allocate(2048);
        assertThat(a.pollPacket(p.instant(), buf)).isPositive();
        int tag = buf.getInt(4);
        int tsn = buf.getInt(16);
        assertThat(buf.get(12) & 0xFF).isIn(0, 64);
        Pump.path(p.ends[1]).handlePacket(p.instant(), buf.flip());
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
