package org.rtc4j.sctp.internal;

/**
 * The TSNs received (RFC 9260 6.2): the cumulative TSN and a bit per TSN above it, within a fixed window,
 * so gap blocks come from word scans and nothing is allocated per packet.
 */
public final class TsnTracker {

    private final long[] bits;
    private final int mask;
    private int cumTsn;
    private int highest;

    /** @param capacity TSNs tracked above the cumulative TSN; a power of two */
    public TsnTracker(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 64) {
            throw new IllegalArgumentException("capacity must be a power of two >= 64");
        }
        bits = new long[capacity / 64];
        mask = capacity - 1;
    }

    public void reset(int initialTsn) {
        java.util.Arrays.fill(bits, 0);
        cumTsn = initialTsn - 1;
        highest = cumTsn;
    }

    public int cumTsn() {
        return cumTsn;
    }

    public int highest() {
        return highest;
    }

    public int capacity() {
        return mask + 1;
    }

    /** Whether {@code tsn} is new and inside the window we can track. */
    public boolean inWindow(int tsn) {
        int d = tsn - cumTsn;
        return d > 0 && d <= mask;
    }

    public boolean received(int tsn) {
        int d = tsn - cumTsn;
        if (d <= 0) {
            return true;
        }
        if (d > mask) {
            return false;
        }
        return (bits[(tsn & mask) >>> 6] & (1L << tsn)) != 0;
    }

    /** Records {@code tsn} (which must be {@link #inWindow}); false when it was a duplicate. */
    public boolean mark(int tsn) {
        int i = (tsn & mask) >>> 6;
        long bit = 1L << tsn;
        if ((bits[i] & bit) != 0) {
            return false;
        }
        bits[i] |= bit;
        if (tsn - highest > 0) {
            highest = tsn;
        }
        if (tsn == cumTsn + 1) {
            advance();
        }
        return true;
    }

    private void advance() {
        while (true) {
            int next = cumTsn + 1;
            int i = (next & mask) >>> 6;
            long bit = 1L << next;
            if ((bits[i] & bit) == 0) {
                return;
            }
            bits[i] &= ~bit;
            cumTsn = next;
        }
    }

    /** Moves the cumulative TSN forward to {@code newCum} (FORWARD-TSN, RFC 3758 3.6). */
    public void forwardTo(int newCum) {
        if (newCum - cumTsn <= 0) {
            return;
        }
        if (newCum - cumTsn > mask) {
            java.util.Arrays.fill(bits, 0);
        } else {
            for (int t = cumTsn + 1; t - newCum <= 0; t++) {
                bits[(t & mask) >>> 6] &= ~(1L << t);
            }
        }
        cumTsn = newCum;
        if (highest - cumTsn < 0) {
            highest = cumTsn;
        }
        advance();
    }

    public boolean hasGaps() {
        return highest != cumTsn;
    }

    /**
     * Fills gap ack blocks (offsets from the cumulative TSN, RFC 9260 3.3.4) and returns how many; stops at
     * {@code max} blocks and at the largest offset a block can express (65535).
     */
    public int gapBlocks(int[] starts, int[] ends, int max) {
        int n = 0;
        int limit = highest - cumTsn > 0xFFFF ? cumTsn + 0xFFFF : highest;
        int t = cumTsn + 1;
        while (n < max && t - limit <= 0) {
            t = nextSet(t, limit);
            if (t - limit > 0) {
                break;
            }
            int s = t;
            t = nextClear(t, limit + 1);
            starts[n] = s - cumTsn;
            ends[n] = t - 1 - cumTsn;
            n++;
        }
        return n;
    }

    /** The first TSN from {@code t} whose bit is set, or a TSN past {@code end}. */
    private int nextSet(int t, int end) {
        while (t - end <= 0) {
            long word = bits[(t & mask) >>> 6] >>> (t & 63);
            if (word != 0) {
                return t + Long.numberOfTrailingZeros(word);
            }
            t += 64 - (t & 63);
        }
        return t;
    }

    /** The first TSN from {@code t} whose bit is clear, at most {@code end}. */
    private int nextClear(int t, int end) {
        while (t - end < 0) {
            long word = ~bits[(t & mask) >>> 6] >>> (t & 63);
            int left = 64 - (t & 63);
            int run = Long.numberOfTrailingZeros(word);
            if (run < left) {
                t += run;
                return t - end < 0 ? t : end;
            }
            t += left;
        }
        return end;
    }
}
