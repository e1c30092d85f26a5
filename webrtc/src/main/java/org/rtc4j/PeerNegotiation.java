package org.rtc4j;

import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.internal.Negotiator;
import org.rtc4j.internal.PeerStack;

/**
 * What a set description starts, and the negotiation's events (W3C sections 4.4.1.6 and 4.7.3): the DTLS and
 * SCTP transport once a description gives us a DTLS role, signalingstatechange for every state passed, the track
 * events, ICE gathering, and negotiationneeded when a change needs a new offer while stable. Loop-confined; the
 * SCTP transport is readable from any thread.
 */
final class PeerNegotiation {

    private final IoLoop loop;
    private final PeerStack stack;
    private final RTCSettings settings;
    private final RTCDtlsTransport dtlsTransport;
    private final PeerMedia media;
    private final PeerIce ice;
    private final Negotiator negotiator;
    private final BooleanSupplier closed;
    private final Supplier<Instant> now;
    private volatile RTCSctpTransport sctp;
    final EventSlot<RTCSignalingState> onSignalingStateChange;
    final EventSlot<Object> onNegotiationNeeded;

    PeerNegotiation(IoLoop loop, PeerStack stack, RTCSettings settings, RTCDtlsTransport dtlsTransport,
                    PeerMedia media, PeerIce ice, Negotiator negotiator, BooleanSupplier closed,
                    Supplier<Instant> now) {
        this.loop = loop;
        this.stack = stack;
        this.settings = settings;
        this.dtlsTransport = dtlsTransport;
        this.media = media;
        this.ice = ice;
        this.negotiator = negotiator;
        this.closed = closed;
        this.now = now;
        onSignalingStateChange = new EventSlot<>("signalingstatechange", loop);
        onNegotiationNeeded = new EventSlot<>("negotiationneeded", loop);
    }

    /** Applies a description, then starts what it started and fires the signaling state changes. */
    void apply(Supplier<Negotiator.Applied> application) {
        Negotiator.Applied applied;
        try {
            applied = application.get();
            if (applied.transportRole() != null && sctp == null) {
                stack.startTransport(now.get(), applied.transportRole());
                sctp = new RTCSctpTransport(dtlsTransport, loop,
                        RTCSctpTransport.maxMessageSize(stack.remoteMaxMessageSize(), settings.maxMessageSize()));
            }
        } finally {
            for (RTCSignalingState s; (s = negotiator.pollSignalingStateChange()) != null; ) {
                onSignalingStateChange.fire(s);
            }
        }
        media.retire(applied.ended());
        media.fireTracks(applied.tracks());
        media.negotiated();
        if (applied.negotiationNeeded()) {
            negotiationNeeded();
        }
        if (applied.gather()) {
            ice.gatherIfNew();
        }
    }

    /** Fires negotiationneeded after the current task, if the connection is then open and stable. */
    void negotiationNeeded() {
        loop.execute(() -> {
            if (!closed.getAsBoolean() && negotiator.signalingState() == RTCSignalingState.STABLE) {
                onNegotiationNeeded.fire(Boolean.TRUE);
            }
        });
    }

    /** The SCTP transport, once a description with a data-channel section was applied; else {@code null}. */
    RTCSctpTransport sctp() {
        return sctp;
    }

    /** The connection closed: the SCTP transport says so, the handlers are let go. */
    void close() {
        RTCSctpTransport s = sctp;
        if (s != null) {
            s.closed();
        }
        onSignalingStateChange.clear();
        onNegotiationNeeded.clear();
    }
}
