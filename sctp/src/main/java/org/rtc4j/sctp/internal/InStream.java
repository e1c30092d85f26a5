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

    /**
     * One I-DATA message in pieces, kept sorted by FSN in arrays sized by the pieces held (never by the FSN
     * a peer claims), so a forged fragment costs what it carries.
     */
    static final class Partial {
        int ppid;
        int lastFsn = -1;
        int count;
        /** Payload bytes (for the message size limit). */
        long bytes;
        /** Buffer capacity held (for the receive window). */
        long held;
        int[] fsns = new int[4];
        byte[][] pieces = new byte[4][];
        int[] lengths = new int[4];

        /** Stores a piece; false for a duplicate FSN or one no message could have. */
        boolean put(int fsn, byte[] buf, int len) {
            if (fsn < 0 || fsn > 1 << 20 || (lastFsn >= 0 && fsn > lastFsn)) {
                return false;
            }
            int at = count;
            if (count > 0 && fsns[count - 1] >= fsn) {
                int lo = 0;
                int hi = count - 1;
                while (lo <= hi) {
                    int mid = (lo + hi) >>> 1;
                    if (fsns[mid] < fsn) {
                        lo = mid + 1;
                    } else if (fsns[mid] > fsn) {
                        hi = mid - 1;
                    } else {
                        return false;
                    }
                }
                at = lo;
            }
            if (count == fsns.length) {
                int n = count * 2;
                fsns = java.util.Arrays.copyOf(fsns, n);
                pieces = java.util.Arrays.copyOf(pieces, n);
                lengths = java.util.Arrays.copyOf(lengths, n);
            }
            System.arraycopy(fsns, at, fsns, at + 1, count - at);
            System.arraycopy(pieces, at, pieces, at + 1, count - at);
            System.arraycopy(lengths, at, lengths, at + 1, count - at);
            fsns[at] = fsn;
            pieces[at] = buf;
            lengths[at] = len;
            count++;
            bytes += len;
            held += buf.length;
            return true;
        }

        /** The last piece is known and every FSN up to it is here (they are sorted and distinct). */
        boolean complete() {
            return lastFsn >= 0 && count == lastFsn + 1;
        }
    }
}
