package org.rtc4j.rtp.session.internal;

/**
 * Per-source reception state of RFC 3550 appendix A: sequence number tracking (A.1), loss (A.3) and interarrival
 * jitter (A.8). Packets are authenticated before they get here, so a source needs no probation.
 */
public final class ReceptionStatistics {

    private static final int MAX_DROPOUT = 3000;
    /**
     * How far behind the highest a packet may come and still count as late rather than as a restart: the NACK
     * window, so that a retransmission asked for (plain, or unwrapped from RTX) is never taken for a jump. RFC
     * 3550's example is 100; with NACK a packet a round trip late at a high rate is further behind than that.
     */
    private static final int MAX_MISORDER = NackTracker.SIZE;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq = -1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean hasTransit;
    private boolean restarted;

    /**
     * Counts packet {@code seq} (A.1 update_seq): its extended sequence number, or -1 when it is dropped as a jump
     * that a second packet has not confirmed yet. After a confirmed jump {@link #takeRestarted()} is true.
     */
    public long update(int seq) {
        if (!started) {
            init(seq);
            received++;
            return seq;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += 0x10000;
            }
            maxSeq = seq;
        } else if (udelta <= 0x10000 - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two packets in sequence after a jump: the source restarted (A.1).
                init(seq);
                restarted = true;
                received++;
                return extendedMax();
            }
            badSeq = (seq + 1) & 0xFFFF;
            return -1;
        }
        received++;
        return extendedMax() + (short) ((seq - maxSeq) & 0xFFFF);
    }

    /** Whether {@code seq} is past the highest sequence number so far (within the dropout window, A.1). */
    public boolean isAhead(int seq) {
        int udelta = (seq - maxSeq) & 0xFFFF;
        return started && udelta != 0 && udelta < MAX_DROPOUT;
    }

    /**
     * The extended sequence number of {@code seq} (a retransmission's original one) without counting it: -1
     * unless it lies within {@link #MAX_MISORDER} behind the highest, where a retransmission asked for lies.
     */
    public long extend(int seq) {
        int behind = (maxSeq - seq) & 0xFFFF;
        return started && behind < MAX_MISORDER ? extendedMax() - behind : -1;
    }

    private void init(int seq) {
        started = true;
        baseSeq = seq;
        maxSeq = seq;
        badSeq = -1;
        cycles = 0;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
    }

    public boolean takeRestarted() {
        boolean r = restarted;
        restarted = false;
        return r;
    }

    /** A.8: a packet with RTP timestamp {@code ts} arrived at {@code arrival}, both in timestamp units. */
    public void arrival(long arrival, long ts) {
        long transit = arrival - ts;
        if (hasTransit) {
            long d = Math.abs((int) (transit - lastTransit));
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        hasTransit = true;
    }

    public boolean started() {
        return started;
    }

    public long extendedMax() {
        return cycles + maxSeq;
    }

    public long expected() {
        return started ? extendedMax() - baseSeq + 1 : 0;
    }

    public long received() {
        return received;
    }

    /** A.3: cumulative loss (negative with duplicates). */
    public long lost() {
        return expected() - received;
    }

    /** A.3: the fraction lost since the last call, in 1/256, and moves the interval on. */
    public int takeFractionLost() {
        long expectedInterval = expected() - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected();
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        return expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    /** In timestamp units. */
    public double jitter() {
        return jitter;
    }
}
