package org.rtc4j.sctp.internal;

import static org.rtc4j.sctp.internal.AssociationState.NEVER;

import java.util.ArrayDeque;
import java.util.List;
import org.rtc4j.sctp.SctpEvent;
import org.rtc4j.sctp.SctpState;

/**
 * Stream reconfiguration (RFC 6525): our requests to reset outgoing streams or add streams, one outstanding
 * at a time and resent on its timer, and our answers to the peer's requests, in request sequence order.
 */
public final class StreamReconfig {

    private final AssociationState st;
    private final Sender sender;
    private final Receiver receiver;
    private int reqSeqOut;
    private int peerReqSeqNext;
    private ReConfigParam outstandingRequest;
    /** Requests waiting their turn: an {@code int[]} of streams to reset or an {@code Integer} to add. */
    private final ArrayDeque<Object> pendingRequests = new ArrayDeque<>();
    private ReConfigParam.Response lastResponse;
    /** The peer's reset waiting for every TSN before its last one (5.2.2). */
    private ReConfigParam.OutgoingReset deferredReset;
    private long reconfAt = NEVER;

    public StreamReconfig(AssociationState st, Sender sender, Receiver receiver) {
        this.st = st;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** Request sequence numbers start from the initial TSNs (5.1.1). */
    public void reset(int localInitialTsn, int peerInitialTsn) {
        reqSeqOut = localInitialTsn;
        peerReqSeqNext = peerInitialTsn;
        outstandingRequest = null;
        lastResponse = null;
        deferredReset = null;
    }

    /** The association closed or restarted: our requests are dropped. */
    public void stop() {
        pendingRequests.clear();
        outstandingRequest = null;
        reconfAt = NEVER;
    }

    public long timerAt() {
        return reconfAt;
    }

    /** Resets these outgoing streams once what is queued on them has gone (5.1.2). */
    public void resetStreams(int[] streams) {
        for (int id : streams) {
            sender.sched.stream(id).resetPending = true;
        }
        pendingRequests.add(streams.clone());
    }

    /** Asks for {@code count} more outgoing streams (5.1.5). */
    public void addStreams(int count) {
        pendingRequests.add(count);
    }

    /** The request timer: the outstanding request goes again. */
    public void onTimer() {
        reconfAt = NEVER;
        if (outstandingRequest != null) {
            st.control.add(new Chunk.ReConfig(List.of(outstandingRequest)));
            reconfAt = st.now + sender.cc.rto();
        }
    }

    /** Sends the next request when none is outstanding. */
    public void maybeStart() {
        if (outstandingRequest != null || pendingRequests.isEmpty() || st.state != SctpState.ESTABLISHED) {
            return;
        }
        Object next = pendingRequests.peek();
        ReConfigParam req;
        if (next instanceof int[] streams) {
            for (int id : streams) {
                OutStream s = sender.sched.existing(id);
                if (s != null && !s.queue.isEmpty()) {
                    return; // 5.1.2: queued messages go first
                }
            }
            req = new ReConfigParam.OutgoingReset(reqSeqOut, peerReqSeqNext - 1, sender.out.nextTsn() - 1, streams);
        } else {
            req = new ReConfigParam.AddStreams(true, reqSeqOut, (Integer) next);
        }
        pendingRequests.poll();
        outstandingRequest = req;
        st.control.add(new Chunk.ReConfig(List.of(req)));
        reconfAt = st.now + sender.cc.rto();
    }

    public void onReConfig(Chunk.ReConfig rc) {
        if (!st.isOpen()) {
            return;
        }
        for (ReConfigParam p : rc.params()) {
            switch (p) {
                case ReConfigParam.OutgoingReset r -> onOutgoingResetRequest(r);
                case ReConfigParam.Response r -> onResponse(r);
                case ReConfigParam.AddStreams a -> onAddStreams(a);
                case ReConfigParam.IncomingReset r -> onIncomingResetRequest(r);
                case ReConfigParam.SsnTsnReset r -> onSsnTsnResetRequest(r);
                case ReConfigParam.Unknown u -> st.malformed++;
            }
        }
    }

    /** Performs a deferred reset of the peer's once every TSN before its last one has arrived (5.2.2). */
    public void performDeferredReset() {
        if (deferredReset != null && receiver.cumTsn() - deferredReset.lastTsn() >= 0) {
            performIncomingReset(deferredReset);
            deferredReset = null;
        }
    }

    /** 5.2.1: is this the request we expect, a retransmission of the last one, or out of sequence? */
    private int checkSequence(int seq) {
        if (seq == peerReqSeqNext) {
            return 0;
        }
        if (seq == peerReqSeqNext - 1 && lastResponse != null) {
            return 1;
        }
        return -1;
    }

    private void respond(int seq, int result) {
        respond(new ReConfigParam.Response(seq, result, false, 0, 0));
    }

    private void respond(ReConfigParam.Response r) {
        int seq = r.responseSeq();
        int result = r.result();
        st.control.add(new Chunk.ReConfig(List.of(r)));
        if (result != ReConfigParam.Response.IN_PROGRESS && seq == peerReqSeqNext) {
            lastResponse = r;
            peerReqSeqNext++;
        }
    }

    /**
     * 5.2.1: answers a retransmitted request with the last response and one out of sequence with an error;
     * returns true when the request is the one expected and is to be performed.
     */
    private boolean inSequence(int seq) {
        int c = checkSequence(seq);
        if (c == 1) {
            st.control.add(new Chunk.ReConfig(List.of(lastResponse)));
        } else if (c < 0) {
            st.control.add(new Chunk.ReConfig(List.of(new ReConfigParam.Response(seq,
                    ReConfigParam.Response.ERROR_BAD_SEQUENCE, false, 0, 0))));
        }
        return c == 0;
    }

    private void onOutgoingResetRequest(ReConfigParam.OutgoingReset r) {
        if (!inSequence(r.requestSeq())) {
            return;
        }
        for (int s : r.streams()) {
            if (s >= st.inStreams) {
                respond(r.requestSeq(), ReConfigParam.Response.DENIED);
                return;
            }
        }
        // 5.2.2: perform once everything up to the sender's last TSN has arrived.
        if (receiver.cumTsn() - r.lastTsn() >= 0) {
            performIncomingReset(r);
            if (deferredReset != null && deferredReset.requestSeq() == r.requestSeq()) {
                deferredReset = null;
            }
        } else {
            deferredReset = r;
            respond(r.requestSeq(), ReConfigParam.Response.IN_PROGRESS);
        }
    }

    private void performIncomingReset(ReConfigParam.OutgoingReset r) {
        if (r.requestSeq() != peerReqSeqNext) {
            return;
        }
        int[] streams = r.streams().length > 0 ? r.streams() : allStreams(st.inStreams);
        receiver.reasm.resetStreams(streams);
        respond(r.requestSeq(), ReConfigParam.Response.SUCCESS_PERFORMED);
        st.events.add(new SctpEvent.IncomingStreamsReset(streams.clone()));
    }

    /**
     * 5.2.3: the peer asks us to reset our outgoing side of these streams (all when none is named). We do as if
     * the application had asked: what is queued on them goes first, then our Outgoing SSN Reset Request, whose
     * Re-configuration Response Sequence Number names this request; this one is answered as performed.
     */
    private void onIncomingResetRequest(ReConfigParam.IncomingReset r) {
        if (!inSequence(r.requestSeq())) {
            return;
        }
        int[] streams = r.streams().length > 0 ? r.streams() : allStreams(st.outStreams);
        for (int s : streams) {
            if (s >= st.outStreams) {
                respond(r.requestSeq(), ReConfigParam.Response.DENIED);
                return;
            }
        }
        int[] fresh = java.util.Arrays.stream(streams).distinct()
                .filter(id -> !sender.sched.stream(id).resetPending).toArray();
        respond(r.requestSeq(), ReConfigParam.Response.SUCCESS_PERFORMED);
        if (fresh.length > 0) {
            resetStreams(fresh);
        }
    }

    /**
     * 5.2.4: the peer resets the whole association's numbering: both TSN sequences jump (ours goes on from the
     * next TSN, the peer's from our cumulative TSN plus 2^31) and every stream's SSNs restart from 0 in both
     * directions. Acknowledging everything we sent (E4) would silently lose what is still in flight, so the
     * reset is performed only once nothing of ours is queued, in flight or being reset; until then the answer
     * is "In progress" and the peer asks again (5.2.7).
     */
    private void onSsnTsnResetRequest(ReConfigParam.SsnTsnReset r) {
        int seq = r.requestSeq();
        if (!inSequence(seq)) {
            return;
        }
        if (outstandingRequest != null || !pendingRequests.isEmpty() || deferredReset != null) {
            respond(seq, ReConfigParam.Response.ERROR_REQUEST_IN_PROGRESS);
            return;
        }
        if (!sender.drained()) {
            respond(seq, ReConfigParam.Response.IN_PROGRESS);
            return;
        }
        int senderNext = sender.out.nextTsn(); // E3: the highest TSN we sent, plus 1
        int receiverNext = receiver.cumTsn() + 1 + (1 << 31); // E2
        for (OutStream s : sender.sched.all()) { // E6
            if (s != null) {
                s.nextOrdered = 0;
                s.nextUnordered = 0;
            }
        }
        receiver.reset(receiverNext); // E5, E6: as a FORWARD-TSN to receiverNext - 1 on every stream
        respond(new ReConfigParam.Response(seq, ReConfigParam.Response.SUCCESS_PERFORMED, true, senderNext,
                receiverNext));
        st.events.add(new SctpEvent.AssociationReset());
    }

    private static int[] allStreams(int count) {
        int[] all = new int[count];
        for (int i = 0; i < count; i++) {
            all[i] = i;
        }
        return all;
    }

    private void onAddStreams(ReConfigParam.AddStreams a) {
        int c = checkSequence(a.requestSeq());
        if (c == 1) {
            st.control.add(new Chunk.ReConfig(List.of(lastResponse)));
            return;
        }
        if (c < 0 || !a.outgoing()) {
            respond(a.requestSeq(), c < 0 ? ReConfigParam.Response.ERROR_BAD_SEQUENCE
                    : ReConfigParam.Response.DENIED);
            return;
        }
        if (st.inStreams + a.count() > st.cfg.inboundStreams()) {
            respond(a.requestSeq(), ReConfigParam.Response.DENIED);
            return;
        }
        st.inStreams += a.count();
        respond(a.requestSeq(), ReConfigParam.Response.SUCCESS_PERFORMED);
        st.events.add(new SctpEvent.StreamsChanged(st.outStreams, st.inStreams));
    }

    private void onResponse(ReConfigParam.Response r) {
        ReConfigParam req = outstandingRequest;
        if (req == null) {
            return;
        }
        int seq = req instanceof ReConfigParam.OutgoingReset o ? o.requestSeq()
                : ((ReConfigParam.AddStreams) req).requestSeq();
        if (r.responseSeq() != seq) {
            return;
        }
        if (r.result() == ReConfigParam.Response.IN_PROGRESS) {
            reconfAt = st.now + sender.cc.rto(); // ask again later (5.2.7)
            return;
        }
        outstandingRequest = null;
        reconfAt = NEVER;
        reqSeqOut++;
        boolean ok = r.result() == ReConfigParam.Response.SUCCESS_PERFORMED
                || r.result() == ReConfigParam.Response.SUCCESS_NOTHING_TO_DO;
        if (req instanceof ReConfigParam.OutgoingReset o) {
            for (int id : o.streams()) {
                OutStream s = sender.sched.stream(id);
                s.resetPending = false;
                if (ok) {
                    s.nextOrdered = 0;
                    s.nextUnordered = 0;
                }
            }
            st.events.add(ok ? new SctpEvent.OutgoingStreamsReset(o.streams().clone())
                    : new SctpEvent.StreamResetFailed(o.streams().clone()));
        } else if (req instanceof ReConfigParam.AddStreams a && ok) {
            st.outStreams += a.count();
            st.events.add(new SctpEvent.StreamsChanged(st.outStreams, st.inStreams));
        }
        maybeStart();
    }
}
