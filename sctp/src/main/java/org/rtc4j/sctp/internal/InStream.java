package org.rtc4j.sctp.internal;

import java.util.HashMap;

/** The receiving side of one stream: ordered delivery by SSN (DATA) or MID (I-DATA), and I-DATA partials. */
final class InStream {

    static final Object SKIP = new Object();

    /** Next SSN/MID to deliver in order. */
    int next;
    /** Complete ordered messages waiting for an earlier one: byte[] or SKIP, indexed by sequence. */
    Object[] pending = new Object[8];
    int[] pendingPpid = new int[8];
    int pendingCount;
    /** DATA: the ordered (ssn) or unordered message being discarded as oversized, until its last fragment. */
    int discardSsn = -1;
    boolean discardUnordered;
    /** I-DATA partial messages by MID. */
    HashMap<Integer, Partial> orderedPartials;
    HashMap<Integer, Partial> unorderedPartials;
    /** The partial message the last I-DATA fragment belonged to: spares a map lookup (and a boxed key) per chunk. */
    Partial cache;
    int cacheMid;
    boolean cacheUnordered;

    /** Distance of {@code seq} ahead of {@link #next} (negative: already passed). */
    int distance(int seq, boolean idata) {
        if (idata) {
            return seq - next;
        }
        int d = (seq - next) & 0xFFFF;
        return d >= 0x8000 ? d - 0x10000 : d;
    }

    int successor(int seq, boolean idata) {
        return idata ? seq + 1 : (seq + 1) & 0xFFFF;
    }

    /** Room for sequence {@code seq} at distance {@code d}; false when too far ahead to hold. */
    boolean ensure(int d) {
        if (d < pending.length) {
            return true;
        }
        if (d >= 65536) {
            return false;
        }
        int n = pending.length;
        while (n <= d) {
            n *= 2;
        }
        Object[] p = new Object[n];
        int[] pp = new int[n];
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] != null) {
                // re-home by sequence: slots are indexed by seq & (len-1); the sequence is next + offset
                int off = (i - next) & (pending.length - 1);
                int seq = next + off;
                p[seq & (n - 1)] = pending[i];
                pp[seq & (n - 1)] = pendingPpid[i];
            }
        }
        pending = p;
        pendingPpid = pp;
        return true;
    }

    /** One I-DATA message in pieces. */
    static final class Partial {
        int ppid;
        int lastFsn = -1;
        int count;
        long bytes;
        byte[][] pieces = new byte[4][];
        int[] lengths = new int[4];

        boolean put(int fsn, byte[] buf, int len) {
            if (fsn < 0 || fsn > 1 << 20) {
                return false;
            }
            if (fsn >= pieces.length) {
                int n = pieces.length;
                while (n <= fsn) {
                    n *= 2;
                }
                pieces = java.util.Arrays.copyOf(pieces, n);
                lengths = java.util.Arrays.copyOf(lengths, n);
            }
            if (pieces[fsn] != null) {
                return false;
            }
            pieces[fsn] = buf;
            lengths[fsn] = len;
            count++;
            bytes += len;
            return true;
        }

        boolean complete() {
            return lastFsn >= 0 && count == lastFsn + 1;
        }
    }
}
