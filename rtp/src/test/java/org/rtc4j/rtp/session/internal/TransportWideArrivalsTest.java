package org.rtc4j.rtp.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.rtcp.RtcpCompound;
import org.rtc4j.rtp.rtcp.TransportWideFeedback;

/**
 * The transport-wide feedback a receiver writes (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1)
 * on a fake clock: when it is due, which numbers it reports received or lost, and the arrival times a sender
 * reads back from the reference time and the deltas, through loss, reordering, wrap-around, jumps and long gaps.
 */
class TransportWideArrivalsTest {

    private static final int NR = TransportWideFeedback.NOT_RECEIVED;
    private static final long MS = 1_000_000L;
    /** An arbitrary epoch far from 0, as the session's clock (Unix nanoseconds) is. */
    private static final long T0 = 1_767_225_600_000_000_000L;

    private final TransportWideArrivals arrivals = new TransportWideArrivals();

    private TransportWideFeedback next(long now) throws ParseException {
        return writeOne(arrivals, now);
    }

    private List<TransportWideFeedback> all(long now) throws ParseException {
        return drain(arrivals, now);
    }

    /** One feedback packet of what waits, read back: within the size bound, from the SSRC given. */
    private static TransportWideFeedback writeOne(TransportWideArrivals a, long now) throws ParseException {
        ByteBuffer b = ByteBuffer.allocate(TransportWideArrivals.MAX_LENGTH);
        int n = a.write(now, b, 0x5EED);
        assertThat(n).isPositive().isEqualTo(b.position()).isLessThanOrEqualTo(TransportWideArrivals.MAX_LENGTH);
        List<?> packets = RtcpCompound.read(b.flip());
        assertThat(packets).hasSize(1);
        TransportWideFeedback f = (TransportWideFeedback) packets.get(0);
        assertThat(f.senderSsrc()).isEqualTo(0x5EED);
        return f;
    }

    private static List<TransportWideFeedback> drain(TransportWideArrivals a, long now) throws ParseException {
        List<TransportWideFeedback> out = new ArrayList<>();
        while (a.pending()) {
            out.add(writeOne(a, now));
        }
        return out;
    }

    /**
     * The arrival times a sender computes (section 3.1): the reference time, then the deltas, in 250 µs ticks modulo
     * the 24-bit reference time's period (a sender takes differences); -1 when lost.
     */
    private static long[] arrivalTicks(TransportWideFeedback f) {
        long[] out = new long[f.deltas().length];
        long t = f.referenceTime() * 256L;
        for (int i = 0; i < out.length; i++) {
            int d = f.deltas()[i];
            if (d == NR) {
                out[i] = -1;
            } else {
                t += d;
                out[i] = Math.floorMod(t, 256L << 24);
            }
        }
        return out;
    }

    /** The ticks of a time after T0, rounded as the writer rounds, modulo the reference time's period. */
    private static long ticks(long sinceT0) {
        return Math.floorMod(Math.floorDiv(T0 + sinceT0 + 125_000, 250_000), 256L << 24);
    }

    @Test
    void reportsEveryHundredMillisecondsWithTheArrivalTimes() throws ParseException {
        assertThat(arrivals.nextDue()).isEqualTo(Long.MAX_VALUE);
        for (int i = 0; i < 10; i++) {
            arrivals.received(T0 + i * 7 * MS + 3_000, 1000 + i, 0xAA);
        }
        assertThat(arrivals.due(T0 + 99 * MS)).isFalse();
        assertThat(arrivals.nextDue()).as("100 ms after the first arrival").isEqualTo(T0 + 3_000 + 100 * MS);
        TransportWideFeedback f = next(T0 + 100 * MS);
        assertThat(f.baseSequence()).isEqualTo(1000);
        assertThat(f.mediaSsrc()).isEqualTo(0xAA);
        assertThat(f.feedbackCount()).isZero();
        assertThat(f.deltas()).hasSize(10).doesNotContain(NR);
        long[] at = arrivalTicks(f);
        for (int i = 0; i < 10; i++) {
            assertThat(at[i]).isEqualTo(ticks(i * 7 * MS + 3_000));
        }
        assertThat(arrivals.pending()).isFalse();
        assertThat(arrivals.nextDue()).isEqualTo(Long.MAX_VALUE);

        arrivals.received(T0 + 120 * MS, 1010, 0xAA);
        assertThat(arrivals.nextDue()).isEqualTo(T0 + 200 * MS);
        TransportWideFeedback g = next(T0 + 200 * MS);
        assertThat(g.baseSequence()).isEqualTo(1010);
        assertThat(g.feedbackCount()).isEqualTo(1);
        assertThat(arrivalTicks(g)[0]).isEqualTo(ticks(120 * MS));
    }

    @Test
    void reportsEveryFiftyMillisecondsAtHighRates() {
        for (int i = 0; i < TransportWideArrivals.BUSY_PACKETS; i++) {
            arrivals.received(T0 + i * MS, i, 1);
        }
        assertThat(arrivals.nextDue()).isEqualTo(T0 + 50 * MS);
    }

    @Test
    void reportsLossesBetweenTheReceived() throws ParseException {
        for (int seq : new int[] {0, 1, 2, 5, 6}) {
            arrivals.received(T0 + seq * MS, seq, 1);
        }
        TransportWideFeedback f = next(T0 + 100 * MS);
        assertThat(f.baseSequence()).isZero();
        assertThat(arrivalTicks(f)).containsExactly(ticks(0), ticks(MS), ticks(2 * MS), -1, -1, ticks(5 * MS),
                ticks(6 * MS));
        // Rounded to the nearest tick, never accumulating: 1 ms is 4 ticks each time.
        assertThat(f.deltas()).containsSubsequence(4, 4, NR, NR, 12, 4);
    }

    @Test
    void aLatePacketMovesTheBaseBackWithANegativeDelta() throws ParseException {
        arrivals.received(T0, 0, 1);
        arrivals.received(T0 + MS, 1, 1);
        arrivals.received(T0 + 10 * MS, 3, 1);
        TransportWideFeedback first = next(T0 + 100 * MS);
        assertThat(first.deltas()).hasSize(4);
        assertThat(first.deltas()[2]).isEqualTo(NR);

        arrivals.received(T0 + 120 * MS, 2, 1);   // reordered: 2 after 3, and after its loss was reported
        arrivals.received(T0 + 130 * MS, 4, 1);
        TransportWideFeedback second = next(T0 + 200 * MS);
        assertThat(second.baseSequence()).as("section 3.1: the base may decrease").isEqualTo(2);
        assertThat(second.feedbackCount()).isEqualTo(1);
        assertThat(arrivalTicks(second)).containsExactly(ticks(120 * MS), ticks(10 * MS), ticks(130 * MS));
        assertThat(second.deltas()[1]).as("3 arrived 110 ms before 2").isEqualTo(-440);
        assertThat(second.deltas()[2]).as("a delta over 63.75 ms takes two bytes").isEqualTo(480);
    }

    @Test
    void reorderingInsideOneFeedbackGivesNegativeDeltas() throws ParseException {
        arrivals.received(T0, 10, 1);
        arrivals.received(T0 + 2 * MS, 12, 1);
        arrivals.received(T0 + 3 * MS, 11, 1);
        arrivals.received(T0 + 3 * MS, 11, 1);     // a duplicate keeps the first arrival
        TransportWideFeedback f = next(T0 + 100 * MS);
        assertThat(f.baseSequence()).isEqualTo(10);
        assertThat(arrivalTicks(f)).containsExactly(ticks(0), ticks(3 * MS), ticks(2 * MS));
        assertThat(f.deltas()[2]).isEqualTo(-4);
    }

    @Test
    void numbersWrapAroundAt65535() throws ParseException {
        for (int i = 0; i < 12; i++) {
            arrivals.received(T0 + i * MS, (65530 + i) & 0xFFFF, 1);
        }
        TransportWideFeedback f = next(T0 + 100 * MS);
        assertThat(f.baseSequence()).isEqualTo(65530);
        assertThat(f.deltas()).hasSize(12).doesNotContain(NR);
        arrivals.received(T0 + 120 * MS, 7, 1);       // 6 lost
        arrivals.received(T0 + 121 * MS, 65534, 1);   // late, from before the wrap: already reported, a duplicate
        TransportWideFeedback g = next(T0 + 200 * MS);
        assertThat(g.baseSequence()).isEqualTo(6);
        assertThat(arrivalTicks(g)).containsExactly(-1, ticks(120 * MS));
    }

    @Test
    void aLatePacketFromBeforeTheWrapIsReportedUnderItsOwnNumber() throws ParseException {
        arrivals.received(T0, 65535, 1);
        arrivals.received(T0 + MS, 1, 1);
        assertThat(next(T0 + 100 * MS).deltas()).containsExactly(0, NR, 4);
        arrivals.received(T0 + 110 * MS, 0, 1);
        TransportWideFeedback f = next(T0 + 200 * MS);
        assertThat(f.baseSequence()).isZero();
        assertThat(arrivalTicks(f)).containsExactly(ticks(110 * MS), ticks(MS));
    }

    @Test
    void aGapOfLossesWithinBoundsIsOneRun() throws ParseException {
        arrivals.received(T0, 100, 1);
        arrivals.received(T0 + 40 * MS, 100 + TransportWideArrivals.MAX_JUMP, 1);
        TransportWideFeedback f = next(T0 + 100 * MS);
        assertThat(f.deltas()).hasSize(TransportWideArrivals.MAX_JUMP + 1);
        assertThat(f.length()).as("header, three chunks, two one-byte deltas").isEqualTo(28);
        assertThat(arrivals.droppedCount()).isZero();
    }

    @Test
    void aHugeJumpIsDroppedUnlessTheNextPacketFollowsIt() throws ParseException {
        arrivals.received(T0, 100, 1);
        arrivals.received(T0 + MS, 101, 1);
        arrivals.received(T0 + 2 * MS, 30_000, 1);     // nonsense: dropped
        arrivals.received(T0 + 3 * MS, 102, 1);
        arrivals.received(T0 + 4 * MS, 103 - 600, 1);  // too late to mean anything: dropped
        arrivals.received(T0 + 5 * MS, 103, 1);
        assertThat(arrivals.droppedCount()).isEqualTo(2);
        TransportWideFeedback f = next(T0 + 100 * MS);
        assertThat(f.baseSequence()).isEqualTo(100);
        assertThat(f.deltas()).hasSize(4).doesNotContain(NR);

        // The peer's counter restarted: the jump, then the number after it.
        arrivals.received(T0 + 110 * MS, 40_000, 1);
        arrivals.received(T0 + 111 * MS, 40_001, 1);
        arrivals.received(T0 + 112 * MS, 40_002, 1);
        assertThat(arrivals.droppedCount()).isEqualTo(3);
        TransportWideFeedback g = next(T0 + 200 * MS);
        assertThat(g.baseSequence()).isEqualTo(40_001);
        assertThat(arrivalTicks(g)).containsExactly(ticks(111 * MS), ticks(112 * MS));
    }

    @Test
    void aDeltaBeyondTwoBytesStartsANewFeedback() throws ParseException {
        arrivals.received(T0, 1, 1);
        arrivals.received(T0 + 9_000 * MS, 2, 1);   // 9 s later: more than 8191.75 ms
        arrivals.received(T0 + 9_001 * MS, 3, 1);
        List<TransportWideFeedback> fs = all(T0 + 9_100 * MS);
        assertThat(fs).hasSize(2);
        assertThat(fs.get(0).baseSequence()).isEqualTo(1);
        assertThat(arrivalTicks(fs.get(0))).containsExactly(ticks(0));
        assertThat(fs.get(1).baseSequence()).isEqualTo(2);
        assertThat(fs.get(1).feedbackCount()).isEqualTo(1);
        assertThat(arrivalTicks(fs.get(1))[0]).isEqualTo(ticks(9_000 * MS));
        assertThat(fs.get(1).deltas()[0]).as("from its own reference time").isBetween(0, 255);
    }

    @Test
    void manyWaitingStatusesSplitIntoBoundedPacketsThatFollowOnExactly() throws ParseException {
        // Every other packet lost, large deltas: the most bytes per status.
        for (int i = 0; i < 1000; i++) {
            arrivals.received(T0 + i * 70 * MS, 2 * i, 1);
        }
        List<TransportWideFeedback> fs = all(T0 + 71_000 * MS);
        assertThat(fs).hasSizeGreaterThan(1);
        int expected = 0;
        int received = 0;
        for (TransportWideFeedback f : fs) {
            assertThat(f.length()).isLessThanOrEqualTo(TransportWideArrivals.MAX_LENGTH);
            assertThat(f.baseSequence()).isEqualTo(expected);
            expected += f.deltas().length;
            for (int d : f.deltas()) {
                received += d == NR ? 0 : 1;
            }
        }
        assertThat(expected).isEqualTo(2 * 999 + 1);
        assertThat(received).isEqualTo(1000);
        assertThat(arrivals.unreportedCount()).isZero();
    }

    @Test
    void stateStaysBoundedWhenFeedbackCannotLeave() throws ParseException {
        int n = TransportWideArrivals.CAPACITY + 952;
        for (int i = 0; i < n; i++) {
            arrivals.received(T0 + i * MS / 10, i, 1);
        }
        assertThat(arrivals.unreportedCount()).isEqualTo(952);
        List<TransportWideFeedback> fs = all(T0 + 1_000 * MS);
        assertThat(fs.get(0).baseSequence()).isEqualTo(952);
        assertThat(fs.stream().mapToInt(f -> f.deltas().length).sum()).isEqualTo(TransportWideArrivals.CAPACITY);
    }

    @Test
    void randomLossReorderingAndDuplicatesEndReportedAsTheyHappened() throws ParseException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int run = 0; run < 200; run++) {
            TransportWideArrivals a = new TransportWideArrivals();
            int first = random.nextInt(0x10000);
            int count = 50 + random.nextInt(2000);
            int lossPercent = random.nextInt(30);
            // Each packet sent 1 ms after the previous, delayed 0 to 40 ms: reordered by up to ~40 numbers.
            java.util.TreeMap<Long, List<Integer>> byArrival = new java.util.TreeMap<>();
            java.util.Map<Integer, Long> firstArrival = new java.util.HashMap<>();
            for (int i = 0; i < count; i++) {
                if (random.nextInt(100) < lossPercent && i != count - 1) {
                    continue;
                }
                int copies = random.nextInt(20) == 0 ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    long at = i * MS + random.nextLong(40 * MS);
                    byArrival.computeIfAbsent(at, k -> new ArrayList<>()).add(i);
                    firstArrival.merge(i, at, Math::min);
                }
            }
            // The last status reported for each number, in 250 µs ticks, -1 lost.
            java.util.Map<Integer, Long> last = new java.util.HashMap<>();
            long nextWrite = 0;
            for (var e : byArrival.entrySet()) {
                while (e.getKey() >= nextWrite) {
                    noteLast(last, drain(a, T0 + nextWrite), first);
                    nextWrite += (10 + random.nextInt(90)) * MS;
                }
                for (int i : e.getValue()) {
                    a.received(T0 + e.getKey(), (first + i) & 0xFFFF, 1);
                }
            }
            noteLast(last, drain(a, T0 + nextWrite), first);
            assertThat(a.droppedCount() + a.unreportedCount()).isZero();
            for (int i = 0; i < count; i++) {
                Long arrived = firstArrival.get(i);
                if (arrived == null) {
                    assertThat(last.getOrDefault(i, -1L)).as("lost %d", i).isEqualTo(-1L);
                } else {
                    assertThat(last.get(i)).as("run %d, number %d", run, i).isEqualTo(ticks(arrived));
                }
            }
        }
    }

    /** Notes each number's status in {@code feedback} (by its offset from {@code first}) over what came before. */
    private static void noteLast(java.util.Map<Integer, Long> last, List<TransportWideFeedback> feedback, int first) {
        for (TransportWideFeedback f : feedback) {
            long[] at = arrivalTicks(f);
            for (int k = 0; k < at.length; k++) {
                last.put((f.baseSequence() + k - first) & 0xFFFF, at[k]);
            }
        }
    }

    @Test
    void postponingWaitsAnotherInterval() {
        arrivals.received(T0, 1, 1);
        assertThat(arrivals.due(T0 + 100 * MS)).isTrue();
        arrivals.postpone(T0 + 100 * MS);
        assertThat(arrivals.nextDue()).isEqualTo(T0 + 200 * MS);
        arrivals.reset();
        assertThat(arrivals.pending()).isFalse();
    }
}
