package org.rtc4j.sctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;

/** The search alone, against a path that carries packets up to a limit, on a made-up clock. */
class PathMtuSearchTest {

    private long now;
    private final byte[] buf = new byte[65536];
    private final List<Integer> probed = new ArrayList<>();

    /** Runs the search until it completes; a probe passes when its size is within {@code limit}. */
    private void run(PathMtuSearch s, int limit) {
        for (int steps = 0; steps < 1000 && s.phase() == PathMtuSearch.Phase.SEARCHING; steps++) {
            if (s.probeDue()) {
                int size = s.writeProbe(buf, 12, now);
                assertThat(size).isEqualTo(s.probeSize());
                assertThat(size % 4).isZero();
                // HEARTBEAT of 20 bytes, then a PAD chunk to the end of the packet
                assertThat(Bytes.getU16(buf, 14)).isEqualTo(20);
                assertThat(buf[32] & 0xFF).isEqualTo(0x84);
                assertThat(32 + Bytes.getU16(buf, 34)).isEqualTo(size);
                probed.add(size);
                if (size <= limit) {
                    now += 20_000_000L;
                    assertThat(s.onHeartbeatAck(buf, 20, 12, now)).isTrue();
                    continue;
                }
            }
            now = s.timerAt();
            s.onTimer(now);
        }
    }

    @Test
    void findsTheLimitWithinTheStopGap() {
        for (int limit : new int[] {1200, 1280, 1400, 1472, 8972, 9000, 16383, 16384, 40000}) {
            PathMtuSearch s = new PathMtuSearch(1200, 16384, new Random(limit));
            s.start(now);
            run(s, limit);
            assertThat(s.phase()).isEqualTo(PathMtuSearch.Phase.SEARCH_COMPLETE);
            int expected = Math.min(limit, 16384);
            assertThat(s.plpmtu()).as("limit " + limit).isBetween(Math.max(1200, expected - PathMtuSearch.STOP_GAP),
                    expected);
            // below the maximum, the search resumes after the raise timer; at the maximum it never does
            assertThat(s.timerAt()).isEqualTo(s.plpmtu() < 16384 ? now + PathMtuSearch.RAISE_TIMER
                    : PathMtuSearch.NONE);
            long sizes = probed.stream().distinct().count();
            assertThat(s.probesSent()).as("1 probe per confirmed size, 3 per failed one")
                    .isEqualTo(s.probesConfirmed() + 3 * (sizes - s.probesConfirmed()));
            probed.clear();
        }
    }

    @Test
    void anAckMustNameTheProbeInProgress() {
        PathMtuSearch s = new PathMtuSearch(1200, 16384, new Random(1));
        s.start(0);
        s.writeProbe(buf, 12, 0);
        byte[] info = java.util.Arrays.copyOfRange(buf, 20, 32);
        byte[] forged = info.clone();
        forged[3] ^= 1; // the nonce differs in one bit
        assertThat(s.onHeartbeatAck(forged, 0, 12, 1)).isFalse();
        assertThat(s.onHeartbeatAck(info, 0, 11, 1)).isFalse(); // wrong length
        assertThat(s.plpmtu()).isEqualTo(1200);
        assertThat(s.unmatchedAcks()).isEqualTo(2);
        assertThat(s.onHeartbeatAck(info, 0, 12, 1)).isTrue();
        assertThat(s.plpmtu()).isEqualTo(16384);
        assertThat(s.onHeartbeatAck(info, 0, 12, 2)).as("a replay").isFalse();
        assertThat(s.unmatchedAcks()).isEqualTo(3);
    }

    @Test
    void aBlackHoleWaitsForDataBeforeSearchingAgain() {
        PathMtuSearch s = new PathMtuSearch(1200, 16384, new Random(1));
        s.start(0);
        run(s, 65536);
        assertThat(s.plpmtu()).isEqualTo(16384);
        assertThat(s.blackHole(now)).isTrue();
        assertThat(s.plpmtu()).isEqualTo(1200);
        assertThat(s.blackHole(now)).as("already at the base").isFalse();
        assertThat(s.timerAt()).isEqualTo(PathMtuSearch.NONE);
        assertThat(s.probeDue()).isFalse();
        s.dataAcknowledged(now);
        assertThat(s.timerAt()).isEqualTo(now + PathMtuSearch.PROBE_TIMER);
        now = s.timerAt();
        s.onTimer(now);
        assertThat(s.probeDue()).isTrue();
        assertThat(s.probeSize()).isEqualTo(16384);
        assertThat(s.blackHoles()).isEqualTo(1);
    }

    @Test
    void noSearchWhenTheMaximumIsTheBase() {
        PathMtuSearch s = new PathMtuSearch(1200, 1200, new Random(1));
        s.start(0);
        assertThat(s.probeDue()).isFalse();
        assertThat(s.timerAt()).isEqualTo(PathMtuSearch.NONE);
        assertThat(s.phase()).isEqualTo(PathMtuSearch.Phase.SEARCH_COMPLETE);
        s.setMax(1203, 0); // not even one aligned size above the base
        assertThat(s.probeDue()).isFalse();
    }
}
