package org.rtc4j.ice.internal;

import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.turn.TurnClient;

/**
 * A local candidate with what the agent needs to send from it: its base (the socket address, or for a
 * relayed candidate the relayed address itself, RFC 8445 section 5.1.1.2) and the TURN client of a relayed
 * candidate.
 */
final class LocalCandidate {
    final IceCandidate candidate;
    final TransportAddress address;
    final TransportAddress base;
    final TurnClient relay;
    /** The local preference, reused for the peer-reflexive priority sent in checks. */
    final int localPreference;

    LocalCandidate(IceCandidate candidate, TransportAddress base, TurnClient relay, int localPreference) {
        this.candidate = candidate;
        this.address = candidate.transportAddress();
        this.base = base;
        this.relay = relay;
        this.localPreference = localPreference;
    }

    /** Host and relayed candidates send checks; reflexive ones are replaced by their base (section 6.1.2.4). */
    boolean pairs() {
        return candidate.type() == CandidateType.HOST || candidate.type() == CandidateType.RELAYED;
    }

    @Override
    public String toString() {
        return candidate.type().token() + " " + address;
    }
}
