package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.sctp.internal.Chunk;
import org.rtc4j.sctp.internal.ChunkCodec;

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
        Pump p = AssociationTest.connected(s(1), small, 3);
        SctpAssociation a = AssociationTest.a(p);
        p.holdEvents[1] = true;
        for (int i = 0; i < 100; i++) {
            a.send(0, 53, new byte[4000], SendOptions.RELIABLE);
        }
        p.run(Pump.ms(10_000));
        // at most a window's worth is held at the receiver, the rest waits at the sender
        long unsent = a.bufferedAmount(0);
        assertThat(unsent).isGreaterThan(400_000 - 80 * 1024);
        assertThat(AssociationTest.b(p).stats().outOfWindow()).isLessThan(20); // zero-window probes
        p.holdEvents[1] = false;
        p.run(Pump.ms(20_000));
        assertThat(AssociationTest.messages(p, 1)).hasSize(100);
    }

    @Test
    void aLoneMessageIsAcknowledgedAfterTheDelayAndTwoPacketsAtOnce() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        p.run(Pump.ms(1000));
        p.record = true;
        SctpAssociation a = AssociationTest.a(p);
        long start = p.now;
        a.send(0, 53, new byte[100], SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        List<Object[]> acks = p.sent.get(1);
        assertThat(acks).hasSize(1);
        // one-way delay 10 ms, then the 200 ms delay of RFC 9260 6.2
        assertThat((long) acks.get(0)[0] - start).isEqualTo(Pump.ms(210));
        assertThat(chunks((byte[]) acks.get(0)[1])).singleElement().isInstanceOf(Chunk.Sack.class);
        // two full packets: acknowledged as the second arrives
        p.sent.get(1).clear();
        start = p.now;
        a.send(0, 53, new byte[2000], SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        assertThat((long) p.sent.get(1).get(0)[0] - start).isEqualTo(Pump.ms(10));
    }

    @Test
    void smallMessagesAreBundledAndNoPacketExceedsTheMtu() {
        Pump p = AssociationTest.connected(s(1).withMtu(1000), s(2).withMtu(1000), 3);
        p.record = true;
        SctpAssociation a = AssociationTest.a(p);
        for (int i = 0; i < 10; i++) {
            a.send(i % 3, 51, new byte[50], SendOptions.RELIABLE);
        }
        a.send(0, 53, new byte[50_000], SendOptions.RELIABLE);
        p.run(Pump.ms(2000));
        List<Object[]> packets = p.sent.get(0);
        assertThat(chunks((byte[]) packets.get(0)[1])).hasSize(11); // ten messages and a first fragment
        assertThat(packets).allSatisfy(x -> assertThat(((byte[]) x[1]).length).isLessThanOrEqualTo(1000));
        assertThat(packets.stream().filter(x -> ((byte[]) x[1]).length >= 990).count()).isGreaterThan(40);
        assertThat(AssociationTest.messages(p, 1)).hasSize(11);
    }

    @Test
    void streamsTakeTurnsAtMessageBoundaries() {
        Pump p = AssociationTest.connected(s(1).withInterleaving(false), s(2).withInterleaving(false), 3);
        SctpAssociation a = AssociationTest.a(p);
        for (int i = 0; i < 5; i++) {
            a.send(1, 53, new byte[3000], SendOptions.RELIABLE);
        }
        for (int i = 0; i < 5; i++) {
            a.send(2, 53, new byte[3000], SendOptions.RELIABLE);
        }
        p.run(Pump.ms(2000));
        assertThat(AssociationTest.messages(p, 1)).extracting(SctpEvent.Message::stream)
                .containsExactly(1, 2, 1, 2, 1, 2, 1, 2, 1, 2);
    }

    @Test
    void partialReliabilityDropsNothingWithoutLoss() {
        Pump p = AssociationTest.connected(s(1), s(2), 3);
        SctpAssociation a = AssociationTest.a(p);
        for (int i = 0; i < 500; i++) {
            a.send(1, 53, new byte[1 + i * 7], new SendOptions(i % 2 == 0, 0, -1));
            a.send(2, 53, new byte[1 + i * 3], new SendOptions(false, -1, 30_000));
        }
        p.run(Pump.ms(60_000));
        assertThat(AssociationTest.messages(p, 1)).hasSize(1000);
        assertThat(a.stats().abandoned()).isZero();
    }
}
