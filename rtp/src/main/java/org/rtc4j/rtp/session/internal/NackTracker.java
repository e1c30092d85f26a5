package org.rtc4j.rtp.session.internal;

/**
 * The NACK generator of one received stream (RFC 4585 section 3.4.1): remembers the sequence numbers missing
 * behind the highest received, asks for each at once and again after each round trip plus a margin, and gives
 * up after a time, after which the jitter buffer moves on. Bounded to a window of {@value #SIZE} packets.
 */
public final class NackTracker {

    public static final int SIZE = 1024;
    private static final int MASK = SIZE - 1;
    private static final int MAX_RETRIES = 20;

    private final long giveUpNanos;
    private final long[] seqs = new long[SIZE];
    private final long[] since = new long[SIZE];
    private final long[] lastSent = new long[SIZE];
    private final int[] retries = new int[SIZE];
    private long highest = -1;
    private int missing;
    private long abandoned;
    private long nextDue = Long.MAX_VALUE;

    public NackTracker(long giveUpNanos) {
        this.giveUpNanos = giveUpNanos;
        java.util.Arrays.fill(seqs, -1);
    }

    /** Packet {@code ext} (extended sequence number) arrived. */
    public void received(long ext, long nowNanos) {
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
            if (ext > highest + 1) {
                nextDue = Math.min(nextDue, nowNanos);
            }
            highest = ext;
            return;
        }
        int i = (int) (ext & MASK);
        if (seqs[i] == ext && since[i] != 0) {
            since[i] = 0;
            missing--;
        }
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
        int n = 0;
        long due = Long.MAX_VALUE;
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
