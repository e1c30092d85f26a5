package org.rtc4j.sctp.internal;

import static org.rtc4j.sctp.internal.AssociationState.NEVER;

import org.rtc4j.sctp.SctpState;

/**
 * Graceful shutdown (RFC 9260 9.2): SHUTDOWN once everything queued has been acknowledged, SHUTDOWN-ACK when
 * the peer's SHUTDOWN finds nothing of ours outstanding, and the T2-shutdown timer that resends either.
 */
public final class GracefulShutdown {

    private final AssociationState st;
    private final Sender sender;
    private final Receiver receiver;
    private long t2At = NEVER;

    public GracefulShutdown(AssociationState st, Sender sender, Receiver receiver) {
        this.st = st;
        this.sender = sender;
        this.receiver = receiver;
    }

    public long timerAt() {
        return t2At;
    }

    public void stop() {
        t2At = NEVER;
    }

    /** The user asked for it: the association shuts down once its data is acknowledged. */
    public void begin() {
        st.state = SctpState.SHUTDOWN_PENDING;
    }

    public void onShutdown(int cumTsn) {
        if (!st.isOpen()) {
            return;
        }
        if (sender.shutdownAck(cumTsn)) {
            maybeSendDeferredShutdownAck();
        }
        if (st.state == SctpState.SHUTDOWN_SENT) {
            st.control.add(new Chunk.ShutdownAck());
            st.state = SctpState.SHUTDOWN_ACK_SENT;
            t2At = st.now + sender.cc.rto();
            return;
        }
        if (st.state == SctpState.ESTABLISHED || st.state == SctpState.SHUTDOWN_PENDING) {
            st.state = SctpState.SHUTDOWN_RECEIVED;
        }
        maybeSendDeferredShutdownAck();
    }

    /** After the peer's SHUTDOWN, our SHUTDOWN-ACK waits until all our data is acknowledged. */
    public void maybeSendDeferredShutdownAck() {
        if (st.state == SctpState.SHUTDOWN_RECEIVED && sender.drained()) {
            receiver.sackNow();
            st.control.add(new Chunk.ShutdownAck());
            st.state = SctpState.SHUTDOWN_ACK_SENT;
            t2At = st.now + sender.cc.rto();
            sender.stopT3();
        }
    }

    /** Sends SHUTDOWN once all our data is acknowledged (or the deferred SHUTDOWN-ACK). */
    public void maybeFinish() {
        if (st.state == SctpState.SHUTDOWN_PENDING && sender.drained()) {
            st.control.add(new Chunk.Shutdown(receiver.cumTsn()));
            st.state = SctpState.SHUTDOWN_SENT;
            t2At = st.now + sender.cc.rto();
            sender.stopT3();
        }
        maybeSendDeferredShutdownAck();
    }

    /**
     * T2-shutdown expired: SHUTDOWN or SHUTDOWN-ACK again.
     *
     * @return false when the peer did not answer often enough: the association must abort
     */
    public boolean onT2() {
        t2At = NEVER;
        st.errorCount++;
        if (st.errorCount > st.cfg.maxRetransmits()) {
            return false;
        }
        if (st.state == SctpState.SHUTDOWN_SENT) {
            st.control.add(new Chunk.Shutdown(receiver.cumTsn()));
        } else if (st.state == SctpState.SHUTDOWN_ACK_SENT) {
            st.control.add(new Chunk.ShutdownAck());
        } else {
            return true;
        }
        sender.cc.backoff();
        t2At = st.now + sender.cc.rto();
        return true;
    }
}
