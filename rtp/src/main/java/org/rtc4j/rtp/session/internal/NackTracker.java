package org.rtc4j.rtp.session.internal;

/**
 * The NACK generator of one received stream (RFC 4585 section 3.4.1): remembers the sequence numbers missing
 * behind the highest received, asks for each, again after each round trip plus a margin, and gives up after a
 * time, after which the jitter buffer moves on. Bounded to a window of {@value #SIZE} packets.
 *
 * <p>A gap is not always a loss: the network reorders. The first request for a missing packet waits until as many
 * packets have come after it as half the reordered packets seen so far were late by (none while the path has not
 * reordered), or {@value #FIRST_REQUEST_MAX_WAIT_MS} ms, so a reordering path does not draw a retransmission for
 * every late packet (libwebrtc's NACK module waits the same way).
 */
public final class NackTracker {

    public static final int SIZE = 1024;
    private static final int MASK = SIZE - 1;
    private static final int MAX_RETRIES = 20;
    private static final int FIRST_REQUEST_MAX_WAIT_MS = 20;
    private static final long FIRST_REQUEST_MAX_WAIT = FIRST_REQUEST_MAX_WAIT_MS * 1_000_000L;
    /** Late packets counted by how far behind the highest they came (the last bucket: that far or more). */
    private static final int REORDER_BUCKETS = 16;
    private static final int REORDER_MEMORY = 128;

    private final long giveUpNanos;
    private final long[] seqs = new long[SIZE];
    private final long[] since = new long[SIZE];
    private final long[] lastSent = new long[SIZE];
    private final int[] retries = new int[SIZE];
    private long highest = -1;
    private int missing;
    private long abandoned;
    private long nextDue = Long.MAX_VALUE;
    private final int[] lateBy = new int[REORDER_BUCKETS];
    private int lateCount;
    /** Whether a first request waits for more packets to come (then every new highest makes it due). */
    private boolean waitingForPackets;

    public NackTracker(long giveUpNanos) {
        this.giveUpNanos = giveUpNanos;
        java.util.Arrays.fill(seqs, -1);
    }

    /**
     * Packet {@code ext} (extended sequence number) arrived; {@code retransmission} when it came through RTX, which
     * says nothing of how the path reorders.
     */
    public void received(long ext, long nowNanos, boolean retransmission) {
        if (highest < 0 || ext - highest > SIZE) {
            // First packet, or a jump beyond the window: what lies between is not worth asking for.
            if (highest >= 0) {
                abandoned += ext - highest - 1;
                clear();
            }
            highest = ext;
            return;
        }
        if (ext > highest) {
            for (long s = highest + 1; s < ext; s++) {
                int i = (int) (s & MASK);
                if (seqs[i] >= 0 && since[i] != 0) {
                    missing--;
                    abandoned++;
                }
                seqs[i] = s;
                since[i] = nowNanos;
                lastSent[i] = 0;
                retries[i] = 0;
                missing++;
            }
            if (ext > highest + 1 || waitingForPackets) {
                nextDue = Math.min(nextDue, nowNanos);
            }
            highest = ext;
            return;
        }
        int i = (int) (ext & MASK);
        if (seqs[i] == ext && since[i] != 0) {
            if (!retransmission) {
                late((int) Math.min(highest - ext, REORDER_BUCKETS - 1));
            }
            since[i] = 0;
            missing--;
        }
    }

    /**
     * A packet came {@code by} packets late on its own stream: the path reorders (or, without RTX, it was a plain
     * retransmission, which can only lengthen the wait up to its bound).
     */
    private void late(int by) {
        lateBy[by]++;
        if (++lateCount > REORDER_MEMORY) {
            // Halve the counts, so that the estimate follows the path as it changes.
            lateCount = 0;
            for (int k = 0; k < REORDER_BUCKETS; k++) {
                lateBy[k] /= 2;
                lateCount += lateBy[k];
            }
        }
    }

    /** How many packets after a missing one to wait for before asking: half the late packets came within it. */
    int reorderWait() {
        int sum = 0;
        for (int k = 0; k < REORDER_BUCKETS; k++) {
            sum += lateBy[k];
            if (2 * sum >= lateCount) {
                return lateCount == 0 ? 0 : k + 1;             // k behind came late: ask once k + 1 came after
            }
        }
        return REORDER_BUCKETS;
    }

    private void clear() {
        java.util.Arrays.fill(seqs, -1);
        java.util.Arrays.fill(since, 0);
        missing = 0;
        nextDue = Long.MAX_VALUE;
    }

    /** Forgets everything (the source restarted). */
    public void reset() {
        clear();
        highest = -1;
    }

    /**
     * The sequence numbers to ask for now, into {@code out} (16-bit); gives up on those too old. Returns how many.
     */
    public int collect(long nowNanos, long rttNanos, int[] out) {
        if (missing == 0 || nowNanos < nextDue) {
            return 0;
        }
        long retry = rttNanos + rttNanos / 4 + 5_000_000L;
        int wait = reorderWait();
        int n = 0;
        long due = Long.MAX_VALUE;
        waitingForPackets = false;
        for (long s = Math.max(0, highest - MASK); s < highest; s++) {
            int i = (int) (s & MASK);
            if (seqs[i] != s || since[i] == 0) {
                continue;
            }
            if (nowNanos - since[i] >= giveUpNanos || retries[i] >= MAX_RETRIES) {
                since[i] = 0;
                missing--;
                abandoned++;
                continue;
            }
            if (lastSent[i] == 0 && highest - s < wait && nowNanos - since[i] < FIRST_REQUEST_MAX_WAIT) {
                waitingForPackets = true;                      // perhaps only late: not asked for yet
                due = Math.min(due, since[i] + FIRST_REQUEST_MAX_WAIT);
                continue;
            }
            if (lastSent[i] == 0 || nowNanos - lastSent[i] >= retry) {
                if (n < out.length) {
                    out[n++] = (int) (s & 0xFFFF);
                    lastSent[i] = nowNanos;
                    retries[i]++;
                }
            }
            // One the caller had no room for this time is due at once (the next call sends it).
            long again = lastSent[i] == 0 ? nowNanos : lastSent[i] + retry;
            due = Math.min(due, Math.min(again, since[i] + giveUpNanos));
        }
        nextDue = due;
        return n;
    }

    /** When {@link #collect} has work next, Long.MAX_VALUE when nothing is missing. */
    public long nextDue() {
        return missing == 0 ? Long.MAX_VALUE : nextDue;
    }

    /** Whether packet {@code ext} will not be asked for any more: it was given up, or fell out of the window. */
    public boolean abandoned(long ext) {
        if (highest < 0 || ext > highest) {
            return false;
        }
        int i = (int) (ext & MASK);
        return seqs[i] != ext || since[i] == 0;
    }

    public int missing() {
        return missing;
    }

    public long abandonedCount() {
        return abandoned;
    }
}
