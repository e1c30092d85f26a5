package org.rtc4j;

import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.internal.PeerDriver;
import org.rtc4j.internal.PeerEvent;
import org.rtc4j.internal.PeerStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a connection's stack forward on its loop: while it is being set up its datagrams onto the sockets, its
 * {@link PeerEvent}s to the API until there are none, then what is left and what their handlers sent. A bug of ours
 * surfacing here fails the connection rather than repeat on every turn. Loop-confined; never re-entered (a handler
 * whose call pumps again does nothing).
 */
final class PeerPump {

    private static final Logger LOG = LoggerFactory.getLogger(PeerPump.class);

    private final IoLoop loop;
    private final PeerStack stack;
    private final BooleanSupplier closed;
    private final Consumer<RuntimeException> internalError;
    private final PeerIce ice;
    private final PeerStates states;
    private final PeerStats stats;
    private final PeerChannels channels;
    private final PeerMedia media;
    private final Supplier<RTCSctpTransport> sctp;
    /** Set once, right after the driver is made (it takes {@link #pump} as its callback). */
    PeerDriver driver;
    private boolean pumping;
    private boolean queued;
    /** The task {@link #pumpSoon} queues, made once: a sender asks for it with every frame. */
    private final Runnable queuedPump = this::queuedPump;

    PeerPump(IoLoop loop, PeerStack stack, BooleanSupplier closed, Consumer<RuntimeException> internalError,
             PeerIce ice, PeerStates states, PeerStats stats, PeerChannels channels, PeerMedia media,
             Supplier<RTCSctpTransport> sctp) {
        this.loop = loop;
        this.stack = stack;
        this.closed = closed;
        this.internalError = internalError;
        this.ice = ice;
        this.states = states;
        this.stats = stats;
        this.channels = channels;
        this.media = media;
        this.sctp = sctp;
    }

    /** Runs work on the loop; a runtime exception from it is an internal error of the connection. */
    void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            internalError.accept(e);
        }
    }

    /**
     * Pumps on the loop after the current task (from API calls that queue output), once however often asked; not
     * at all when asked by a handler the pump is running, whose output the pump's next round sends.
     */
    void pumpSoon() {
        if (pumping && loop.inLoop()) {
            return;
        }
        if (!queued) {
            queued = true;
            loop.execute(queuedPump);
        }
    }

    private void queuedPump() {
        queued = false;
        try {
            pump();
        } catch (RuntimeException e) {
            internalError.accept(e);
        }
    }

    /**
     * The stack's datagrams out (while it is being set up), its events to the API until there are none, then the
     * rest out. A timeout already due is handled in the same round: ICE's first check, due as soon as a description
     * starts the checks, leaves with this flush, not the loop's next turn. What the handlers send (a message on
     * open) leaves in the same flush.
     */
    void pump() {
        if (closed.getAsBoolean() || pumping) {
            return;
        }
        pumping = true;
        try {
            boolean any;
            do {
                Instant now = driver.now();
                stack.drive(now);
                Instant due = stack.pollTimeout();
                if (due != null && !due.isAfter(now)) {
                    stack.handleTimeout(now); // what this drive started at once (ICE's first check), not next turn
                }
                if (stack.hasEvents() && stack.settingUp()) {
                    // Out before the handlers run: a set-up's next flight (a Finished, SCTP's INIT-ACK) leaves
                    // while the API's events are dispatched, not after them (issue 23). The order is kept: what
                    // the handlers send queues behind it.
                    driver.send();
                }
                any = false;
                for (PeerEvent e; !closed.getAsBoolean() && (e = stack.pollEvent()) != null; ) {
                    any = true;
                    dispatch(e);
                }
            } while (any && !closed.getAsBoolean());
            if (!closed.getAsBoolean()) {
                driver.flush();
            }
        } finally {
            pumping = false;
        }
    }

    /** One event of the stack to the API object it concerns. */
    private void dispatch(PeerEvent event) {
        switch (event) {
            case PeerEvent.Ice i -> ice.onEvent(i.event());
            case PeerEvent.DtlsStarted s -> states.dtls(RTCDtlsTransportState.CONNECTING);
            case PeerEvent.Dtls d -> states.onDtls(d.event(), stats);
            case PeerEvent.SctpStarted s -> channels.sctpStarted(s.channels());
            case PeerEvent.SctpStateChanged s -> {
                var association = stack.channels().association();
                LOG.debug("SCTP {}", s.state());
                sctp.get().associationChanged(s.state(), association.outboundStreams(), association.inboundStreams());
            }
            case PeerEvent.Channel c -> channels.onEvent(c.event());
            case PeerEvent.MediaStarted m -> {
                LOG.debug("SRTP keyed");
                media.started();
            }
            case PeerEvent.Media m -> media.onEvent(m.event());
        }
    }
}
