package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.Pumped;
import org.rtc4j.testkit.pump.SimPump;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimNetwork;
import org.rtc4j.testkit.sim.Timed;

/**
 * Two associations, side 0 ({@link #a}) and side 1 ({@link #b}), on the test kit's pump over one simulated
 * link (10 ms each way unless told), and what the tests ask of them in SCTP terms.
 */
final class SctpPair {

    /** The link most tests run on: 10 ms each way, nothing lost. */
    static final LinkConfig TEN_MS = LinkConfig.delay(Duration.ofMillis(10));

    final SimNetwork net;
    final SimPump pump;
    final Pumped<SctpEvent> sa;
    final Pumped<SctpEvent> sb;
    SctpAssociation a;
    SctpAssociation b;

    /** Not connected yet. */
    SctpPair(long seed, SctpSettings x, SctpSettings y, LinkConfig link) {
        net = new SimNetwork(seed);
        pump = EnginePump.simulated(net);
        a = new SctpAssociation(x);
        b = new SctpAssociation(y);
        EnginePump.Pair<SctpEvent> pair = pump.pair(a, b);
        sa = pair.a();
        sb = pair.b();
        pump.link(pair).configure(link);
    }

    /** Side 0 connects; both are established. */
    static SctpPair connected(SctpSettings x, SctpSettings y, long seed, LinkConfig link) {
        SctpPair p = new SctpPair(seed, x, y, link);
        p.a.connect(p.now());
        assertThat(p.runUntil(() -> p.a.state() == SctpState.ESTABLISHED && p.b.state() == SctpState.ESTABLISHED,
                60_000)).as("handshake").isTrue();
        return p;
    }

    static SctpPair connected(long seed, SctpSettings x, SctpSettings y, LinkConfig link) {
        return connected(x, y, seed, link);
    }

    static SctpPair connected(SctpSettings x, SctpSettings y, long seed) {
        return connected(x, y, seed, TEN_MS);
    }

    Pumped<SctpEvent> side(int i) {
        return i == 0 ? sa : sb;
    }

    SctpAssociation association(int i) {
        return i == 0 ? a : b;
    }

    /** A side that restarts: {@code fresh} takes its place, with no memory of the association. */
    void replace(int i, SctpAssociation fresh) {
        side(i).replace(fresh);
        if (i == 0) {
            a = fresh;
        } else {
            b = fresh;
        }
    }

    List<SctpEvent> events(int side) {
        return side(side).events();
    }

    <T> List<T> events(int side, Class<T> type) {
        return side(side).events(type);
    }

    List<SctpEvent.Message> messages(int side) {
        return events(side, SctpEvent.Message.class);
    }

    Instant now() {
        return pump.now();
    }

    void run(long millis) {
        pump.runFor(Duration.ofMillis(millis));
    }

    boolean runUntil(BooleanSupplier done, long millis) {
        return pump.runUntil(done, Duration.ofMillis(millis));
    }

    /** Both directions of the link from now on. */
    void link(LinkConfig config) {
        pump.link(sa, sb, config);
    }

    /** Drops the packets {@code drop} accepts, given the side that sends them. */
    void dropSent(BiPredicate<Integer, byte[]> drop) {
        sa.dropSent(bytes -> drop.test(0, bytes));
        sb.dropSent(bytes -> drop.test(1, bytes));
    }

    /** Records what both sides send from now on. */
    void record() {
        sa.record(true);
        sb.record(true);
    }

    List<Timed<byte[]>> sent(int side) {
        return side(side).sent();
    }
}
