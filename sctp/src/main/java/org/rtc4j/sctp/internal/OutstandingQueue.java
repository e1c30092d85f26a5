package org.rtc4j.sctp.internal;

import java.util.ArrayDeque;

/**
 * Chunks with TSNs above the peer's cumulative ack, in a ring indexed by TSN: lookup by TSN is O(1), the
 * cumulative ack removes from the front, so a SACK touches only what it newly acknowledges.
 */
public final class OutstandingQueue {

    private OutChunk[] ring = new OutChunk[1024];
    private int mask = ring.length - 1;
    /** TSN of the first slot (the cumulative ack + 1). */
    private int first;
    private int size;
    private final ArrayDeque<OutChunk> pool = new ArrayDeque<>();

    public void reset(int firstTsn) {
        while (size > 0) {
            release(removeFirst());
        }
        first = firstTsn;
    }

    public int firstTsn() {
        return first;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The TSN the next added chunk gets. */
    public int nextTsn() {
        return first + size;
    }

    public OutChunk get(int tsn) {
        int d = tsn - first;
        if (d < 0 || d >= size) {
            return null;
        }
        return ring[(first + d) & mask];
    }

    /** A pooled chunk with the next TSN, appended. */
    public OutChunk append() {
        if (size == ring.length) {
            grow();
        }
        OutChunk c = pool.isEmpty() ? new OutChunk() : pool.pop();
        c.tsn = first + size;
        ring[c.tsn & mask] = c;
        size++;
        return c;
    }

    /** Removes the chunk with the lowest TSN (the caller releases it when done). */
    public OutChunk removeFirst() {
        OutChunk c = ring[first & mask];
        ring[first & mask] = null;
        first++;
        size--;
        return c;
    }

    public void release(OutChunk c) {
        c.clear();
        if (pool.size() < 65536) {
            pool.push(c);
        }
    }

    private void grow() {
        OutChunk[] bigger = new OutChunk[ring.length * 2];
        int newMask = bigger.length - 1;
        for (int i = 0; i < size; i++) {
            int t = first + i;
            bigger[t & newMask] = ring[t & mask];
        }
        ring = bigger;
        mask = newMask;
    }
}
