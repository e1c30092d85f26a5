package org.rtc4j.ice.internal;

import java.time.Instant;
import org.rtc4j.ice.IcePriority;
import org.rtc4j.ice.stun.StunAttribute;

/**
 * The controlled role (RFC 8445 section 7.3.1.5): a pair the peer nominates (USE-CANDIDATE) is selected once
 * our own check on it has succeeded. A lite agent is always controlled and sends no checks of its own: the
 * nomination alone selects the pair.
 */
final class ControlledNomination implements Nomination {

    private final Session s;

    ControlledNomination(Session s) {
        this.s = s;
    }

    @Override
    public StunAttribute roleAttribute(long tieBreaker) {
        return StunAttribute.iceControlled(tieBreaker);
    }

    @Override
    public long pairPriority(long local, long remote) {
        return IcePriority.pair(remote, local);
    }

    @Override
    public Conflict conflict(long tieBreaker, StunAttribute.Numeric controlling, StunAttribute.Numeric controlled) {
        if (controlled == null) {
            return Conflict.NONE;
        }
        return Long.compareUnsigned(tieBreaker, controlled.value()) >= 0 ? Conflict.SWITCH : Conflict.REJECT;
    }

    @Override
    public void checkReceived(Instant now, CheckPair p, boolean useCandidate) {
        if (s.lite) {
            if (useCandidate) {
                p.valid = true;
                p.state = PairState.SUCCEEDED;
                p.nominated = true;
                s.select(now, p);
            } else if (p == s.selected) {
                s.consent.refreshed(now);
            }
            return;
        }
        if (useCandidate) {
            if (p.valid) {
                p.nominated = true;
                s.select(now, p);
            } else {
                p.nominateOnSuccess = true;
            }
        }
    }

    @Override
    public void validated(Instant now, CheckPair p) {
        if (p.nominateOnSuccess) {
            p.nominated = true;
            s.select(now, p);
        }
    }

    @Override
    public Instant nominateAt() {
        return null;
    }

    @Override
    public void nominate(Instant now) {
        // Only the controlling agent nominates.
    }
}
