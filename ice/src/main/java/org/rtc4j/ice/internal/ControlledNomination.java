package org.rtc4j.ice.internal;

import java.time.Instant;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IcePriority;
import org.rtc4j.ice.stun.StunAttribute;

/**
 * The controlled role (RFC 8445 section 7.3.1.5): a pair the peer nominates (USE-CANDIDATE) is selected once
 * our own check on it has succeeded. A lite agent is always controlled and sends no checks of its own: the
 * nomination alone selects the pair.
 *
 * <p>Anyone who has read the SDP holds the credentials, so can nominate its own address (learned from its check
 * as peer-reflexive, with any priority it claims) and answer our check there. Section 8.1.1 leaves the choice
 * among nominated pairs to the controlled agent: while the selected pair is alive (consent fresh, not silent),
 * a nominated pair whose remote candidate the peer did not signal is kept in reserve rather than selected; it
 * takes over only when the selected pair falls silent. Signaled candidates come over the signaling channel,
 * which the attacker does not hold.
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
                nominated(now, p);
            } else {
                p.nominateOnSuccess = true;
            }
        }
    }

    @Override
    public void validated(Instant now, CheckPair p) {
        if (p.nominateOnSuccess) {
            nominated(now, p);
        }
    }

    private void nominated(Instant now, CheckPair p) {
        p.nominated = true;
        if (!selectedAlive(now) || s.selected == p || p.remote.candidate.type() != CandidateType.PEER_REFLEXIVE) {
            s.select(now, p);
        }
    }

    private boolean selectedAlive(Instant now) {
        return s.selectedInThisGeneration() && !s.consent.expired() && !s.consent.silent(now);
    }

    @Override
    public Instant nominateAt() {
        return null;
    }

    @Override
    public void nominate(Instant now) {
        // Only the controlling agent nominates; here a pair kept in reserve takes over from a silent one.
        if (!s.lite && s.selectedInThisGeneration() && !selectedAlive(now)) {
            CheckPair reserve = s.checkList.bestNominated(s.generation, s.selected);
            if (reserve != null) {
                s.select(now, reserve);
            }
        }
    }
}
