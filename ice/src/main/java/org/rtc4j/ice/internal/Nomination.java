package org.rtc4j.ice.internal;

import java.time.Instant;
import org.rtc4j.ice.stun.StunAttribute;

/**
 * What the agent does differently in its role (RFC 8445 sections 6.1.2.3, 7.3.1.1, 7.3.1.5 and 8.1): the
 * controlling agent nominates a pair with USE-CANDIDATE, the controlled one selects what it is told to.
 * A role conflict swaps the strategy ({@link Session#nomination()}).
 */
sealed interface Nomination permits ControllingNomination, ControlledNomination {

    /** What an incoming check's role attribute means for us (RFC 8445 section 7.3.1.1). */
    enum Conflict {
        /** The roles differ, as they should. */
        NONE,
        /** Both claim the same role and we keep ours: answer 487 (Role Conflict). */
        REJECT,
        /** Both claim the same role and we give ours up. */
        SWITCH
    }

    /** ICE-CONTROLLING or ICE-CONTROLLED with our tie-breaker, for the checks we send. */
    StunAttribute roleAttribute(long tieBreaker);

    /** RFC 8445 section 6.1.2.3: G is the controlling agent's candidate priority, D the controlled one's. */
    long pairPriority(long local, long remote);

    /** Compares tie-breakers (as unsigned 64-bit numbers) when the peer claims our role. */
    Conflict conflict(long tieBreaker, StunAttribute.Numeric controlling, StunAttribute.Numeric controlled);

    /** The peer's authenticated check arrived on {@code p}, with USE-CANDIDATE or not. */
    void checkReceived(Instant now, CheckPair p, boolean useCandidate);

    /** Our own check (not a nomination) on {@code p} succeeded. */
    void validated(Instant now, CheckPair p);

    /** When this agent will nominate on its own, or null. */
    Instant nominateAt();

    /** Nominates when it is time (after any input or timeout). */
    void nominate(Instant now);
}
