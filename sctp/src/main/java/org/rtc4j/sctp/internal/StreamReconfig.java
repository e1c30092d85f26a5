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
                case ReConfigParam.IncomingReset r -> respond(r.requestSeq(), ReConfigParam.Response.DENIED);
                case ReConfigParam.SsnTsnReset r -> respond(r.requestSeq(), ReConfigParam.Response.DENIED);
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
        ReConfigParam.Response r = new ReConfigParam.Response(seq, result, false, 0, 0);
        st.control.add(new Chunk.ReConfig(List.of(r)));
        if (result != ReConfigParam.Response.IN_PROGRESS && seq == peerReqSeqNext) {
            lastResponse = r;
            peerReqSeqNext++;
        }
    }

    private void onOutgoingResetRequest(ReConfigParam.OutgoingReset r) {
        int c = checkSequence(r.requestSeq());
        if (c == 1) {
            st.control.add(new Chunk.ReConfig(List.of(lastResponse)));
            return;
        }
        if (c < 0) {
            st.control.add(new Chunk.ReConfig(List.of(new ReConfigParam.Response(r.requestSeq(),
                    ReConfigParam.Response.ERROR_BAD_SEQUENCE, false, 0, 0))));
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
        int[] streams = r.streams();
        if (streams.length == 0) {
            streams = new int[st.inStreams];
            for (int i = 0; i < st.inStreams; i++) {
                streams[i] = i;
            }
        }
        receiver.reasm.resetStreams(streams);
        respond(r.requestSeq(), ReConfigParam.Response.SUCCESS_PERFORMED);
        st.events.add(new SctpEvent.IncomingStreamsReset(streams.clone()));
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
