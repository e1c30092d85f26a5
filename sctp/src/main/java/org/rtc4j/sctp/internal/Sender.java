package org.rtc4j.sctp.internal;

import static org.rtc4j.sctp.internal.AssociationState.NEVER;

import java.util.ArrayDeque;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;
import org.rtc4j.sctp.SctpEvent;
import org.rtc4j.sctp.SctpState;

/**
 * The sending side of an association: messages queued per stream, cut into DATA or I-DATA chunks within the
 * congestion and receive windows, SACKs processed (cumulative ack, gap blocks, fast retransmit after three
 * miss indications), and the T3-rtx retransmission timer (RFC 9260 6.1, 6.2.1, 6.3, 7.2).
 */
public final class Sender {

    private final AssociationState st;
    final CongestionControl cc;
    private final PathMtuSearch pmtu;
    final PartialReliability pr;
    final OutstandingQueue out = new OutstandingQueue();
    final SendScheduler sched = new SendScheduler();
    final IntQueue retx = new IntQueue();
    /** Messages with a lifetime whose clock starts at the next call that brings the time. */
    private final ArrayDeque<OutMessage> unstamped = new ArrayDeque<>();
    /** Gap blocks of the previous SACK, as absolute TSNs, to find what a SACK newly acknowledges. */
    private int[] prevStarts = new int[64];
    private int[] prevEnds = new int[64];
    private int prevCount;
    private int[] curStarts = new int[64];
    private int[] curEnds = new int[64];

    /** The T3-rtx timer. */
    long t3At = NEVER;
    /** When DATA last left (a path that carried data lately needs no heartbeat, RFC 9260 8.3). */
    long lastDataAt = Long.MIN_VALUE / 2;
    /** T3-rtx expirations since the cumulative ack last moved (black hole detection, RFC 8899 4.3). */
    private int t3Strikes;
    private boolean rttActive;
    private int rttTsn;
    long flight;
    private long peerRwnd;
    private boolean fastRetransmitNow;
    private long sackRttSample;
    long sendBufferUsed;

    public Sender(AssociationState st, PathMtuSearch pmtu) {
        this.st = st;
        this.pmtu = pmtu;
        this.cc = new CongestionControl(st.cfg.mtu(), st.cfg.rtoInitialMillis(), st.cfg.rtoMinMillis(),
                st.cfg.rtoMaxMillis());
        this.pr = new PartialReliability(st, this);
    }

    public CongestionControl congestion() {
        return cc;
    }

    public PartialReliability partialReliability() {
        return pr;
    }

    public SendScheduler scheduler() {
        return sched;
    }

    public long t3At() {
        return t3At;
    }

    public long sendBufferUsed() {
        return sendBufferUsed;
    }

    /** Nothing is queued, and everything sent was acknowledged or abandoned. */
    public boolean drained() {
        return out.isEmpty() && !sched.hasData();
    }

    /** A new association starts sending at our initial TSN, into the peer's advertised window. */
    public void reset(int initialTsn, long peerWindow) {
        sched.interleave(st.interleaved);
        out.reset(initialTsn);
        retx.clear();
        prevCount = 0;
        pr.reset(initialTsn);
        peerRwnd = peerWindow;
        flight = 0;
        cc.mtu(pmtu.plpmtu());
        cc.reset(peerWindow, initialTsn);
        t3Strikes = 0;
        t3At = NEVER;
        rttActive = false;
    }

    /** The peer restarted: what was queued is gone with the old association. */
    public void dropQueued() {
        sched.clear();
        sendBufferUsed = 0;
    }

    /** The association closed. */
    public void stop() {
        t3At = NEVER;
        sched.clear();
        retx.clear();
    }

    /** Graceful shutdown has begun: retransmissions only, driven by the shutdown timer. */
    public void stopT3() {
        t3At = NEVER;
    }

    /** The time arrived: lifetimes of messages queued since start from it. */
    public void stamp() {
        while (!unstamped.isEmpty()) {
            OutMessage m = unstamped.poll();
            m.expiresAt = st.now + m.lifetime;
        }
    }

    /** Queues one message (see {@code SctpAssociation.send}); false when the send buffer has no room. */
    public boolean send(int stream, int ppid, byte[] data, int offset, int length, boolean unordered,
                        int maxRetransmits, long lifetimeMillis) {
        if (sendBufferUsed + length > st.cfg.sendBuffer() && sendBufferUsed > 0) {
            return false;
        }
        int maxRtx = st.peerForwardTsn ? maxRetransmits : -1;
        long lifetime = st.peerForwardTsn && lifetimeMillis >= 0 ? lifetimeMillis * 1_000_000L : -1;
        OutMessage m = new OutMessage(stream, ppid, data, offset, length, unordered, maxRtx, lifetime);
        if (lifetime >= 0) {
            unstamped.add(m); // the lifetime starts at the next moment the driver tells us the time
        }
        sched.enqueue(m);
        sendBufferUsed += length;
        return true;
    }

    // ========================================================================================== SACK

    /** Returns whether the SACK was taken (not stale, not impossible). */
    public boolean onSack(int off, int clen) throws ParseException {
        if (clen < 16) {
            throw new ParseException("short SACK");
        }
        byte[] b = st.rxBuf;
        int cum = (int) Bytes.getU32(b, off + 4);
        long aRwnd = Bytes.getU32(b, off + 8);
        int nGaps = Bytes.getU16(b, off + 12);
        int nDups = Bytes.getU16(b, off + 14);
        if (16 + 4L * nGaps + 4L * nDups > clen) {
            throw new ParseException("SACK blocks past its end");
        }
        if (!st.isOpen()) {
            return false;
        }
        return processAck(cum, aRwnd, b, off + 16, nGaps);
    }

    /** The cumulative TSN of a SHUTDOWN acknowledges like a SACK without gap blocks (RFC 9260 9.2). */
    public boolean shutdownAck(int cum) {
        return processAck(cum, peerRwnd + flight, st.rxBuf, 0, 0);
    }

    /** RFC 9260 6.2.1 and 7.2: cumulative ack, gap blocks, miss indications, window updates. */
    private boolean processAck(int cum, long aRwnd, byte[] b, int blocksAt, int nGaps) {
        int cumAck = out.firstTsn() - 1;
        if (cum - cumAck < 0) {
            return false; // an old SACK, arrived out of order
        }
        int highestSent = out.nextTsn() - 1;
        if (cum - highestSent > 0) {
            st.malformed++; // acknowledges what was never sent
            return false;
        }
        long flightBefore = flight;
        long acked = 0;
        boolean cumAdvanced = cum != cumAck;
        sackRttSample = NEVER;
        while (out.firstTsn() - cum <= 0) {
            OutChunk c = out.removeFirst();
            if (!c.acked && !c.abandoned) {
                acked += c.length;
                rttCheck(c);
                if (c.transmissions == 1) {
                    sackRttSample = Math.min(sackRttSample, st.now - c.sentAt);
                }
            }
            if (c.inFlight) {
                flight -= c.length;
            }
            chunkGone(c);
            out.release(c);
        }
        // Gap blocks, as absolute TSNs; only ranges not in the previous SACK are new (no reneging here).
        if (curStarts.length < nGaps) {
            curStarts = new int[nGaps];
            curEnds = new int[nGaps];
        }
        int n = 0;
        int htna = cum;
        boolean newlyAcked = false;
        int p = 0;
        for (int i = 0; i < nGaps; i++) {
            int s = cum + Bytes.getU16(b, blocksAt + 4 * i);
            int e = cum + Bytes.getU16(b, blocksAt + 4 * i + 2);
            if (e - s < 0 || s - cum <= 0 || e - highestSent > 0 || (n > 0 && s - curEnds[n - 1] <= 0)) {
                continue; // malformed block
            }
            curStarts[n] = s;
            curEnds[n] = e;
            n++;
            int t = s;
            while (t - e <= 0) {
                while (p < prevCount && prevEnds[p] - t < 0) {
                    p++;
                }
                if (p < prevCount && prevStarts[p] - t <= 0) {
                    t = prevEnds[p] + 1; // already acknowledged by the previous SACK
                    continue;
                }
                int stop = p < prevCount && prevStarts[p] - e <= 0 ? prevStarts[p] - 1 : e;
                for (; t - stop <= 0; t++) {
                    OutChunk c = out.get(t);
                    if (c != null && !c.acked) {
                        c.acked = true;
                        if (!c.abandoned) {
                            acked += c.length;
                            rttCheck(c);
                            if (c.transmissions == 1) {
                                sackRttSample = Math.min(sackRttSample, st.now - c.sentAt);
                            }
                        }
                        if (c.inFlight) {
                            c.inFlight = false;
                            flight -= c.length;
                        }
                        newlyAcked = true;
                        htna = t;
                    }
                }
            }
        }
        int[] ts = prevStarts;
        int[] te = prevEnds;
        prevStarts = curStarts;
        prevEnds = curEnds;
        prevCount = n;
        curStarts = ts;
        curEnds = te;

        if (cumAdvanced) {
            st.errorCount = 0;
            t3Strikes = 0;
            pmtu.dataAcknowledged(st.now);
            cc.cumulativeAck(cum);
        }
        // RFC 9260 7.2.4: miss indications for holes below the highest TSN newly acknowledged (HTNA).
        if (newlyAcked && n > 0) {
            boolean marked = false;
            int hole = cum + 1;
            for (int i = 0; i < n && prevStarts[i] - htna <= 0; i++) {
                for (int t = hole; t - prevStarts[i] < 0; t++) {
                    OutChunk c = out.get(t);
                    if (c != null && !c.acked && !c.abandoned && c.inFlight && !c.fastRetransmitted) {
                        if (++c.misses >= 3) {
                            c.fastRetransmitted = true;
                            markForRetransmit(c);
                            st.fastRetransmits++;
                            marked = true;
                        }
                    }
                }
                hole = prevEnds[i] + 1;
            }
            if (marked) {
                cc.lossDetected(highestSent);
                fastRetransmitNow = true;
            }
        }
        if (cumAdvanced) {
            cc.acknowledged(acked, flightBefore, cum, out.nextTsn(), sackRttSample);
        }
        if (flight <= 0) {
            flight = 0;
            cc.idle();
        }
        peerRwnd = Math.max(0, aRwnd - flight);
        // RFC 9260 6.3.2: the retransmission timer follows the earliest outstanding chunk.
        if (flight == 0 && retx.isEmpty()) {
            t3At = NEVER;
        } else if (cumAdvanced) {
            t3At = st.now + cc.rto();
        }
        pr.advancePeerAckPoint();
        return true;
    }

    private void rttCheck(OutChunk c) {
        if (rttActive && c.tsn == rttTsn) {
            rttActive = false;
            if (c.transmissions == 1) {
                // Karn: only chunks sent once give a sample (RFC 9260 6.3.1 C5)
                cc.rttSample(st.now - c.sentAt);
            }
        }
    }

    /** A chunk leaves the outstanding queue (acknowledged cumulatively or skipped). */
    private void chunkGone(OutChunk c) {
        if (!c.abandoned) {
            sendBufferUsed -= c.length;
        }
        OutMessage m = c.message;
        if (m != null) {
            m.chunksOutstanding--;
        }
    }

    private void markForRetransmit(OutChunk c) {
        if (c.inFlight) {
            c.inFlight = false;
            flight -= c.length;
        }
        OutMessage m = c.message;
        if ((m.maxRetransmits >= 0 && c.transmissions > m.maxRetransmits) || st.now >= m.expiresAt) {
            pr.abandonMessage(m);
            return;
        }
        if (!c.queuedForRetransmit) {
            c.queuedForRetransmit = true;
            retx.add(c.tsn);
        }
    }

    // ========================================================================================== T3-rtx

    /**
     * RFC 9260 6.3.3: everything outstanding is sent again, the window collapses.
     *
     * @return false when the peer is unreachable (too many timeouts in a row): the association must abort
     */
    public boolean onT3() {
        t3At = NEVER;
        if (!st.isOpen() || out.isEmpty()) {
            return true;
        }
        st.timeouts++;
        st.errorCount++;
        if (st.errorCount > st.cfg.maxRetransmits()) {
            return false;
        }
        // RFC 8899 4.3 (loss of the data sent at one size): a second timeout in a row above the base MTU looks
        // like a black hole for the larger packets: back to the base at once (every chunk fits it), search later.
        if (++t3Strikes >= 2 && pmtu.blackHole(st.now)) {
            cc.mtu(pmtu.plpmtu());
        }
        cc.timeout();
        rttActive = false;
        for (int t = out.firstTsn(); t - out.nextTsn() < 0; t++) {
            OutChunk c = out.get(t);
            if (c != null && !c.acked && !c.abandoned) {
                // Sent anew, it may be fast retransmitted anew (as usrsctp does): a chunk lost after its fast
                // retransmit and after this resend would otherwise wait for the timer once more.
                c.fastRetransmitted = false;
                c.misses = 0;
                markForRetransmit(c);
            }
        }
        pr.advancePeerAckPoint();
        t3At = st.now + cc.rto();
        return true;
    }

    // ======================================================================================== writing

    /** Whether DATA would go into the next packet: retransmissions, or new data within the window. */
    boolean dataWaiting() {
        return !retx.isEmpty() || (sched.hasData() && flight < cc.cwnd());
    }

    /** Writes DATA or I-DATA chunks, retransmissions first, into {@code b} from {@code p} up to {@code mtu}. */
    int writeData(byte[] b, int p, int mtu) {
        boolean interleaved = st.interleaved;
        int hdr = interleaved ? ChunkCodec.I_DATA_HEADER : ChunkCodec.DATA_HEADER;
        long now = st.now;
        boolean bypass = fastRetransmitNow;
        fastRetransmitNow = false;
        // Retransmissions first (RFC 9260 6.1 / 7.2.4).
        while (!retx.isEmpty()) {
            int tsn = retx.peek();
            OutChunk c = out.get(tsn);
            if (c == null || c.acked || c.abandoned || !c.queuedForRetransmit) {
                retx.poll();
                if (c != null) {
                    c.queuedForRetransmit = false;
                }
                continue;
            }
            if (now >= c.message.expiresAt) {
                retx.poll();
                c.queuedForRetransmit = false;
                pr.abandonMessage(c.message);
                continue;
            }
            if (!bypass && flight >= cc.cwnd()) {
                return p;
            }
            int size = Bytes.pad4(hdr + c.length);
            if (p + size > mtu) {
                return p;
            }
            retx.poll();
            c.queuedForRetransmit = false;
            p = writeChunk(b, p, c, hdr);
            c.transmissions++;
            st.retransmittedChunks++;
            c.inFlight = true;
            c.sentAt = now;
            lastDataAt = now;
            flight += c.length;
            if (t3At == NEVER) {
                t3At = now + cc.rto();
            }
        }
        if (st.state == SctpState.SHUTDOWN_SENT || st.state == SctpState.SHUTDOWN_ACK_SENT) {
            return p;
        }
        // New data, within cwnd and the peer's window (RFC 9260 6.1 A, B). Chunks are cut for the base MTU
        // and bundled up to the path MTU: a chunk cannot be cut again once it has a TSN (RFC 9260 6.9), so
        // this way every chunk still fits a packet after a black hole sends the path MTU back to the base.
        int maxPayloadEmpty = st.cfg.mtu() - ChunkCodec.COMMON_HEADER - hdr;
        boolean alone = flight == 0;
        int lastNew = -1;
        while (flight < cc.cwnd() && (peerRwnd > 0 || flight == 0)) {
            OutMessage m = sched.peek();
            if (m == null) {
                break;
            }
            if (!m.started() && now >= m.expiresAt) {
                sched.dropHead(m);
                sendBufferUsed -= m.length;
                st.abandoned++;
                lowCheck(sched.stream(m.stream), m.length);
                continue;
            }
            int avail = mtu - p - hdr;
            int remaining = m.length - m.sent;
            if (avail < 1 || (remaining > avail && remaining <= maxPayloadEmpty && p > ChunkCodec.COMMON_HEADER)
                    || (avail < 64 && remaining > avail && p > ChunkCodec.COMMON_HEADER)) {
                break;
            }
            int len = Math.min(Math.min(remaining, avail), maxPayloadEmpty);
            OutStream s = sched.stream(m.stream);
            OutChunk c = out.append();
            c.message = m;
            c.offset = m.offset + m.sent;
            c.length = len;
            int flags = 0;
            if (m.sent == 0) {
                flags |= ChunkType.FLAG_BEGIN;
                if (m.unordered) {
                    m.sequence = interleaved ? s.nextUnordered++ : 0;
                } else {
                    m.sequence = s.nextOrdered;
                    s.nextOrdered = interleaved ? s.nextOrdered + 1 : (s.nextOrdered + 1) & 0xFFFF;
                }
                m.firstTsn = c.tsn;
            }
            if (m.sent + len == m.length) {
                flags |= ChunkType.FLAG_END;
            }
            if (m.unordered) {
                flags |= ChunkType.FLAG_UNORDERED;
            }
            c.flags = flags;
            c.fsn = m.nextFsn++;
            m.sent += len;
            m.lastTsn = c.tsn;
            m.chunksOutstanding++;
            lastNew = p;
            p = writeChunk(b, p, c, hdr);
            c.transmissions = 1;
            c.inFlight = true;
            c.sentAt = now;
            lastDataAt = now;
            flight += len;
            peerRwnd = Math.max(0, peerRwnd - len);
            if (!rttActive) {
                rttActive = true;
                rttTsn = c.tsn;
            }
            if (t3At == NEVER) {
                t3At = now + cc.rto();
            }
            sched.advanced(m);
            lowCheck(s, len);
        }
        if (alone && lastNew >= 0 && flight >= cc.cwnd()) {
            // This packet alone fills the congestion window: nothing more goes until it is acknowledged, and a
            // receiver that acknowledges every second packet would wait its delayed-SACK timer for it (200 ms).
            // The I bit asks for the SACK at once (RFC 7053 section 4.1). Typical after the path MTU grew
            // past a small cwnd, and at the start of slow start.
            b[lastNew + 1] |= ChunkType.FLAG_IMMEDIATE;
        }
        return p;
    }

    private void lowCheck(OutStream s, long sent) {
        long before = s.buffered;
        s.buffered -= sent;
        if (before > s.lowThreshold && s.buffered <= s.lowThreshold) {
            st.events.add(new SctpEvent.BufferedAmountLow(s.id));
        }
    }

    private int writeChunk(byte[] b, int p, OutChunk c, int hdr) {
        OutMessage m = c.message;
        boolean interleaved = st.interleaved;
        int len = hdr + c.length;
        b[p] = (byte) (interleaved ? ChunkType.I_DATA : ChunkType.DATA);
        b[p + 1] = (byte) c.flags;
        Bytes.putU16(b, p + 2, len);
        Bytes.putU32(b, p + 4, c.tsn);
        Bytes.putU16(b, p + 8, m.stream);
        if (interleaved) {
            Bytes.putU16(b, p + 10, 0);
            Bytes.putU32(b, p + 12, m.sequence);
            Bytes.putU32(b, p + 16, (c.flags & ChunkType.FLAG_BEGIN) != 0 ? m.ppid : c.fsn);
        } else {
            Bytes.putU16(b, p + 10, m.sequence);
            Bytes.putU32(b, p + 12, m.ppid);
        }
        System.arraycopy(m.data, c.offset, b, p + hdr, c.length);
        int end = p + Bytes.pad4(len);
        for (int k = p + len; k < end; k++) {
            b[k] = 0;
        }
        return end;
    }
}
