package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.sctp.internal.Chunk;
import org.rtc4j.sctp.internal.ChunkCodec;
import org.rtc4j.testkit.sim.Timed;

/** Receive window, delayed SACK, bundling, fairness between streams. */
class FlowTest {

    static SctpSettings s(long seed) {
        return SctpSettings.defaults().withRandom(new Random(seed));
    }

    static List<Chunk> chunks(byte[] packet) {
        try {
            return ChunkCodec.parsePacket(java.nio.ByteBuffer.wrap(packet)).chunks();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReceiverThatDoesNotReadStopsTheSenderAtItsWindow() {
        SctpSettings small = s(2).withBuffers(64 * 1024, 16L << 20);
        SctpPair p = SctpPair.connected(s(1), small, 3);
        SctpAssociation a = p.a;
        p.sb.holdEvents(true);
        for (int i = 0; i < 100; i++) {
            a.send(0, 53, new byte[4000], SendOptions.RELIABLE);
        }
        p.run(10_000);
        // at most a window's worth is held at the receiver, the rest waits at the sender
        long unsent = a.bufferedAmount(0);
        assertThat(unsent).isGreaterThan(400_000 - 80 * 1024);
        assertThat(p.b.stats().outOfWindow()).isLessThan(20); // zero-window probes
        p.sb.holdEvents(false);
        p.run(20_000);
        assertThat(p.messages(1)).hasSize(100);
    }

    @Test
    void aLoneMessageIsAcknowledgedAfterTheDelayAndTwoPacketsAtOnce() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        p.run(1000);
        p.record();
        SctpAssociation a = p.a;
        Instant start = p.now();
        a.send(0, 53, new byte[100], SendOptions.RELIABLE);
        p.run(1000);
        List<Timed<byte[]>> acks = p.sent(1);
        assertThat(acks).hasSize(1);
        // one-way delay 10 ms, then the 200 ms delay of RFC 9260 6.2
        assertThat(Duration.between(start, acks.get(0).time())).isEqualTo(Duration.ofMillis(210));
        assertThat(chunks(acks.get(0).value())).singleElement().isInstanceOf(Chunk.Sack.class);
        // two full packets: acknowledged as the second arrives
        p.sent(1).clear();
        start = p.now();
        a.send(0, 53, new byte[2000], SendOptions.RELIABLE);
        p.run(1000);
        assertThat(Duration.between(start, p.sent(1).get(0).time())).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void smallMessagesAreBundledAndNoPacketExceedsTheMtu() {
        SctpPair p = SctpPair.connected(s(1).withMtu(1000), s(2).withMtu(1000), 3);
        p.record();
        SctpAssociation a = p.a;
        for (int i = 0; i < 10; i++) {
            a.send(i % 3, 51, new byte[50], SendOptions.RELIABLE);
        }
        a.send(0, 53, new byte[50_000], SendOptions.RELIABLE);
        p.run(2000);
        List<Timed<byte[]>> packets = p.sent(0);
        assertThat(chunks(packets.get(0).value())).hasSize(11); // ten messages and a first fragment
        assertThat(packets).allSatisfy(x -> assertThat(x.value().length).isLessThanOrEqualTo(1000));
        assertThat(packets.stream().filter(x -> x.value().length >= 990).count()).isGreaterThan(40);
        assertThat(p.messages(1)).hasSize(11);
    }

    @Test
    void streamsTakeTurnsAtMessageBoundaries() {
        SctpPair p = SctpPair.connected(s(1).withInterleaving(false), s(2).withInterleaving(false), 3);
        SctpAssociation a = p.a;
        for (int i = 0; i < 5; i++) {
            a.send(1, 53, new byte[3000], SendOptions.RELIABLE);
        }
        for (int i = 0; i < 5; i++) {
            a.send(2, 53, new byte[3000], SendOptions.RELIABLE);
        }
        p.run(2000);
        assertThat(p.messages(1)).extracting(SctpEvent.Message::stream)
                .containsExactly(1, 2, 1, 2, 1, 2, 1, 2, 1, 2);
    }

    @Test
    void partialReliabilityDropsNothingWithoutLoss() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        SctpAssociation a = p.a;
        for (int i = 0; i < 500; i++) {
            a.send(1, 53, new byte[1 + i * 7], new SendOptions(i % 2 == 0, 0, -1));
            a.send(2, 53, new byte[1 + i * 3], new SendOptions(false, -1, 30_000));
        }
        p.run(60_000);
        assertThat(a.stats().abandoned()).as("%s", a.stats()).isZero();
        assertThat(p.messages(1)).hasSize(1000);
    }
}
