package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.sim.LinkConfig;

/**
 * Congestion control on a bottleneck of the test kit's simulated network: 20 Mbit/s, 40 ms round trip, a
 * drop-tail queue of one bandwidth-delay product. The figures are deterministic simulation results, not
 * timings.
 */
class CongestionTest {

    static final long RATE = 20_000_000L;

    static LinkConfig bottleneck() {
        return LinkConfig.builder().delay(Duration.ofMillis(20)).rate(RATE).queue((int) (RATE / 8 * 40 / 1000))
                .build();
    }

    static SctpPair pair(LinkConfig link) {
        SctpSettings s = SctpSettings.defaults().withBuffers(1 << 20, 2L << 20);
        return SctpPair.connected(s.withRandom(new Random(1)), s.withRandom(new Random(2)), 3, link);
    }

    /** Keeps a's send buffer full of 16 KiB messages; counts what b delivers. */
    static long[] saturate(SctpPair p) {
        long[] delivered = new long[1];
        byte[] message = new byte[16 * 1024];
        p.sa.beforePoll(() -> {
            while (p.a.sendBufferUsed() + message.length <= p.a.settings().sendBuffer()) {
                p.a.send(0, 53, message, SendOptions.RELIABLE);
            }
        });
        p.sa.keepEvents(false);
        p.sb.keepEvents(false).onEvent(e -> {
            if (e instanceof SctpEvent.Message m) {
                delivered[0] += m.data().length;
            }
        });
        return delivered;
    }

    static double share(long bytes, long millis) {
        return bytes * 8.0 / (millis / 1000.0) / RATE;
    }

    @Test
    void fillsTheLinkWithoutTimeouts() {
        SctpPair p = pair(bottleneck());
        long[] delivered = saturate(p);
        p.net.runFor(Duration.ofSeconds(5));
        long before = delivered[0];
        p.net.runFor(Duration.ofSeconds(20));
        assertThat(share(delivered[0] - before, 20_000)).as("goodput share").isGreaterThan(0.95);
        assertThat(p.a.stats().timeouts()).isZero();
        assertThat(p.a.stats().fastRetransmits()).as("the queue overflowed and was recovered from").isPositive();
    }

    @Test
    void recoversFromABurstOfDropsWithoutATimeout() {
        SctpPair p = pair(bottleneck());
        long[] delivered = saturate(p);
        p.net.runFor(Duration.ofSeconds(5));
        long fastBefore = p.a.stats().fastRetransmits();
        // the link goes dark for 10 ms (a quarter of the round trip): a burst of some 20 packets vanishes
        p.pump.link(p.sa, p.sb, bottleneck().toBuilder().loss(1.0).build(), bottleneck());
        p.net.runFor(Duration.ofMillis(10));
        p.pump.link(p.sa, p.sb, bottleneck());
        long before = delivered[0];
        p.net.runFor(Duration.ofSeconds(10));
        assertThat(p.a.stats().timeouts()).isZero();
        assertThat(share(delivered[0] - before, 10_000)).isGreaterThan(0.85);
        assertThat(p.a.stats().fastRetransmits() - fastBefore).isGreaterThanOrEqualTo(15);
    }
}
