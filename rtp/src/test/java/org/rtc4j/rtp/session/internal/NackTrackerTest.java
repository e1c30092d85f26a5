package org.rtc4j.rtp.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The NACK generator on hand-made arrivals: asks at once, again after each round trip, gives up in time. */
class NackTrackerTest {

    private static final long MS = 1_000_000L;
    private static final long RTT = 100 * MS;
    /** The retry spacing for that round trip: RTT + RTT/4 + 5 ms. */
    private static final long RETRY = RTT + RTT / 4 + 5 * MS;

    private final int[] out = new int[256];

    private int[] collect(NackTracker t, long now) {
        return Arrays.copyOf(out, t.collect(now, RTT, out));
    }

    @Test
    void asksAtOnceThenOncePerRoundTripUntilItGivesUp() {
        NackTracker t = new NackTracker(1000 * MS);
        t.received(65534, 0, false);
        t.received(65538, 10 * MS, false);                    // 65535, 65536 and 65537 missing
        assertThat(t.missing()).isEqualTo(3);
        assertThat(t.nextDue()).isEqualTo(10 * MS);
        assertThat(collect(t, 10 * MS)).containsExactly(65535, 0, 1);   // 16-bit on the wire
        assertThat(collect(t, 10 * MS + RETRY - 1)).isEmpty();         // not again within a round trip
        assertThat(t.nextDue()).isEqualTo(10 * MS + RETRY);
        t.received(65536, 50 * MS, true);              // one is retransmitted
        assertThat(collect(t, 10 * MS + RETRY)).containsExactly(65535, 1);
        assertThat(t.abandoned(65535)).isFalse();
        // Asked again once per retry spacing until the give-up time after the gap was seen.
        int asks = 2;
        for (long now = 10 * MS + 2 * RETRY; now < 1010 * MS; now += RETRY) {
            assertThat(collect(t, now)).containsExactly(65535, 1);
            asks++;
        }
        assertThat(asks).isEqualTo(8);
        assertThat(collect(t, 1010 * MS)).isEmpty();
        assertThat(t.missing()).isZero();
        assertThat(t.abandonedCount()).isEqualTo(2);
        assertThat(t.abandoned(65535)).isTrue();
        assertThat(t.nextDue()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aJumpBeyondTheWindowIsNotAskedFor() {
        NackTracker t = new NackTracker(1000 * MS);
        t.received(10, 0, false);
        t.received(10 + NackTracker.SIZE + 5, MS, false);
        assertThat(t.missing()).isZero();
        assertThat(t.abandonedCount()).isEqualTo(NackTracker.SIZE + 4);
        assertThat(collect(t, 2 * MS)).isEmpty();
        // Within the window, a gap is asked for, at most as many numbers as the caller has room for.
        t.received(10 + NackTracker.SIZE + 5 + 300, 3 * MS, false);
        assertThat(t.missing()).isEqualTo(299);
        assertThat(collect(t, 3 * MS)).hasSize(256);
        assertThat(collect(t, 3 * MS)).hasSize(299 - 256);
    }

    @Test
    void onAReorderingPathTheFirstRequestWaitsForThePacketsThatUsuallyOvertake() {
        NackTracker t = new NackTracker(1000 * MS);
        long now = 100 * MS;
        t.received(0, now, false);
        assertThat(t.reorderWait()).isZero();
        // Packets 3k+1 come two places late: the path reorders by two. The first time, a request goes out at once.
        long seq = 1;
        for (int k = 0; k < 20; k++, seq += 3) {
            t.received(seq + 1, now, false);
            t.received(seq + 2, now, false);
            assertThat(collect(t, now)).hasSize(k == 0 ? 1 : 0);
            t.received(seq, now, false);
        }
        assertThat(t.reorderWait()).isEqualTo(3);
        assertThat(t.missing()).isZero();
        // A real loss is asked for once three packets came after it...
        t.received(seq + 1, now, false);                      // seq missing
        t.received(seq + 2, now, false);
        assertThat(collect(t, now)).isEmpty();
        t.received(seq + 3, now, false);
        assertThat(collect(t, now)).containsExactly((int) seq);
        // ...or, when no more come, 20 ms after it was missed.
        t.received(seq + 5, now, false);                      // seq + 4 missing
        assertThat(collect(t, now + 19 * MS)).isEmpty();
        assertThat(t.nextDue()).isEqualTo(now + 20 * MS);
        assertThat(collect(t, now + 20 * MS)).containsExactly((int) seq + 4);
    }
}
