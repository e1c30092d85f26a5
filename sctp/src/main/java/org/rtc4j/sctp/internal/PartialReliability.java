package org.rtc4j.sctp.internal;

import static org.rtc4j.sctp.internal.AssociationState.NEVER;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Partial reliability (RFC 3758, and I-FORWARD-TSN of RFC 8260): messages abandoned after their retransmission
 * limit or lifetime, the advanced peer ack point, and the FORWARD-TSN chunks that move the peer past them; on
 * the receiving side, FORWARD-TSN moves our cumulative TSN and tells the reassembler what to skip.
 */
public final class PartialReliability {

    private final AssociationState st;
    private final Sender sender;
    private int advancedPeerAckPoint;
    private boolean forwardTsnNeeded;

    PartialReliability(AssociationState st, Sender sender) {
        this.st = st;
        this.sender = sender;
    }

    void reset(int initialTsn) {
        advancedPeerAckPoint = initialTsn - 1;
        forwardTsnNeeded = false;
    }

    /** RFC 3758 3.5 A3/A4: every chunk of the message is abandoned, and the rest is never sent. */
    void abandonMessage(OutMessage m) {
        if (m.abandoned) {
            return;
        }
        m.abandoned = true;
        st.abandoned++;
        OutstandingQueue out = sender.out;
        if (m.started()) {
            for (int t = Math.max(m.firstTsn - out.firstTsn(), 0) + out.firstTsn(); t - m.lastTsn <= 0; t++) {
                OutChunk c = out.get(t);
                if (c != null && c.message == m && !c.abandoned) {
                    c.abandoned = true;
                    sender.sendBufferUsed -= c.length;
                    if (c.inFlight) {
                        c.inFlight = false;
                        sender.flight -= c.length;
                    }
                }
            }
        }
        if (!m.fullyChunked()) {
            long rest = m.length - m.sent;
            sender.sched.abandon(m);
            sender.sendBufferUsed -= rest;
            m.sent = m.length;
        }
        forwardTsnNeeded |= st.peerForwardTsn;
    }

    /** RFC 3758 3.5 C1-C2. */
    void advancePeerAckPoint() {
        if (!st.peerForwardTsn) {
            return;
        }
        OutstandingQueue out = sender.out;
        int cum = out.firstTsn() - 1;
        if (advancedPeerAckPoint - cum < 0) {
            advancedPeerAckPoint = cum;
        }
        int t = advancedPeerAckPoint + 1;
        OutChunk c;
        while ((c = out.get(t)) != null && c.abandoned) {
            advancedPeerAckPoint = t;
            t++;
        }
        forwardTsnNeeded = advancedPeerAckPoint - cum > 0;
    }

    /** Writes the FORWARD-TSN when one is due and fits; C3: it is resent if the ack point does not move. */
    int writeForwardTsn(byte[] b, int p, int mtu) {
        if (!forwardTsnNeeded || !st.peerForwardTsn) {
            return p;
        }
        Chunk f = forwardTsnChunk();
        int size = ChunkCodec.size(f);
        if (p + size > mtu) {
            return p;
        }
        p += ChunkCodec.encode(f, b, p);
        forwardTsnNeeded = false;
        if (sender.t3At == NEVER) {
            sender.t3At = st.now + sender.cc.rto();
        }
        return p;
    }

    /** The FORWARD-TSN for the current advanced peer ack point (RFC 3758 3.5 C4). */
    private Chunk forwardTsnChunk() {
        OutstandingQueue out = sender.out;
        boolean interleaved = st.interleaved;
        int cum = out.firstTsn() - 1;
        List<int[]> entries = new ArrayList<>();
        for (int t = cum + 1; t - advancedPeerAckPoint <= 0; t++) {
            OutChunk c = out.get(t);
            if (c == null || c.message == null) {
                continue;
            }
            OutMessage m = c.message;
            boolean unordered = m.unordered;
            if (!interleaved && unordered) {
                continue;
            }
            boolean found = false;
            for (int[] e : entries) {
                if (e[0] == m.stream && (e[1] == 1) == unordered) {
                    if (interleaved ? m.sequence - e[2] > 0 : ((m.sequence - e[2]) & 0xFFFF) < 0x8000) {
                        e[2] = m.sequence;
                    }
                    found = true;
                    break;
                }
            }
            if (!found) {
                entries.add(new int[] {m.stream, unordered ? 1 : 0, m.sequence});
            }
        }
        int n = entries.size();
        int[] streams = new int[n];
        int[] sequences = new int[n];
        boolean[] unordered = new boolean[n];
        for (int i = 0; i < n; i++) {
            streams[i] = entries.get(i)[0];
            unordered[i] = entries.get(i)[1] == 1;
            sequences[i] = entries.get(i)[2];
        }
        return interleaved ? new Chunk.IForwardTsn(advancedPeerAckPoint, streams, unordered, sequences)
                : new Chunk.ForwardTsn(advancedPeerAckPoint, streams, sequences);
    }

    // ====================================================================================== receiving

    /**
     * RFC 3758 3.6: the peer abandoned up to the new cumulative TSN.
     *
     * @return whether our cumulative TSN moved
     */
    public boolean onForwardTsn(Chunk.ForwardTsn f, Receiver receiver) {
        if (!st.isOpen() || st.interleaved) {
            return false;
        }
        int newCum = f.newCumTsn();
        if (!forwardable(newCum, receiver)) {
            return false;
        }
        int[] streams = f.streams();
        int[] ssns = f.ssns();
        int keep = 0;
        for (int i = 0; i < streams.length; i++) {
            if (streams[i] < st.inStreams) {
                streams[keep] = streams[i];
                ssns[keep] = ssns[i];
                keep++;
            }
        }
        receiver.reasm.forwardTsn(newCum, Arrays.copyOf(streams, keep), Arrays.copyOf(ssns, keep));
        receiver.sackNow();
        return true;
    }

    /** RFC 8260 2.3.1: I-FORWARD-TSN, per stream and ordering. */
    public void onIForwardTsn(Chunk.IForwardTsn f, Receiver receiver) {
        if (!st.isOpen() || !st.interleaved) {
            return;
        }
        if (!forwardable(f.newCumTsn(), receiver)) {
            return;
        }
        int n = 0;
        for (int s : f.streams()) {
            if (s < st.inStreams) {
                n++;
            }
        }
        int[] streams = new int[n];
        boolean[] un = new boolean[n];
        int[] mids = new int[n];
        int k = 0;
        for (int i = 0; i < f.streams().length; i++) {
            if (f.streams()[i] < st.inStreams) {
                streams[k] = f.streams()[i];
                un[k] = f.unordered()[i];
                mids[k] = f.mids()[i];
                k++;
            }
        }
        receiver.reasm.iforwardTsn(streams, un, mids);
        receiver.sackNow();
    }

    /** Moves the cumulative TSN when the new one is ahead and plausible. */
    private boolean forwardable(int newCum, Receiver receiver) {
        TsnTracker rx = receiver.rx;
        if (newCum - rx.cumTsn() <= 0) {
            receiver.sackNow(); // RFC 3758 3.6: stale, but answer so the sender learns where we are
            return false;
        }
        if (newCum - rx.cumTsn() > st.windowTsns) {
            st.malformed++; // far beyond anything that could have been sent: forged
            return false;
        }
        rx.forwardTo(newCum);
        return true;
    }
}
