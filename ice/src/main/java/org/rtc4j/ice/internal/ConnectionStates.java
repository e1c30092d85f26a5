package org.rtc4j.ice.internal;

import java.time.Instant;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceGatheringState;

/**
 * The connection state (the W3C {@code RTCIceTransportState}) derived from the checks, the selection and
 * consent, reported as it changes; and when to give up without the peer's end-of-candidates.
 */
final class ConnectionStates {

    private final Session s;
    private IceConnectionState state = IceConnectionState.NEW;
    /** Since when every pair has failed with nothing left to check (no end-of-candidates needed), or null. */
    private Instant exhaustedSince;

    ConnectionStates(Session s) {
        this.s = s;
    }

    IceConnectionState state() {
        return state;
    }

    Instant pollTimeout() {
        return exhaustedSince != null && state != IceConnectionState.FAILED
                ? exhaustedSince.plus(s.config.failedTimeout()) : null;
    }

    void update(Instant now) {
        if (!s.closed && s.selected == null && checksExhausted()
                && (!s.checkList.isEmpty() || state != IceConnectionState.NEW)) {
            if (exhaustedSince == null) {
                exhaustedSince = now;
            }
        } else {
            exhaustedSince = null;
        }
        IceConnectionState next;
        if (s.closed) {
            next = IceConnectionState.CLOSED;
        } else if (s.consent.expired()) {
            next = IceConnectionState.FAILED;
        } else if (s.selected != null) {
            boolean complete = s.gathering.state() == IceGatheringState.COMPLETE
                    && s.generation.remoteEndOfCandidates && s.selected.generation == s.generation;
            next = s.consent.silent(now) ? IceConnectionState.DISCONNECTED
                    : complete ? IceConnectionState.COMPLETED : IceConnectionState.CONNECTED;
        } else if (allFailed() || (exhaustedSince != null
                && !now.isBefore(exhaustedSince.plus(s.config.failedTimeout())))) {
            // Without the peer's end-of-candidates, give up after a while as browsers do (Chromium: 30 s).
            next = IceConnectionState.FAILED;
        } else if (s.generation.remote != null && (!s.checkList.isEmpty() || state != IceConnectionState.NEW)) {
            next = IceConnectionState.CHECKING;
        } else {
            next = state == IceConnectionState.FAILED ? IceConnectionState.CHECKING : state;
        }
        if (next == IceConnectionState.COMPLETED && state != IceConnectionState.CONNECTED
                && state != IceConnectionState.COMPLETED) {
            // Completed always passes through connected, as browsers report it.
            state = IceConnectionState.CONNECTED;
            s.events.add(new IceEvent.ConnectionStateChanged(state));
        }
        if (next != state) {
            state = next;
            s.events.add(new IceEvent.ConnectionStateChanged(next));
        }
    }

    /** Every pair failed and neither side has more candidates coming (RFC 8445 section 8.1.2 with RFC 8838). */
    private boolean allFailed() {
        return s.generation.remoteEndOfCandidates && checksExhausted();
    }

    /** Every pair of this session failed, nothing is queued, and local gathering is complete. */
    private boolean checksExhausted() {
        return s.gathering.state() == IceGatheringState.COMPLETE && !s.checkList.hasTriggered()
                && s.generation.remote != null && s.checkList.allFailed(s.generation);
    }
}
