package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Congestion control on a bottleneck (virtual clock): a link of 20 Mbit/s, 40 ms round trip, a drop-tail
 * queue of one bandwidth-delay product. The figures are deterministic simulation results, not timings.
 */
class CongestionTest {

    static final long RATE = 20_000_000L;

    static Pump bottleneck() {
        SctpSettings s = SctpSettings.defaults().withBuffers(1 << 20, 2L << 20);
        Pump p = AssociationTest.connected(s.withRandom(new Random(1)), s.withRandom(new Random(2)), 3);
        p.delayNanos = Pump.ms(20);
        p.rateBitsPerSecond = RATE;
        p.queueBytes = RATE / 8 * 40 / 1000;
        p.keepEvents = false;
        return p;
    }

    static long[] counter(Pump p) {
        long[] delivered = new long[1];
        SctpAssociation a = AssociationTest.a(p);
        byte[] message = new byte[16 * 1024];
        p.onStep = () -> {
            while (a.sendBufferUsed() + message.length <= a.settings().sendBuffer()) {
                a.send(0, 53, message, SendOptions.RELIABLE);
            }
        };
        p.listener = (side, e) -> {
            if (side == 1 && e instanceof SctpEvent.Message m) {
                delivered[0] += m.data().length;
            }
        };
        return delivered;
    }

    static double share(long bytes, long millis) {
        return bytes * 8.0 / (millis / 1000.0) / RATE;
    }

    @Test
    void fillsTheLinkWithoutTimeouts() {
        Pump p = bottleneck();
        long[] delivered = counter(p);
        p.run(Pump.ms(5_000));
        long before = delivered[0];
        p.run(Pump.ms(20_000));
        double share = share(delivered[0] - before, 20_000);
        assertThat(share).as("goodput share").isGreaterThan(0.95);
        assertThat(AssociationTest.a(p).stats().timeouts()).isZero();
        assertThat(p.queueDrops).as("the queue overflowed at least once and was recovered from").isPositive();
    }

    @Test
    void recoversFromABurstOfDropsWithoutATimeout() {
        Pump p = bottleneck();
        long[] delivered = counter(p);
        p.run(Pump.ms(5_000));
        long fastBefore = AssociationTest.a(p).stats().fastRetransmits();
        // 60 packets in a row vanish from a to b
        int[] burst = {60};
        p.filter = (side, bytes) -> side != 0 || burst[0]-- <= 0;
        long before = delivered[0];
        p.run(Pump.ms(10_000));
        assertThat(AssociationTest.a(p).stats().fastRetransmits() - fastBefore).isGreaterThanOrEqualTo(60);
        assertThat(AssociationTest.a(p).stats().timeouts()).isZero();
        assertThat(share(delivered[0] - before, 10_000)).isGreaterThan(0.85);
    }
}
