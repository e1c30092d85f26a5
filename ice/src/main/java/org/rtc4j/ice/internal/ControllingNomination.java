package org.rtc4j.ice.internal;

import java.time.Instant;
import org.rtc4j.ice.IcePriority;
import org.rtc4j.ice.stun.StunAttribute;

/**
 * The controlling role: regular nomination (RFC 8445 section 8.1.1). Once a pair is valid it waits a little
 * ({@code nominationDelay}) for better pairs still in progress, then checks the best valid pair again with
 * USE-CANDIDATE; the pair is selected when that check succeeds.
 */
final class ControllingNomination implements Nomination {

    private final Session s;

    ControllingNomination(Session s) {
        this.s = s;
    }

    @Override
    public StunAttribute roleAttribute(long tieBreaker) {
        return StunAttribute.iceControlling(tieBreaker);
    }

    @Override
    public long pairPriority(long local, long remote) {
        return IcePriority.pair(local, remote);
    }

    @Override
    public Conflict conflict(long tieBreaker, StunAttribute.Numeric controlling, StunAttribute.Numeric controlled) {
        if (controlling == null) {
            return Conflict.NONE;
        }
        return Long.compareUnsigned(tieBreaker, controlling.value()) >= 0 ? Conflict.REJECT : Conflict.SWITCH;
    }

    @Override
    public void checkReceived(Instant now, CheckPair p, boolean useCandidate) {
        // The controlled peer never nominates: USE-CANDIDATE from it means nothing.
    }

    @Override
    public void validated(Instant now, CheckPair p) {
        // Nomination follows from nominate(), once the wait for better pairs is over.
    }

    @Override
    public Instant nominateAt() {
        if (s.lite || s.checks.firstValidAt == null || s.selectedInThisGeneration()
                || s.checkList.nominating(s.generation)) {
            return null;
        }
        // Without a valid pair there is nothing to nominate (and no timer, or the driver would spin).
        return s.checkList.anyValid(s.generation) ? s.checks.firstValidAt.plus(s.config.nominationDelay()) : null;
    }

    @Override
    public void nominate(Instant now) {
        Instant at = nominateAt();
        if (at == null) {
            return;
        }
        CheckPair best = s.checkList.bestValid(s.generation);
        if (best == null || (now.isBefore(at) && s.checkList.betterPending(s.generation, best))) {
            return;
        }
        best.nominating = true;
        s.checks.send(now, best, true);
    }
}
