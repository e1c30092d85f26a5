package org.rtc4j.ice.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.ice.IcePriority;
import org.rtc4j.ice.IceServer;
import org.rtc4j.ice.IceServerUrl;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/**
 * Gathering (RFC 8445 section 5.1.1): a host candidate per socket, server-reflexive ones from STUN servers,
 * relayed ones through the {@link Relays}; announced as they come (trickle, RFC 8838), or held for the pool
 * (the W3C {@code iceCandidatePoolSize}) until the application gathers.
 */
final class Gathering {

    private final Session s;
    /** The host candidates by their socket address. */
    private final Map<TransportAddress, LocalCandidate> hostsByBase = new HashMap<>();
    private final List<IceEvent> held = new ArrayList<>();
    private IceGatheringState state = IceGatheringState.NEW;
    private boolean pooled;

    Gathering(Session s) {
        this.s = s;
    }

    IceGatheringState state() {
        return state;
    }

    boolean pooled() {
        return pooled;
    }

    /** The host candidate of a local socket, or null. */
    LocalCandidate hostAt(TransportAddress socket) {
        return hostsByBase.get(socket);
    }

    /** Gathers ahead of time without announcing (the pool). */
    void prepare(Instant now) {
        if (state != IceGatheringState.NEW || pooled) {
            return;
        }
        pooled = true;
        start(now);
    }

    /** Starts gathering, or announces what the pool holds and goes on. */
    void gather(Instant now) {
        if (pooled) {
            pooled = false;
            s.events.addAll(held);
            held.clear();
            return;
        }
        if (state == IceGatheringState.NEW) {
            start(now);
        }
    }

    private void start(Instant now) {
        setState(IceGatheringState.GATHERING);
        addHosts();
        fromServers(now);
        checkComplete();
    }

    /** A restart gathers everything again (RFC 8445 section 9), relays released and allocated anew. */
    void restart(Instant now) {
        s.locals.clear();
        hostsByBase.clear();
        s.relays.retire(now);
        state = IceGatheringState.NEW;
        setState(IceGatheringState.GATHERING);
        addHosts();
        fromServers(now);
        checkComplete();
    }

    private void addHosts() {
        for (int i = 0; i < s.localAddresses.size(); i++) {
            addHost(s.localAddresses.get(i), i);
        }
    }

    void addHost(TransportAddress address, int index) {
        if (hostsByBase.containsKey(address) || s.locals.size() >= Session.MAX_LOCAL_CANDIDATES) {
            return;
        }
        int lp = IcePriority.localPreference(index, address.isIpv6(), 0);
        IceCandidate c = IceCandidate.of(Session.foundation(CandidateType.HOST, address.ip(), null), 1,
                IcePriority.candidate(CandidateType.HOST.typePreference(), lp, 1), address, CandidateType.HOST, null);
        LocalCandidate host = new LocalCandidate(c, address, null, lp);
        hostsByBase.put(address, host);
        announce(host);
    }

    private void fromServers(Instant now) {
        if (s.lite) {
            return;
        }
        for (IceServer server : s.config.servers()) {
            for (IceServerUrl url : server.urls()) {
                if (url.scheme().isSecure() && !url.scheme().isTurn()) {
                    // stuns: is not used by browsers; reported as they report an unreachable server. turns:
                    // goes to the server over TCP like turn:?transport=tcp, and the socket driver adds TLS.
                    s.events.add(new IceEvent.CandidateError(url.toString(), null, 0, 701,
                            url.scheme().token() + ": (STUN over TLS) is not supported"));
                    continue;
                }
                // The agent never resolves (a look-up would block the I/O thread): IceServerResolver does,
                // before gathering; a name it could not resolve is the W3C's 701 error, not a stall.
                TransportAddress address = url.serverAddress();
                if (address == null) {
                    s.events.add(new IceEvent.CandidateError(url.toString(), null, 0, 701,
                            "cannot resolve " + url.host()));
                    continue;
                }
                for (LocalCandidate host : List.copyOf(hostsByBase.values())) {
                    if (host.base.isIpv6() != address.isIpv6()
                            || host.base.ip().isLoopbackAddress() != address.ip().isLoopbackAddress()) {
                        continue;
                    }
                    if (url.scheme().isTurn()) {
                        s.relays.allocate(now, server, url, address, host);
                    } else if (url.transport() == Transport.UDP) {
                        reflexive(now, url, address, host);
                    }
                }
            }
        }
        s.relays.drain(now);
    }

    /** A Binding request to a STUN server: the answer is our address as the server sees it. */
    private void reflexive(Instant now, IceServerUrl url, TransportAddress server, LocalCandidate host) {
        StunMessage m = StunMessage.builder(StunMethod.BINDING, StunClass.REQUEST, s.newTransactionId())
                .fingerprint().build();
        StunTransaction t = new StunTransaction(StunTransaction.Kind.GATHER, m, host, server, null, url, false,
                s.role);
        s.transactions.add(t, now, Transactions.GATHER_RTO);
        s.sendFrom(now, host, server, m.asBuffer());
    }

    void response(StunTransaction t, StunMessage m) {
        if (m.messageClass() == StunClass.SUCCESS_RESPONSE) {
            StunAttribute.Address mapped = m.get(StunAttributeType.XOR_MAPPED_ADDRESS);
            if (mapped == null) {
                mapped = m.get(StunAttributeType.MAPPED_ADDRESS);
            }
            if (mapped != null) {
                addReflexive(TransportAddress.udp(mapped.ip(), mapped.port()), t.local, t.destination.ip());
            } else {
                s.counters.malformed++;
            }
        } else {
            StunAttribute.ErrorCode e = m.get(StunAttributeType.ERROR_CODE);
            s.events.add(new IceEvent.CandidateError(t.url.toString(), t.local.base.ip().getHostAddress(),
                    t.local.base.port(), e == null ? 400 : e.code(), e == null ? "error" : e.reason()));
        }
        checkComplete();
    }

    void timedOut(StunTransaction t) {
        s.events.add(new IceEvent.CandidateError(t.url.toString(), t.local.base.ip().getHostAddress(),
                t.local.base.port(), 701, "STUN server did not answer"));
        checkComplete();
    }

    void addReflexive(TransportAddress mapped, LocalCandidate host, InetAddress server) {
        for (LocalCandidate l : s.locals) {
            if (mapped.equals(l.address)) {
                return; // no NAT in between, or already known: redundant (RFC 8445 section 5.1.3)
            }
        }
        IceCandidate c = IceCandidate.of(Session.foundation(CandidateType.SERVER_REFLEXIVE, host.base.ip(), server),
                1, IcePriority.candidate(CandidateType.SERVER_REFLEXIVE.typePreference(), host.localPreference, 1),
                mapped, CandidateType.SERVER_REFLEXIVE, host.base);
        announce(new LocalCandidate(c, host.base, null, host.localPreference));
    }

    /** A new local candidate: announced (or held for the pool) and paired with the remote candidates. */
    void announce(LocalCandidate l) {
        if (s.locals.size() >= Session.MAX_LOCAL_CANDIDATES) {
            return;
        }
        s.locals.add(l);
        if (s.config.relayOnly() && l.relay == null) {
            return; // the host still carries the relay's traffic; it is just not offered or checked
        }
        emit(new IceEvent.LocalCandidate(l.candidate));
        if (!s.lite && l.pairs()) {
            for (RemoteCandidate r : s.remotes) {
                s.checkList.add(l, r);
            }
        }
    }

    private void emit(IceEvent e) {
        if (pooled) {
            held.add(e);
        } else {
            s.events.add(e);
        }
    }

    private void setState(IceGatheringState value) {
        if (state != value) {
            state = value;
            emit(new IceEvent.GatheringStateChanged(value));
        }
    }

    /** Gathering is complete when no STUN query is out and no allocation is pending. */
    void checkComplete() {
        if (state != IceGatheringState.GATHERING || s.transactions.any(StunTransaction.Kind.GATHER)
                || s.relays.pending()) {
            return;
        }
        setState(IceGatheringState.COMPLETE);
        s.states.update(s.lastNow);
    }
}
