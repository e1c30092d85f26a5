package org.rtc4j.ice;

/** A local and a remote candidate: what the agent selected to carry data. */
public record CandidatePair(IceCandidate local, IceCandidate remote) {

    /** Whether data on this pair goes through a TURN relay (either side relayed). */
    public boolean isRelayed() {
        return local.type() == CandidateType.RELAYED || remote.type() == CandidateType.RELAYED;
    }

    @Override
    public String toString() {
        return local.type().token() + " " + local.address() + ":" + local.port() + " <-> " + remote.type().token()
                + " " + remote.address() + ":" + remote.port();
    }
}
