package org.rtc4j.ice.internal;

import java.time.Instant;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.DirectPath;

/** A candidate pair in the check list, with its check state (RFC 8445 section 6.1.2). */
final class CheckPair {
    final Generation generation;
    final LocalCandidate local;
    final RemoteCandidate remote;
    final String foundation;
    long priority;
    PairState state = PairState.FROZEN;
    /** A check on it succeeded (it is in the valid list, RFC 8445 section 7.2.5.3.2). */
    boolean valid;
    boolean nominated;
    /** Controlled side: USE-CANDIDATE came before our own check succeeded (section 7.3.1.5). */
    boolean nominateOnSuccess;
    /** A nomination check (USE-CANDIDATE) is out. */
    boolean nominating;
    /** The remote address sent an authenticated check on this pair: its data is accepted. */
    boolean remoteAuthenticated;
    boolean triggered;
    /** An immediate retransmit was sent when the peer's check arrived (once per pair). */
    boolean retransmittedOnCheck;
    StunTransaction check;
    Instant validAt;
    CandidatePair view;
    /** Made once: the data path sends every datagram on it. */
    private DirectPath direct;

    CheckPair(Generation generation, LocalCandidate local, RemoteCandidate remote) {
        this.generation = generation;
        this.local = local;
        this.remote = remote;
        this.foundation = local.candidate.foundation() + ":" + remote.candidate.foundation();
    }

    CandidatePair view() {
        if (view == null || view.remote() != remote.candidate) {
            view = new CandidatePair(local.candidate, remote.candidate);
        }
        return view;
    }

    /** From the local base's socket straight to the remote address (the local candidate is not relayed). */
    DirectPath direct() {
        if (direct == null || direct.destination() != remote.address) {
            direct = new DirectPath(local.base, remote.address);
        }
        return direct;
    }

    @Override
    public String toString() {
        return local + " -> " + remote + " " + state + (nominated ? " nominated" : "");
    }
}
