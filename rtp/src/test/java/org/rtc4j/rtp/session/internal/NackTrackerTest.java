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
        t.received(65534, 0);
        t.received(65538, 10 * MS);                    // 65535, 65536 and 65537 missing
        assertThat(t.missing()).isEqualTo(3);
        assertThat(t.nextDue()).isEqualTo(10 * MS);
        assertThat(collect(t, 10 * MS)).containsExactly(65535, 0, 1);   // 16-bit on the wire
        assertThat(collect(t, 10 * MS + RETRY - 1)).isEmpty();         // not again within a round trip
        assertThat(t.nextDue()).isEqualTo(10 * MS + RETRY);
        t.received(65536, 50 * MS);                    // one arrives
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
        t.received(10, 0);
        t.received(10 + NackTracker.SIZE + 5, MS);
        assertThat(t.missing()).isZero();
        assertThat(t.abandonedCount()).isEqualTo(NackTracker.SIZE + 4);
        assertThat(collect(t, 2 * MS)).isEmpty();
        // Within the window, a gap is asked for, at most as many numbers as the caller has room for.
        t.received(10 + NackTracker.SIZE + 5 + 300, 3 * MS);
        assertThat(t.missing()).isEqualTo(299);
        assertThat(collect(t, 3 * MS)).hasSize(256);
        assertThat(collect(t, 3 * MS)).hasSize(299 - 256);
    }
}
