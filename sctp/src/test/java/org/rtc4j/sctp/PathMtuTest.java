package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.sctp.internal.Checksum;
import org.rtc4j.sctp.internal.PathMtuSearch;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimLink;
import org.rtc4j.testkit.sim.Timed;
import org.rtc4j.testkit.sim.TraceKind;

/** Path MTU discovery (RFC 8899 over SCTP): probing, searching, black holes, on the simulated network. */
class PathMtuTest {

    static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    static final Duration DELAY = Duration.ofMillis(10);

    static SctpSettings base(long seed) {
        return SctpSettings.defaults().withBuffers(4 << 20, 8L << 20).withRandom(new Random(seed));
    }

    /** Sizes of the datagrams a sent, counted by the link as they leave. */
    static final class Sizes {
        long total;
        long ofSize;
        long nearly;
        long larger;

        Sizes(SctpPair p, int size, int largerThan) {
            p.net.onTrace(e -> {
                if (e.kind() == TraceKind.SEND && A.equals(e.source())) {
                    total++;
                    if (e.length() == size) {
                        ofSize++;
                    }
                    if (e.length() > size * 9 / 10) {
                        nearly++;
                    }
                    if (e.length() > largerThan) {
                        larger++;
                    }
                }
            });
        }
    }

    private static TransferTest.Checker transfer(SctpPair p, long megabytes) {
        TransferTest.Checker c = new TransferTest.Checker(p.a, 0, SendOptions.RELIABLE);
        c.total = megabytes << 20;
        p.sa.beforePoll(c::refill);
        p.sa.keepEvents(false);
        p.sb.keepEvents(false).onEvent(c::receive);
        return c;
    }

    private static void assertIntact(SctpPair p, TransferTest.Checker c, boolean finished) {
        assertThat(c.error).isNull();
        assertThat(finished).as("all delivered").isTrue();
        assertThat(c.receivedBytes).isEqualTo(c.sentBytes);
        assertThat(p.a.state()).isEqualTo(SctpState.ESTABLISHED);
    }

    @Test
    void oneRoundTripFindsTheMaximumAndDataUsesIt() {
        LinkConfig link = LinkConfig.builder().delay(DELAY).mtu(65536).build();
        // b keeps the base: it must still take 16 KB packets and answer the probe
        SctpPair p = SctpPair.connected(base(1).withMaxMtu(16384), base(2), 1, link);
        Sizes sizes = new Sizes(p, 16384, 16384);
        Duration start = p.net.elapsed();
        assertThat(p.net.runUntil(() -> p.a.pathMtu() == 16384, Duration.ofSeconds(10))).isTrue();
        // one probe, confirmed by the first answer: one round trip (2 x 10 ms), not a probe timer
        assertThat(p.net.elapsed().minus(start)).isLessThan(Duration.ofMillis(100));
        assertThat(p.a.stats().pmtuProbes()).isEqualTo(1);
        assertThat(p.a.stats().pmtuProbesConfirmed()).isEqualTo(1);
        assertThat(p.a.stats().pathMtu()).isEqualTo(16384);
        assertThat(p.b.pathMtu()).isEqualTo(1200);
        assertThat(p.b.stats().pmtuProbes()).isZero();

        TransferTest.Checker c = transfer(p, 20);
        boolean finished = p.net.runUntil(c::done, Duration.ofMinutes(10));
        assertIntact(p, c, finished);
        assertThat(sizes.larger).isZero();
        // 20 MB in 16 KB packets: about 1,300 of them, far fewer than the 18,000 of 1,200 bytes. Not all are
        // full to the byte: a message that fits one chunk waits for the next packet rather than be split.
        assertThat(sizes.ofSize).as("full 16 KB packets").isPositive();
        assertThat(sizes.nearly).as("packets above 90 % of 16 KB").isGreaterThan((20L << 20) / 16384 * 8 / 10);
        assertThat(sizes.total).as("all packets a sent").isLessThan((20L << 20) / 1200 / 4);
        assertThat(p.a.stats().timeouts()).isZero();
        assertThat(p.a.stats().pmtuProbes()).isEqualTo(1); // at the maximum the search is over
    }

    @Test
    void bothEndsProbeAndNeitherProbeIsLostToTheHandshake() {
        LinkConfig link = LinkConfig.builder().delay(DELAY).mtu(65536).build();
        SctpPair p = SctpPair.connected(base(1).withMaxMtu(16384), base(2).withMaxMtu(16384), 3, link);
        assertThat(p.net.runUntil(() -> p.a.pathMtu() == 16384 && p.b.pathMtu() == 16384, Duration.ofSeconds(10)))
                .isTrue();
        // The passive end is established on COOKIE-ECHO; a probe sent before its COOKIE-ACK reached the
        // peer would be dropped there (a HEARTBEAT in COOKIE-ECHOED) and cost a probe timer.
        assertThat(p.a.stats().pmtuProbes()).isEqualTo(1);
        assertThat(p.b.stats().pmtuProbes()).isEqualTo(1);
        assertThat(p.a.stats().pmtuProbesConfirmed()).isEqualTo(1);
        assertThat(p.b.stats().pmtuProbesConfirmed()).isEqualTo(1);
    }

    @Test
    void aPacketThatAloneFillsTheWindowAsksForAnImmediateSack() {
        SctpPair p = SctpPair.connected(base(1).withMaxMtu(16384), base(2), 4);
        SctpAssociation a = p.a;
        assertThat(p.runUntil(() -> a.pathMtu() == 16384, 1000)).isTrue();
        p.record();
        a.send(0, 53, new byte[40_000], SendOptions.RELIABLE);
        p.run(1000);
        // The first data packet exceeds the initial window (4 x 1,200 bytes) on its own: its last DATA
        // chunk carries the I bit, and b acknowledges it at once instead of after its delayed-SACK timer.
        Timed<byte[]> first = p.sent(0).stream().filter(e -> isData(firstChunk(e.value()))).findFirst().orElseThrow();
        byte[] packet = first.value();
        List<Integer> data = dataChunks(packet);
        assertThat(packet[data.get(data.size() - 1) + 1] & 0x08).as("I bit").isNotZero();
        Instant sackAt = p.sent(1).stream().filter(e -> firstChunk(e.value()) == 3).map(Timed::time)
                .filter(t -> !t.isBefore(first.time())).findFirst().orElseThrow();
        assertThat(Duration.between(first.time(), sackAt)).as("virtual time to the SACK")
                .isLessThan(Duration.ofMillis(50));
        assertThat(p.messages(1)).hasSize(1);
    }

    @Test
    void noIBitWhileSeveralPacketsShareTheWindow() {
        SctpPair p = SctpPair.connected(base(1), base(2), 4);
        SctpAssociation a = p.a;
        p.record();
        a.send(0, 53, new byte[40_000], SendOptions.RELIABLE);
        p.run(1000);
        for (Timed<byte[]> e : p.sent(0)) {
            byte[] packet = e.value();
            for (int off : dataChunks(packet)) {
                assertThat(packet[off + 1] & 0x08).isZero();
            }
        }
        assertThat(p.messages(1)).hasSize(1);
    }

    /** DATA or I-DATA (RFC 8260). */
    private static boolean isData(int type) {
        return type == 0 || type == 64;
    }

    /** The offsets of the DATA and I-DATA chunks of a packet. */
    private static List<Integer> dataChunks(byte[] packet) {
        List<Integer> offsets = new java.util.ArrayList<>();
        for (int off = 12; off + 4 <= packet.length; off += Bytes.pad4(Bytes.getU16(packet, off + 2))) {
            if (isData(packet[off] & 0xFF)) {
                offsets.add(off);
            }
        }
        return offsets;
    }

    private static int firstChunk(byte[] packet) {
        return packet.length > 12 ? packet[12] & 0xFF : -1;
    }

    @Test
    void searchSettlesJustBelowASmallerPath() {
        LinkConfig link = LinkConfig.builder().delay(DELAY).mtu(1400).build();
        SctpPair p = SctpPair.connected(base(3).withMaxMtu(16384), base(4).withMaxMtu(16384), 2, link);
        TransferTest.Checker c = transfer(p, 60);
        Duration start = p.net.elapsed();
        boolean finished = p.net.runUntil(() -> c.done() && p.a.stats().pmtuProbes() > 0
                && pmtuPhase(p.a) == PathMtuSearch.Phase.SEARCH_COMPLETE, Duration.ofMinutes(20));
        assertIntact(p, c, finished);
        int mtu = p.a.pathMtu();
        assertThat(mtu).isBetween(1400 - PathMtuSearch.STOP_GAP, 1400);
        assertThat(p.b.pathMtu()).isBetween(1400 - PathMtuSearch.STOP_GAP, 1400);
        assertThat(p.a.stats().pmtuBlackHoles()).isZero();
        assertThat(p.a.stats().timeouts()).as("lost probes are not data").isZero();
        System.out.printf("path 1400: PLPMTU %d after %d probes (%d confirmed), %s virtual%n", mtu,
                p.a.stats().pmtuProbes(), p.a.stats().pmtuProbesConfirmed(), p.net.elapsed().minus(start));
    }

    static PathMtuSearch.Phase pmtuPhase(SctpAssociation a) {
        return a.pmtuPhase();
    }

    @Test
    void blackHoleFallsBackToTheBaseAndTheTransferCompletes() {
        for (boolean idata : new boolean[] {false, true}) {
            LinkConfig big = LinkConfig.builder().delay(DELAY).mtu(65536).build();
            SctpPair p = SctpPair.connected(3, base(5).withMaxMtu(16384).withInterleaving(idata),
                    base(6).withMaxMtu(16384).withInterleaving(idata), big);
            SimLink link = p.net.links().getFirst();
            TransferTest.Checker c = transfer(p, 30);
            assertThat(p.net.runUntil(() -> c.receivedBytes > (5L << 20), Duration.ofMinutes(5))).isTrue();
            assertThat(p.a.pathMtu()).isEqualTo(16384);
            // the path shrinks under a full window of 16 KB packets: every one of them is lost from now on
            link.configure(LinkConfig.builder().delay(DELAY).mtu(1200).build());
            boolean finished = p.net.runUntil(c::done, Duration.ofMinutes(30));
            assertIntact(p, c, finished);
            assertThat(p.a.stats().pmtuBlackHoles()).isPositive();
            assertThat(p.a.pathMtu()).isEqualTo(1200);
            // the search ran again and found nothing larger
            assertThat(p.net.runUntil(() -> pmtuPhase(p.a) == PathMtuSearch.Phase.SEARCH_COMPLETE,
                    Duration.ofMinutes(5))).isTrue();
            assertThat(p.a.pathMtu()).isEqualTo(1200);
            // and data still flows
            c.total += 1 << 20;
            assertIntact(p, c, p.net.runUntil(c::done, Duration.ofMinutes(5)));
            System.out.printf("black hole (idata %s): %s%n", idata, p.a.stats());
        }
    }

    @Test
    void noProbeWhenTheMaximumIsTheBase() {
        LinkConfig link = LinkConfig.builder().delay(DELAY).mtu(65536).build();
        SctpPair p = SctpPair.connected(base(7), base(8), 4, link);
        Sizes sizes = new Sizes(p, 1200, 1200);
        TransferTest.Checker c = transfer(p, 5);
        assertIntact(p, c, p.net.runUntil(c::done, Duration.ofMinutes(5)));
        p.net.runFor(Duration.ofMinutes(15)); // past any raise timer
        assertThat(p.a.stats().pmtuProbes()).isZero();
        assertThat(p.b.stats().pmtuProbes()).isZero();
        assertThat(sizes.larger).isZero();
        assertThat(sizes.ofSize).isPositive();
        assertThat(p.a.pathMtu()).isEqualTo(1200);
    }

    @Test
    void theDriverLowersAndRaisesTheMaximum() {
        LinkConfig link = LinkConfig.builder().delay(DELAY).mtu(65536).build();
        SctpPair p = SctpPair.connected(base(9).withMaxMtu(16384), base(10), 5, link);
        assertThat(p.net.runUntil(() -> p.a.pathMtu() == 16384, Duration.ofSeconds(10))).isTrue();
        p.a.setMaxMtu(p.net.now(), 4001);
        assertThat(p.a.pathMtu()).as("above the new maximum: back to the base at once").isEqualTo(1200);
        assertThat(p.net.runUntil(() -> p.a.pathMtu() == 4000, Duration.ofSeconds(10))).isTrue();
        p.a.setMaxMtu(p.net.now(), 9000);
        assertThat(p.a.pathMtu()).as("below the new maximum: kept while searching up").isEqualTo(4000);
        assertThat(p.net.runUntil(() -> p.a.pathMtu() == 9000, Duration.ofSeconds(10))).isTrue();
        ByteBuffer small = ByteBuffer.allocate(8999);
        assertThatThrownBy(() -> p.a.pollPacket(p.net.now(), small)).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.a.pollPacket(p.net.now(), ByteBuffer.allocate(9000))).isNotNegative();
        assertThatThrownBy(() -> p.a.setMaxMtu(p.net.now(), 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.a.setMaxMtu(p.net.now(), 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base(1).withMaxMtu(1199)).isInstanceOf(IllegalArgumentException.class);
        // a message round trip at the new size
        TransferTest.Checker c = transfer(p, 2);
        assertIntact(p, c, p.net.runUntil(c::done, Duration.ofMinutes(5)));
    }

    // ================================================================ single packets, by hand

    /**
     * A packet to end {@code to} (0 is a, 1 is b) with its verification tag and a valid checksum, carrying
     * {@code chunks}; the tag is read off a real packet from the other end.
     */
    private static ByteBuffer packetTo(SctpPair p, int to, byte[] chunks) {
        SctpAssociation from = p.association(1 - to);
        from.send(0, 51, new byte[] {0}, SendOptions.RELIABLE);
        ByteBuffer buf = ByteBuffer.allocate(65536);
        assertThat(from.pollPacket(p.now(), buf)).isPositive();
        int tag = buf.getInt(4);
        p.association(to).handlePacket(p.now(), buf.flip());
        byte[] packet = new byte[12 + chunks.length];
        Bytes.putU16(packet, 0, 5000);
        Bytes.putU16(packet, 2, 5000);
        Bytes.putU32(packet, 4, tag);
        System.arraycopy(chunks, 0, packet, 12, chunks.length);
        new Checksum().seal(packet, 0, packet.length);
        return ByteBuffer.wrap(packet);
    }

    private static byte[] heartbeatWithPad(int type, byte[] info, int padding) {
        byte[] c = new byte[8 + info.length + 4 + padding];
        c[0] = (byte) type;
        Bytes.putU16(c, 2, 8 + info.length);
        Bytes.putU16(c, 4, 1);
        Bytes.putU16(c, 6, 4 + info.length);
        System.arraycopy(info, 0, c, 8, info.length);
        int q = 8 + info.length;
        c[q] = (byte) 0x84;
        Bytes.putU16(c, q + 2, 4 + padding);
        return c;
    }

    @Test
    void aProbeFromThePeerIsAnsweredWithItsInfoAloneAndThePadIsIgnored() {
        SctpPair p = SctpPair.connected(base(1), base(2), 3);
        SctpAssociation b = p.b;
        byte[] info = new byte[12];
        new Random(5).nextBytes(info);
        ByteBuffer probe = packetTo(p, 1, heartbeatWithPad(4, info, 9000 - 12 - 20 - 4));
        assertThat(probe.remaining()).isEqualTo(9000);
        long malformed = b.stats().malformed();
        b.handlePacket(p.now(), probe);
        ByteBuffer out = ByteBuffer.allocate(1200);
        boolean answered = false;
        for (int n; (n = b.pollPacket(p.now(), out.clear())) > 0; ) {
            assertThat(n).isLessThanOrEqualTo(1200);
            for (int off = 12; off + 4 <= n; off += Bytes.pad4(Bytes.getU16(out.array(), off + 2))) {
                int type = out.array()[off] & 0xFF;
                assertThat(type).isNotEqualTo(0x84); // nothing of the pad comes back
                if (type == 5) {
                    assertThat(Bytes.getU16(out.array(), off + 2)).isEqualTo(8 + 12);
                    byte[] echoed = java.util.Arrays.copyOfRange(out.array(), off + 8, off + 20);
                    assertThat(echoed).isEqualTo(info);
                    answered = true;
                }
                assertThat(type).as("no ERROR about the PAD chunk").isNotEqualTo(9);
            }
        }
        assertThat(answered).isTrue();
        assertThat(b.stats().malformed()).isEqualTo(malformed);
        assertThat(b.state()).isEqualTo(SctpState.ESTABLISHED);
    }

    @Test
    void packetsLargerThanOurMtuAreAccepted() {
        // a's base is 9,000 bytes (its chunks too); b's is 1,200 and it has never probed
        SctpPair p = SctpPair.connected(base(1).withMtu(9000), base(2), 3);
        p.record();
        byte[] big = new byte[200_000];
        new Random(8).nextBytes(big);
        p.a.send(2, 53, big, SendOptions.RELIABLE);
        p.run(2000);
        assertThat(p.messages(1)).singleElement()
                .satisfies(m -> assertThat(m.data()).isEqualTo(big));
        assertThat(p.sent(0)).anySatisfy(x -> assertThat(x.value().length).isEqualTo(9000));
        assertThat(p.b.stats().malformed()).isZero();
    }

    @Test
    void aForgedOrStaleAckNeverRaisesThePathMtu() {
        // a path that carries nothing above 1,300 bytes: the search is in progress for a while
        SctpPair p = new SctpPair(3, base(1).withMaxMtu(16384), base(2), SctpPair.TEN_MS);
        SctpAssociation a = p.a;
        p.dropSent((side, bytes) -> bytes.length > 1300);
        a.connect(p.now());
        p.run(200);
        assertThat(a.state()).isEqualTo(SctpState.ESTABLISHED);
        assertThat(a.stats().pmtuProbes()).isEqualTo(1);
        // from b (right tag) but with info that names no probe of a's: every guess of the size
        for (int size : new int[] {16384, 8792, 4000, 1300}) {
            byte[] info = new byte[12];
            new Random(size).nextBytes(info);
            Bytes.putU32(info, 8, size);
            a.handlePacket(p.now(), packetTo(p, 0, heartbeatWithPad(5, info, 0)));
        }
        assertThat(a.pathMtu()).isEqualTo(1200);
        assertThat(a.stats().pmtuUnmatchedAcks()).isEqualTo(4);
        assertThat(a.state()).isEqualTo(SctpState.ESTABLISHED);
        // the real search still ends where it should
        assertThat(p.runUntil(() -> a.pmtuPhase() == PathMtuSearch.Phase.SEARCH_COMPLETE, 300_000))
                .isTrue();
        assertThat(a.pathMtu()).isBetween(1300 - PathMtuSearch.STOP_GAP, 1300);
    }

}
