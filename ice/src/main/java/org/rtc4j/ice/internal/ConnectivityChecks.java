package org.rtc4j.ice.internal;

import java.time.Instant;
import java.util.List;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IcePriority;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/**
 * Connectivity checks (RFC 8445 sections 6.1.4 and 7): sending them paced by Ta, answering the peer's
 * (authenticated with the short-term credentials, role conflicts resolved), triggered checks, learning
 * peer-reflexive candidates on both sides, and acting on the responses.
 */
final class ConnectivityChecks {

    private final Session s;
    private Instant nextCheckAt;
    /** When the first pair of this generation became valid (the controlling agent's nomination clock). */
    Instant firstValidAt;
    private int prflxCounter;

    ConnectivityChecks(Session s) {
        this.s = s;
    }

    /** Makes the next timeout run a check tick, if checks can run. */
    void kick() {
        if (nextCheckAt == null && !s.lite && !s.closed) {
            nextCheckAt = s.lastNow;
        }
    }

    void restart() {
        firstValidAt = null;
        nextCheckAt = null;
    }

    Instant pollTimeout() {
        return nextCheckAt;
    }

    void handleTimeout(Instant now) {
        if (nextCheckAt != null && !now.isBefore(nextCheckAt)) {
            tick(now);
        }
    }

    /** One Ta tick (RFC 8445 section 6.1.4.2): a triggered check first, else the best waiting or frozen pair. */
    private void tick(Instant now) {
        if (s.lite || s.generation.remote == null) {
            nextCheckAt = null;
            return;
        }
        CheckPair next = s.checkList.pollTriggered(s.generation);
        if (next == null && !s.selectedInThisGeneration()) {
            next = s.checkList.best(s.generation, PairState.WAITING);
            if (next == null) {
                next = s.checkList.best(s.generation, PairState.FROZEN);
            }
        }
        if (next == null) {
            nextCheckAt = null;
            return;
        }
        send(now, next, false);
        nextCheckAt = now.plus(s.config.ta());
    }

    /** A Binding request on a pair (RFC 8445 section 7.2.2), signed with the peer's password. */
    StunMessage request(CheckPair p, boolean useCandidate) {
        Generation g = p.generation;
        StunMessage.Builder b = StunMessage.builder(StunMethod.BINDING, StunClass.REQUEST, s.newTransactionId())
                .add(StunAttribute.username(g.remote.ufrag() + ":" + g.local.ufrag()))
                .add(StunAttribute.priority(IcePriority.candidate(
                        CandidateType.PEER_REFLEXIVE.typePreference(), p.local.localPreference, 1)))
                .add(s.nomination().roleAttribute(s.tieBreaker));
        if (useCandidate) {
            b.add(StunAttribute.useCandidate());
        }
        return b.integrity(g.remoteKey).fingerprint().build();
    }

    /** Sends a check on a pair, a nomination when {@code useCandidate}. */
    void send(Instant now, CheckPair p, boolean useCandidate) {
        StunMessage m = request(p, useCandidate);
        if (p.check != null) {
            s.transactions.remove(p.check);
        }
        StunTransaction t = new StunTransaction(StunTransaction.Kind.CHECK, m, p.local, p.remote.address, p, null,
                useCandidate, s.role);
        s.transactions.add(t, now, s.config.checkRto());
        p.check = t;
        if (!p.valid) {
            p.state = PairState.IN_PROGRESS;
        }
        s.counters.checksSent++;
        s.sendFrom(now, p.local, p.remote.address, m.asBuffer());
    }

    /** A STUN message at a local candidate: a check from the peer, or an answer to one of our requests. */
    void stun(Instant now, LocalCandidate local, TransportAddress remote, StunMessage m) {
        switch (m.messageClass()) {
            case REQUEST -> {
                if (m.method() == StunMethod.BINDING) {
                    received(now, local, remote, m);
                } else {
                    s.counters.malformed++;
                }
            }
            case SUCCESS_RESPONSE, ERROR_RESPONSE -> {
                StunTransaction t = s.transactions.get(m.transactionId());
                if (t == null) {
                    s.counters.unknownTransaction++;
                } else {
                    response(now, t, local, remote, m);
                }
            }
            case INDICATION -> {
                // Binding indications are keepalives (RFC 8445 section 11): nothing to do.
            }
        }
    }

    /** An incoming Binding request: a connectivity check (RFC 8445 section 7.3). */
    private void received(Instant now, LocalCandidate local, TransportAddress remote, StunMessage m) {
        s.counters.checksReceived++;
        Generation g = authenticate(m);
        if (g == null) {
            s.counters.unauthenticated++;
            return;
        }
        StunAttribute.Numeric priority = m.get(StunAttributeType.PRIORITY);
        StunAttribute.Numeric controlling = m.get(StunAttributeType.ICE_CONTROLLING);
        StunAttribute.Numeric controlled = m.get(StunAttributeType.ICE_CONTROLLED);
        if (priority == null || priority.value() < 1 || !m.unknownComprehensionRequired().isEmpty()
                || (controlling == null) == (controlled == null)) {
            s.counters.malformed++;
            return;
        }
        if (!s.lite) {
            // Role conflict, RFC 8445 section 7.3.1.1: the current role's strategy decides.
            Nomination.Conflict conflict = s.nomination().conflict(s.tieBreaker, controlling, controlled);
            if (conflict != Nomination.Conflict.NONE) {
                s.counters.roleConflicts++;
                if (conflict == Nomination.Conflict.REJECT) {
                    respond(now, local, remote, m.errorResponse(487, "Role Conflict"), g);
                    return;
                }
                s.switchRole(s.role.opposite());
            }
        }
        respond(now, local, remote,
                m.successResponse().add(StunAttribute.xorMappedAddress(remote.ip(), remote.port())), g);
        boolean useCandidate = m.has(StunAttributeType.USE_CANDIDATE);
        if (g != s.generation) {
            // The previous session: only its selected pair lives on; its checks are consent for the peer.
            CheckPair p = s.checkList.find(local.base, remote, g);
            if (p != null) {
                p.remoteAuthenticated = true;
            }
            return;
        }
        CheckPair p = pairFor(local, remote, priority.value());
        if (p == null) {
            return;
        }
        p.remoteAuthenticated = true;
        if (!s.lite) {
            triggeredCheck(now, p);
        }
        s.nomination().checkReceived(now, p, useCandidate);
    }

    /** The generation whose credentials sign the request (this one, or the one before a restart), or null. */
    private Generation authenticate(StunMessage m) {
        StunAttribute.Text user = m.get(StunAttributeType.USERNAME);
        if (user == null || !m.hasIntegrity() || !m.hasFingerprint()) {
            return null;
        }
        String username = user.value();
        int colon = username.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String ufrag = username.substring(0, colon);
        Generation g = s.generation.local.ufrag().equals(ufrag) ? s.generation
                : s.previous != null && s.previous.local.ufrag().equals(ufrag) ? s.previous : null;
        return g != null && m.verifyIntegrity(g.localKey) ? g : null;
    }

    /** The pair a check arrived on, made (with a peer-reflexive remote candidate, 7.3.1.3) when new. */
    private CheckPair pairFor(LocalCandidate local, TransportAddress remote, long priority) {
        RemoteCandidate rc = s.remoteByAddress(remote);
        if (rc == null) {
            if (s.remotes.size() >= Session.MAX_REMOTE_CANDIDATES && !s.evictUnprovenRemote()) {
                return null;
            }
            IceCandidate learned = IceCandidate.of("prflx" + (++prflxCounter), 1,
                    Math.min(priority, 0xFFFF_FFFFL), remote, CandidateType.PEER_REFLEXIVE, null);
            rc = new RemoteCandidate(learned);
            s.remotes.add(rc);
            if (!s.lite) {
                for (LocalCandidate l : List.copyOf(s.locals)) {
                    if (l != local) {
                        s.checkList.add(l, rc);
                    }
                }
            }
        }
        CheckPair p = s.checkList.find(local.base, remote, s.generation);
        return p != null ? p : s.checkList.add(local, rc);
    }

    /** Triggered check, RFC 8445 section 7.3.1.4. */
    private void triggeredCheck(Instant now, CheckPair p) {
        if (p.state == PairState.IN_PROGRESS && p.check != null && !p.retransmittedOnCheck) {
            // The peer just got through on this pair (its NAT binding or relay permission now exists): our
            // check in progress may get through now too, so retransmit it at once rather than after its RTO.
            p.retransmittedOnCheck = true;
            s.sendFrom(now, p.local, p.remote.address, p.check.request.asBuffer());
        } else if (p.state != PairState.SUCCEEDED && p.state != PairState.IN_PROGRESS) {
            p.state = PairState.WAITING;
            s.checkList.enqueueTriggered(p);
        }
    }

    private void respond(Instant now, LocalCandidate local, TransportAddress remote, StunMessage.Builder b,
            Generation g) {
        StunMessage response = b.integrity(g.localKey).fingerprint().build();
        s.sendFrom(now, local, remote, response.asBuffer());
    }

    /** A response to one of the agent's requests (RFC 8445 section 7.2.5). */
    private void response(Instant now, StunTransaction t, LocalCandidate local, TransportAddress remote,
            StunMessage m) {
        if (t.kind == StunTransaction.Kind.GATHER) {
            if (!remote.equals(t.destination) || !local.base.equals(t.local.base)) {
                s.counters.unknownTransaction++;
                return;
            }
            s.transactions.remove(t);
            s.gathering.response(t, m);
            return;
        }
        CheckPair p = t.pair;
        if (!m.hasFingerprint() || !m.verifyIntegrity(p.generation.remoteKey)) {
            s.counters.unauthenticated++;
            return;
        }
        s.transactions.remove(t);
        if (p.check == t) {
            p.check = null;
        }
        s.consent.answered(t);
        // RFC 8445 section 7.2.5.2.1: the response must come back on the same addresses.
        if (!remote.equals(t.destination) || !local.base.equals(t.local.base)) {
            if (t.kind == StunTransaction.Kind.CHECK) {
                failed(p);
            }
            return;
        }
        if (m.messageClass() == StunClass.ERROR_RESPONSE) {
            StunAttribute.ErrorCode error = m.get(StunAttributeType.ERROR_CODE);
            if (error != null && error.code() == 487 && t.kind == StunTransaction.Kind.CHECK) {
                // RFC 8445 section 7.2.5.1: switch roles and check again.
                s.counters.roleConflicts++;
                if (s.role == t.role) {
                    s.switchRole(t.role.opposite());
                }
                p.nominating = false;
                p.state = p.valid ? PairState.SUCCEEDED : PairState.WAITING;
                if (!p.valid) {
                    s.checkList.enqueueTriggered(p);
                }
            } else if (t.kind == StunTransaction.Kind.CHECK) {
                failed(p);
            }
            return;
        }
        if (p == s.selected) {
            s.consent.refreshed(now); // any authenticated answer on the selected pair is consent (RFC 7675)
        }
        if (t.kind == StunTransaction.Kind.CONSENT) {
            return;
        }
        StunAttribute.Address mapped = m.get(StunAttributeType.XOR_MAPPED_ADDRESS);
        if (mapped == null) {
            s.counters.malformed++;
            failed(p);
            return;
        }
        learnLocalPeerReflexive(p, TransportAddress.udp(mapped.ip(), mapped.port()), t);
        p.state = PairState.SUCCEEDED;
        if (!p.valid) {
            p.valid = true;
            p.validAt = now;
            if (firstValidAt == null) {
                firstValidAt = now;
            }
            s.checkList.unfreeze(p.foundation);
        }
        if (t.useCandidate) {
            p.nominating = false;
            p.nominated = true;
            s.select(now, p);
        } else {
            s.nomination().validated(now, p);
        }
    }

    /** RFC 8445 section 7.2.5.3.1: a mapped address that is no local candidate is a local peer-reflexive one. */
    private void learnLocalPeerReflexive(CheckPair p, TransportAddress mapped, StunTransaction t) {
        if (p.local.relay != null) {
            return; // a relayed candidate's checks leave from the relayed address itself
        }
        for (LocalCandidate l : s.locals) {
            if (mapped.equals(l.address)) {
                return;
            }
        }
        if (s.locals.size() >= Session.MAX_LOCAL_CANDIDATES) {
            return;
        }
        StunAttribute.Numeric sent = t.request.get(StunAttributeType.PRIORITY);
        IceCandidate c = IceCandidate.of(Session.foundation(CandidateType.PEER_REFLEXIVE, p.local.base.ip(), null), 1,
                sent.value(), mapped, CandidateType.PEER_REFLEXIVE, p.local.base);
        // Learned, not signaled (RFC 8445 section 7.2.5.3.1); the pair keeps sending from the same base.
        s.locals.add(new LocalCandidate(c, p.local.base, null, p.local.localPreference));
    }

    private static void failed(CheckPair p) {
        p.state = PairState.FAILED;
        p.nominating = false;
        p.valid = false;
        p.nominateOnSuccess = false;
    }

    void timedOut(StunTransaction t) {
        if (t.pair.check == t) {
            t.pair.check = null;
            failed(t.pair);
        }
    }
}
