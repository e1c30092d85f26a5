package org.rtc4j.ice.internal;

import java.net.Inet6Address;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidateType;

/**
 * The check list (RFC 8445 section 6.1.2): the candidate pairs with their priorities and states (frozen,
 * waiting, in progress, succeeded, failed), and the triggered-check queue (section 7.3.1.4).
 */
final class CheckList {

    private final Session s;
    private final List<CheckPair> pairs = new ArrayList<>();
    private final ArrayDeque<CheckPair> triggered = new ArrayDeque<>();

    CheckList(Session s) {
        this.s = s;
    }

    /**
     * Pairs a local candidate with a remote one (section 6.1.2.2), unless they cannot reach each other or the
     * pair exists already; returns the pair, or null when none was made or it was pruned at once.
     */
    CheckPair add(LocalCandidate local, RemoteCandidate remote) {
        if (!local.pairs() || (s.config.relayOnly() && local.relay == null) || remote.address == null
                || remote.address.transport() != Transport.UDP
                || (local.base.ip() instanceof Inet6Address) != (remote.address.ip() instanceof Inet6Address)
                || local.base.ip().isLoopbackAddress() != remote.address.ip().isLoopbackAddress()) {
            return null;
        }
        CheckPair existing = find(local.base, remote.address, s.generation);
        if (existing != null) {
            return existing;
        }
        CheckPair p = new CheckPair(s.generation, local, remote);
        p.priority = priority(p);
        // RFC 8445 section 6.1.2.6, for one component: the first pair of a foundation waits, the rest freeze.
        boolean foundationActive = false;
        for (CheckPair other : pairs) {
            if (other.generation == s.generation && other.foundation.equals(p.foundation)
                    && (other.state == PairState.WAITING || other.state == PairState.IN_PROGRESS)) {
                foundationActive = true;
                break;
            }
        }
        p.state = foundationActive ? PairState.FROZEN : PairState.WAITING;
        pairs.add(p);
        if (local.relay != null) {
            // Install the permission now: the peer's checks to our relayed address get through sooner.
            local.relay.createPermission(s.lastNow, remote.address.ip());
            s.relays.drain(s.lastNow);
        }
        prune();
        s.checks.kick();
        return pairs.contains(p) ? p : null;
    }

    /**
     * RFC 8445 section 6.1.2.5: keep at most maxPairs, dropping the lowest-priority idle ones; never a pair
     * with a peer-reflexive remote, which only an authenticated check creates (signaled junk of a higher
     * priority must not push out the peer that proved it knows the credentials).
     */
    private void prune() {
        while (pairs.size() > s.config.maxPairs()) {
            CheckPair worst = null;
            for (CheckPair p : pairs) {
                if (p != s.selected && p.state != PairState.IN_PROGRESS && !p.valid
                        && p.remote.candidate.type() != CandidateType.PEER_REFLEXIVE
                        && (worst == null || p.priority < worst.priority)) {
                    worst = p;
                }
            }
            if (worst == null) {
                return;
            }
            pairs.remove(worst);
        }
    }

    CheckPair find(TransportAddress base, TransportAddress remote, Generation g) {
        for (CheckPair p : pairs) {
            if (p.generation == g && p.local.base.equals(base) && remote.equals(p.remote.address)) {
                return p;
            }
        }
        return null;
    }

    /** The pair that data from {@code remote} at {@code local} may come in on: the selected or a checked one. */
    CheckPair authenticated(CheckPair selected, LocalCandidate local, TransportAddress remote) {
        if (selected != null && selected.remote.address.equals(remote) && selected.local.base.equals(local.base)) {
            return selected;
        }
        for (CheckPair p : pairs) {
            if ((p.valid || p.remoteAuthenticated) && remote.equals(p.remote.address)
                    && p.local.base.equals(local.base)) {
                return p;
            }
        }
        return null;
    }

    /** RFC 8445 section 6.1.2.3, with the controlling agent's candidate as G. */
    private long priority(CheckPair p) {
        return s.nomination().pairPriority(p.local.candidate.priority(), p.remote.candidate.priority());
    }

    void recomputePriorities() {
        for (CheckPair p : pairs) {
            p.priority = priority(p);
        }
    }

    void enqueueTriggered(CheckPair p) {
        if (!p.triggered) {
            p.triggered = true;
            triggered.add(p);
        }
        s.checks.kick();
    }

    /** The next triggered check still worth sending in generation {@code g}, or null. */
    CheckPair pollTriggered(Generation g) {
        while (!triggered.isEmpty()) {
            CheckPair p = triggered.poll();
            p.triggered = false;
            if (p.generation == g && p.state == PairState.WAITING && pairs.contains(p)) {
                return p;
            }
        }
        return null;
    }

    boolean hasTriggered() {
        return !triggered.isEmpty();
    }

    /** The highest-priority pair of generation {@code g} in {@code state}, or null. */
    CheckPair best(Generation g, PairState state) {
        CheckPair best = null;
        for (CheckPair p : pairs) {
            if (p.generation == g && p.state == state && (best == null || p.priority > best.priority)) {
                best = p;
            }
        }
        return best;
    }

    /** The highest-priority valid pair of generation {@code g}, or null. */
    CheckPair bestValid(Generation g) {
        CheckPair best = null;
        for (CheckPair p : pairs) {
            if (p.generation == g && p.valid && (best == null || p.priority > best.priority)) {
                best = p;
            }
        }
        return best;
    }

    /** The best pair of generation {@code g} that the peer nominated and our own check validated, but {@code not}. */
    CheckPair bestNominated(Generation g, CheckPair not) {
        CheckPair best = null;
        for (CheckPair p : pairs) {
            if (p != not && p.generation == g && p.valid && p.nominated
                    && (best == null || p.priority > best.priority)) {
                best = p;
            }
        }
        return best;
    }

    /** Whether a pair of generation {@code g} with a higher priority than {@code than} may still succeed. */
    boolean betterPending(Generation g, CheckPair than) {
        for (CheckPair p : pairs) {
            if (p.generation == g && p.priority > than.priority && (p.state == PairState.FROZEN
                    || p.state == PairState.WAITING || p.state == PairState.IN_PROGRESS)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a nomination check (USE-CANDIDATE) is out on a pair of generation {@code g}. */
    boolean nominating(Generation g) {
        for (CheckPair p : pairs) {
            if (p.generation == g && p.nominating) {
                return true;
            }
        }
        return false;
    }

    boolean anyValid(Generation g) {
        return bestValid(g) != null;
    }

    /** RFC 8445 section 7.2.5.3.3: once a pair succeeds, the frozen pairs of its foundation may go ahead. */
    void unfreeze(String foundation) {
        for (CheckPair other : pairs) {
            if (other.state == PairState.FROZEN && other.foundation.equals(foundation)) {
                other.state = PairState.WAITING;
            }
        }
    }

    /** Whether every pair of generation {@code g} failed (true when there is none). */
    boolean allFailed(Generation g) {
        for (CheckPair p : pairs) {
            if (p.generation == g && p.state != PairState.FAILED) {
                return false;
            }
        }
        return true;
    }

    /** Whether a pair of {@code r} is valid, vouched for by the peer, being checked or selected. */
    boolean proven(RemoteCandidate r) {
        for (CheckPair p : pairs) {
            if (p.remote == r && (p.valid || p.remoteAuthenticated || p.state == PairState.IN_PROGRESS
                    || p == s.selected)) {
                return true;
            }
        }
        return false;
    }

    /** Forgets every pair of a remote candidate that is being dropped. */
    void removeRemote(RemoteCandidate r) {
        pairs.removeIf(p -> p.remote == r);
        triggered.removeIf(p -> p.remote == r);
    }

    boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** A restart: only the selected pair (if any) lives on, nothing is queued. */
    void retainOnly(CheckPair keep) {
        pairs.removeIf(p -> p != keep);
        triggered.clear();
    }

    /** A selection: the pairs of earlier generations go. */
    void retainGeneration(Generation g) {
        pairs.removeIf(x -> x.generation != g);
    }

    void clear() {
        pairs.clear();
        triggered.clear();
    }

    List<String> describe(CheckPair selected) {
        List<String> out = new ArrayList<>();
        for (CheckPair p : pairs) {
            out.add(p + " prio=" + p.priority + (p == selected ? " SELECTED" : ""));
        }
        return Collections.unmodifiableList(out);
    }
}
