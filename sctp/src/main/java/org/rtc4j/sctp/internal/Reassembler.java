package org.rtc4j.sctp.internal;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The receive side above the TSN layer: reassembles fragments (RFC 9260 6.9, RFC 8260 for I-DATA), orders
 * messages per stream (by SSN or MID), drops what FORWARD-TSN skips (RFC 3758 3.6) and what is larger than
 * the local message size limit, and accounts the bytes it holds (the receive window).
 */
public final class Reassembler {

    /** Where whole messages go. */
    public interface Sink {
        void deliver(int stream, int ppid, byte[] data, boolean unordered);
    }


    private final Sink sink;
    /** Size of pooled fragment buffers: the MTU, so a full fragment fits and a tiny one still costs one. */
    private final int pooled;
    private final long maxMessage;
    /** Slots {@link #frags} starts with. */
    private static final int INITIAL_SLOTS = 256;
    /** The TSN window: the most slots {@link #frags} grows to. */
    private final int capacity;
    private int mask;
    /**
     * Fragments by TSN, slot {@code tsn & mask}; starts small and doubles when two live fragments would share a
     * slot, up to the TSN window: a 4 MB receive window's 65,536 slots (and their reset) had cost each
     * association's start 0.1 to 0.4 ms of a set-up's critical path, when most associations never hold more
     * than a few hundred fragments.
     */
    private Frag[] frags;
    private final ArrayDeque<byte[]> bufferPool = new ArrayDeque<>();
    /** Finished I-DATA partials, kept with their grown arrays. */
    private final ArrayDeque<InStream.Partial> partialPool = new ArrayDeque<>();
    private InStream[] streams = new InStream[16];
    private boolean idata;
    private long buffered;
    private int fragCount;
    private int oldestFrag;
    private long oversized;

    private static final class Frag {
        int tsn;
        int stream;
        int ssn;
        int ppid;
        int flags;
        byte[] buf;
        int len;
    }

    /**
     * @param capacity   TSN window (as the tracker's), a power of two
     * @param maxMessage largest message accepted; larger ones are dropped (0: no limit)
     */
    public Reassembler(Sink sink, int capacity, long maxMessage, int mtu) {
        this.sink = sink;
        this.pooled = mtu;
        this.maxMessage = maxMessage == 0 ? Long.MAX_VALUE : maxMessage;
        this.capacity = capacity;
        this.frags = new Frag[Math.min(capacity, INITIAL_SLOTS)];
        this.mask = frags.length - 1;
    }

    /** Twice the slots: each live fragment to its TSN's slot there (two cannot meet: they did not before). */
    private void grow() {
        Frag[] bigger = new Frag[frags.length * 2];
        int biggerMask = bigger.length - 1;
        for (Frag f : frags) {
            if (f != null && f.buf != null) {
                bigger[f.tsn & biggerMask] = f;
            }
        }
        frags = bigger;
        mask = biggerMask;
    }

    public void reset(boolean interleaved, int initialTsn) {
        for (int i = 0; i < frags.length; i++) {
            Frag f = frags[i];
            if (f != null && f.buf != null) {
                free(f);
            }
        }
        streams = new InStream[16];
        idata = interleaved;
        buffered = 0;
        fragCount = 0;
        oldestFrag = initialTsn;
    }

    /**
     * Bytes held: fragment buffers (their capacity, so a flood of tiny fragments is bounded by the window
     * like real data) and complete messages waiting for an earlier one.
     */
    public long buffered() {
        return buffered;
    }

    /** Messages dropped for exceeding the size limit. */
    public long oversized() {
        return oversized;
    }

    private InStream in(int id) {
        if (id >= streams.length) {
            int n = streams.length;
            while (n <= id) {
                n *= 2;
            }
            streams = java.util.Arrays.copyOf(streams, n);
        }
        InStream s = streams[id];
        if (s == null) {
            s = new InStream();
            streams[id] = s;
        }
        return s;
    }

    private byte[] buffer(int len) {
        if (len <= pooled) {
            byte[] b = bufferPool.poll();
            return b != null ? b : new byte[pooled];
        }
        return new byte[len];
    }

    private void release(byte[] b) {
        if (b != null && b.length == pooled && bufferPool.size() < 4096) {
            bufferPool.push(b);
        }
    }

    private void releaseAll(InStream.Partial p) {
        for (int i = 0; i < p.count; i++) {
            release(p.pieces[i]);
            p.pieces[i] = null;
        }
        p.count = 0;
        p.bytes = 0;
        p.held = 0;
        p.lastFsn = -1;
        p.ppid = 0;
        if (partialPool.size() < 64) {
            partialPool.push(p);
        }
    }

    private InStream.Partial newPartial(Integer mid) {
        InStream.Partial p = partialPool.poll();
        return p != null ? p : new InStream.Partial();
    }

    private void free(Frag f) {
        release(f.buf);
        buffered -= f.buf.length;
        fragCount--;
        f.buf = null;
    }

    // ------------------------------------------------------------------------------------------------ DATA

    /** A new DATA chunk (its TSN was not seen before). */
    public void data(int tsn, int stream, int ssn, int ppid, int flags, byte[] src, int off, int len) {
        InStream s = in(stream);
        boolean unordered = (flags & ChunkType.FLAG_UNORDERED) != 0;
        boolean begin = (flags & ChunkType.FLAG_BEGIN) != 0;
        boolean end = (flags & ChunkType.FLAG_END) != 0;
        if (discarding(s, unordered, ssn)) {
            if (end) {
                stopDiscarding(s, unordered, ssn);
            }
            return;
        }
        if (begin && end) {
            whole(s, stream, ssn, ppid, unordered, src, off, len);
            return;
        }
        Frag f = frags[tsn & mask];
        while (f != null && f.buf != null && f.tsn != tsn && frags.length < capacity) {
            grow();
            f = frags[tsn & mask];
        }
        if (f == null) {
            f = new Frag();
            frags[tsn & mask] = f;
        } else if (f.buf != null) {
            free(f); // a stale fragment from a message that can no longer complete (or a duplicate TSN)
        }
        if (fragCount == 0 || tsn - oldestFrag < 0) {
            oldestFrag = fragCount == 0 ? tsn : oldestFrag;
            if (tsn - oldestFrag < 0) {
                oldestFrag = tsn;
            }
        }
        f.tsn = tsn;
        f.stream = stream;
        f.ssn = ssn;
        f.ppid = ppid;
        f.flags = flags;
        f.buf = buffer(len);
        f.len = len;
        System.arraycopy(src, off, f.buf, 0, len);
        buffered += f.buf.length;
        fragCount++;
        tryComplete(s, tsn);
    }

    private boolean discarding(InStream s, boolean unordered, int ssn) {
        return unordered ? s.discardUnordered : s.discardSsn == ssn;
    }

    private void stopDiscarding(InStream s, boolean unordered, int ssn) {
        if (unordered) {
            s.discardUnordered = false;
        } else {
            s.discardSsn = -1;
        }
    }

    private Frag frag(int tsn, int stream, int ssn, boolean unordered) {
        Frag f = frags[tsn & mask];
        if (f == null || f.buf == null || f.tsn != tsn || f.stream != stream) {
            return null;
        }
        if (((f.flags & ChunkType.FLAG_UNORDERED) != 0) != unordered || (!unordered && f.ssn != ssn)) {
            return null;
        }
        return f;
    }

    private void tryComplete(InStream s, int tsn) {
        Frag here = frags[tsn & mask];
        int stream = here.stream;
        int ssn = here.ssn;
        boolean unordered = (here.flags & ChunkType.FLAG_UNORDERED) != 0;
        long total = here.len;
        int first = tsn;
        Frag f = here;
        boolean contiguousToBegin = true;
        while ((f.flags & ChunkType.FLAG_BEGIN) == 0) {
            Frag p = frag(first - 1, stream, ssn, unordered);
            if (p == null || (p.flags & ChunkType.FLAG_END) != 0) {
                contiguousToBegin = false;
                break;
            }
            first--;
            f = p;
            total += p.len;
        }
        int last = tsn;
        f = here;
        boolean contiguousToEnd = true;
        while ((f.flags & ChunkType.FLAG_END) == 0) {
            Frag n = frag(last + 1, stream, ssn, unordered);
            if (n == null || (n.flags & ChunkType.FLAG_BEGIN) != 0) {
                contiguousToEnd = false;
                break;
            }
            last++;
            f = n;
            total += n.len;
        }
        if (total > maxMessage && contiguousToBegin) {
            // Oversized: drop what we hold and the rest as it comes; the association lives on (RFC 8841).
            oversized++;
            for (int t = first; t - last <= 0; t++) {
                free(frags[t & mask]);
            }
            if (contiguousToEnd) {
                if (!unordered) {
                    complete(s, stream, ssn, here.ppid, null);
                }
            } else if (unordered) {
                s.discardUnordered = true;
            } else {
                s.discardSsn = ssn;
                complete(s, stream, ssn, here.ppid, null);
            }
            return;
        }
        if (!contiguousToBegin || !contiguousToEnd) {
            return;
        }
        byte[] m = new byte[(int) total];
        int ppid = frags[first & mask].ppid;
        int at = 0;
        for (int t = first; t - last <= 0; t++) {
            Frag p = frags[t & mask];
            System.arraycopy(p.buf, 0, m, at, p.len);
            at += p.len;
            free(p);
        }
        if (unordered) {
            sink.deliver(stream, ppid, m, true);
        } else {
            complete(s, stream, ssn, ppid, m);
        }
    }

    /** An ordered message is whole ({@code data} null: skipped); deliver it and any that waited for it. */
    private void complete(InStream s, int stream, int seq, int ppid, byte[] data) {
        int d = s.distance(seq, idata);
        if (d < 0) {
            return; // already delivered or skipped: a forged or stale message
        }
        if (d == 0) {
            if (data != null) {
                sink.deliver(stream, ppid, data, false);
            }
            s.next = s.successor(s.next, idata);
            drain(s, stream);
            return;
        }
        if (!s.ensure(d)) {
            return;
        }
        int slot = seq & (s.pending.length - 1);
        if (s.pending[slot] != null) {
            return;
        }
        s.pending[slot] = data == null ? InStream.SKIP : data;
        s.pendingPpid[slot] = ppid;
        s.pendingCount++;
        if (data != null) {
            buffered += data.length;
        }
    }

    private void drain(InStream s, int stream) {
        while (s.pendingCount > 0) {
            int slot = s.next & (s.pending.length - 1);
            Object o = s.pending[slot];
            if (o == null) {
                return;
            }
            s.pending[slot] = null;
            s.pendingCount--;
            if (o != InStream.SKIP) {
                byte[] m = (byte[]) o;
                buffered -= m.length;
                sink.deliver(stream, s.pendingPpid[slot], m, false);
            }
            s.next = s.successor(s.next, idata);
        }
    }

    /** Skips ordered messages up to and including {@code seq} (FORWARD-TSN), delivering whole ones first. */
    private void skipTo(InStream s, int stream, int seq) {
        while (s.distance(seq, idata) >= 0 && s.pendingCount > 0) {
            if (s.pendingCount > 0) {
                int slot = s.next & (s.pending.length - 1);
                Object o = s.pending[slot];
                if (o != null) {
                    s.pending[slot] = null;
                    s.pendingCount--;
                    if (o != InStream.SKIP) {
                        byte[] m = (byte[]) o;
                        buffered -= m.length;
                        sink.deliver(stream, s.pendingPpid[slot], m, false);
                    }
                }
            }
            s.next = s.successor(s.next, idata);
        }
        if (s.distance(seq, idata) >= 0) {
            s.next = s.successor(seq, idata); // nothing waits in between: jump (a forged MID cannot make us loop)
        }
        drain(s, stream);
    }

    /** FORWARD-TSN (RFC 3758 3.6): fragments up to {@code newCum} will never complete. */
    public void forwardTsn(int newCum, int[] fwdStreams, int[] ssns) {
        if (fragCount > 0) {
            if (newCum - oldestFrag < frags.length) {
                for (int t = oldestFrag; t - newCum <= 0 && fragCount > 0; t++) {
                    Frag f = frags[t & mask];
                    if (f != null && f.buf != null && f.tsn == t) {
                        free(f);
                    }
                }
            } else {
                // The fragments held may span more TSNs than there are slots: look at each slot instead.
                for (int i = 0; i < frags.length && fragCount > 0; i++) {
                    Frag f = frags[i];
                    if (f != null && f.buf != null && f.tsn - newCum <= 0) {
                        free(f);
                    }
                }
            }
            oldestFrag = newCum + 1;
        }
        for (int i = 0; i < fwdStreams.length; i++) {
            InStream s = in(fwdStreams[i]);
            s.discardSsn = -1;
            skipTo(s, fwdStreams[i], ssns[i]);
        }
        for (InStream s : streams) {
            if (s != null) {
                s.discardUnordered = false;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- I-DATA

    /** A message in one chunk (DATA or I-DATA): delivered, or counted and skipped when over the limit. */
    private void whole(InStream s, int stream, int seq, int ppid, boolean unordered, byte[] src, int off, int len) {
        if (len > maxMessage) {
            oversized++;
            if (!unordered) {
                complete(s, stream, seq, ppid, null);   // its place in the order is taken, its bytes dropped
            }
            return;
        }
        byte[] m = new byte[len];
        System.arraycopy(src, off, m, 0, len);
        if (unordered) {
            sink.deliver(stream, ppid, m, true);
        } else {
            complete(s, stream, seq, ppid, m);
        }
    }

    /** A new I-DATA chunk (RFC 8260 2.1). */
    public void idata(int stream, int mid, int ppidOrFsn, int flags, byte[] src, int off, int len) {
        InStream s = in(stream);
        boolean unordered = (flags & ChunkType.FLAG_UNORDERED) != 0;
        boolean begin = (flags & ChunkType.FLAG_BEGIN) != 0;
        boolean end = (flags & ChunkType.FLAG_END) != 0;
        if (!unordered && s.distance(mid, true) < 0) {
            return;
        }
        if (begin && end) {
            whole(s, stream, mid, ppidOrFsn, unordered, src, off, len);
            return;
        }
        HashMap<Integer, InStream.Partial> map;
        if (unordered) {
            map = s.unorderedPartials == null ? (s.unorderedPartials = new HashMap<>()) : s.unorderedPartials;
        } else {
            map = s.orderedPartials == null ? (s.orderedPartials = new HashMap<>()) : s.orderedPartials;
        }
        InStream.Partial p;
        if (s.cache != null && s.cacheMid == mid && s.cacheUnordered == unordered) {
            p = s.cache;
        } else {
            p = map.computeIfAbsent(mid, this::newPartial);
            s.cache = p;
            s.cacheMid = mid;
            s.cacheUnordered = unordered;
        }
        int fsn = begin ? 0 : ppidOrFsn;
        if (begin) {
            p.ppid = ppidOrFsn;
        }
        if (end) {
            p.lastFsn = fsn;
        }
        byte[] b = buffer(len);
        System.arraycopy(src, off, b, 0, len);
        if (!p.put(fsn, b, len)) {
            release(b);
            return;
        }
        buffered += b.length;
        if (p.bytes > maxMessage) {
            oversized++;
            buffered -= p.held;
            map.remove(mid);
            s.cache = null;
            releaseAll(p);
            if (!unordered) {
                complete(s, stream, mid, p.ppid, null);
            }
            return;
        }
        if (!p.complete()) {
            return;
        }
        map.remove(mid);
        s.cache = null;
        buffered -= p.held;
        byte[] m = new byte[(int) p.bytes];
        int at = 0;
        for (int i = 0; i < p.count; i++) {
            System.arraycopy(p.pieces[i], 0, m, at, p.lengths[i]);
            at += p.lengths[i];
        }
        int ppid = p.ppid;
        releaseAll(p);
        if (unordered) {
            sink.deliver(stream, ppid, m, true);
        } else {
            complete(s, stream, mid, ppid, m);
        }
    }

    /** I-FORWARD-TSN (RFC 8260 2.3): per stream and ordering, messages up to {@code mid} are skipped. */
    public void iforwardTsn(int[] fwdStreams, boolean[] unordered, int[] mids) {
        for (int i = 0; i < fwdStreams.length; i++) {
            InStream s = in(fwdStreams[i]);
            s.cache = null;
            if (unordered[i]) {
                if (s.unorderedPartials != null) {
                    InStream.Partial p = s.unorderedPartials.remove(mids[i]);
                    if (p != null) {
                        buffered -= p.held;
                        releaseAll(p);
                    }
                }
            } else {
                if (s.orderedPartials != null) {
                    var it = s.orderedPartials.entrySet().iterator();
                    while (it.hasNext()) {
                        var e = it.next();
                        if (e.getKey() - mids[i] <= 0) {
                            buffered -= e.getValue().held;
                            releaseAll(e.getValue());
                            it.remove();
                        }
                    }
                }
                skipTo(s, fwdStreams[i], mids[i]);
            }
        }
    }

    /** The peer reset these streams (RFC 6525 5.2.2): their sequence numbers start from 0 again. */
    public void resetStreams(int[] ids) {
        for (int id : ids) {
            if (id < streams.length && streams[id] != null) {
                InStream s = streams[id];
                for (int i = 0; i < s.pending.length; i++) {
                    if (s.pending[i] instanceof byte[] m) {
                        buffered -= m.length;
                    }
                    s.pending[i] = null;
                }
                s.pendingCount = 0;
                s.next = 0;
                s.cache = null;
                s.discardSsn = -1;
                if (s.orderedPartials != null) {
                    s.orderedPartials.values().forEach(p -> {
                        buffered -= p.held;
                        releaseAll(p);
                    });
                    s.orderedPartials.clear();
                }
            }
        }
    }

    /**
     * For a log line: the streams where ordered delivery waits (the next sequence number and how many whole
     * messages wait behind it) and the fragments held; "" when nothing waits.
     */
    public String describeWaiting() {
        StringBuilder out = new StringBuilder();
        for (int id = 0; id < streams.length; id++) {
            InStream s = streams[id];
            int partials = s == null ? 0 : (s.orderedPartials == null ? 0 : s.orderedPartials.size())
                    + (s.unorderedPartials == null ? 0 : s.unorderedPartials.size());
            if (s != null && (s.pendingCount > 0 || partials > 0)) {
                out.append(", stream ").append(id).append(" waits for ").append(idata ? "MID " : "SSN ")
                        .append(s.next).append(" with ").append(s.pendingCount).append(" behind");
                if (partials > 0) {
                    out.append(" and ").append(partials).append(" partial");
                }
            }
        }
        if (fragCount > 0) {
            out.append(", ").append(fragCount).append(" fragments held");
        }
        return out.toString();
    }

    /** Whether any stream in {@code ids} still holds data waiting for earlier data. */
    public boolean holdsData(int[] ids) {
        for (int id : ids) {
            if (id < streams.length && streams[id] != null && streams[id].pendingCount > 0) {
                return true;
            }
        }
        return false;
    }
}
