package org.rtc4j.ice.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IcePriority;
import org.rtc4j.ice.IceServer;
import org.rtc4j.ice.IceServerUrl;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.turn.TurnClient;
import org.rtc4j.ice.turn.TurnEvent;

/**
 * The agent's TURN allocations (RFC 8656), one per server URL and host candidate, each a {@link TurnClient}
 * whose transmits and events the agent forwards: an allocation becomes a relayed candidate (and its mapped
 * address a server-reflexive one), a failure a candidate error.
 */
final class Relays {

    /**
     * How long gathering waits for an allocation before it reports the server as not reached (701) and
     * completes without it: a server that never answers would otherwise hold gathering for the 39.5 s of a
     * STUN transaction (RFC 8489 section 6.2.1).
     */
    static final Duration ALLOCATE_DEADLINE = Duration.ofSeconds(5);

    /** A TURN allocation of the agent: from one host candidate to one server URL. */
    static final class Relay {
        final TurnClient client;
        final IceServerUrl url;
        final LocalCandidate host;
        LocalCandidate relayed;
        /** Released by a restart: Deallocate sent; it stays only until the server answers. */
        boolean retired;
        /** Kept by a restart for the old session's selected pair, until the new session selects one. */
        boolean lingering;
        /** An allocation on the same 5-tuple that must be released before this one may start (RFC 8656 7.2). */
        Relay after;
        /** When the Allocate went out, or null before. */
        Instant started;

        Relay(TurnClient client, IceServerUrl url, LocalCandidate host) {
            this.client = client;
            this.url = url;
            this.host = host;
        }
    }

    private final Session s;
    private final List<Relay> relays = new ArrayList<>();
    private boolean draining;

    Relays(Session s) {
        this.s = s;
    }

    boolean isEmpty() {
        return relays.isEmpty();
    }

    /** The allocation a datagram from a TURN server belongs to, or null. */
    Relay relayFor(TransportAddress source, TransportAddress destination) {
        for (Relay e : relays) {
            TurnClient c = e.client;
            if (c.state() == TurnClient.State.IDLE) {
                continue; // waits for a released allocation on the same 5-tuple, which gets the answers
            }
            if (c.server().equals(source) && (c.local().transport() == Transport.UDP
                    ? c.local().equals(destination) : c.local().ip().equals(destination.ip()))) {
                return e;
            }
        }
        return null;
    }

    /**
     * Allocates on a server from a host candidate, unless that allocation exists (then, kept over TCP by a
     * restart, it is offered again). An allocation kept over UDP for the previous session ({@link #retire})
     * holds the host socket's 5-tuple with this server, which cannot carry two allocations (RFC 8656 7.2, 437
     * Allocation Mismatch): the new one goes out from the other socket of the pair the driver keeps per address
     * (the host port, or an extra one, named port 0 here).
     */
    void allocate(Instant now, IceServer server, IceServerUrl url, TransportAddress address, LocalCandidate host) {
        Relay lingering = null;
        for (Relay e : relays) {
            if (e.url.equals(url) && e.host.base.equals(host.base) && !e.retired) {
                if (!e.lingering) {
                    if (e.relayed != null && e.client.state() == TurnClient.State.ALLOCATED
                            && !s.locals.contains(e.relayed)) {
                        s.gathering.announce(e.relayed); // kept over TCP: it serves the new session too
                    }
                    return;
                }
                lingering = e;
            }
        }
        TransportAddress local = url.transport() == Transport.TCP ? TransportAddress.tcp(host.base.ip(), 0)
                : lingering != null && lingering.client.local().equals(host.base)
                ? TransportAddress.udp(host.base.ip(), 0) : host.base;
        Relay releasing = null;
        for (Relay e : relays) {
            if (e.retired && e.client.server().equals(address) && e.client.local().equals(local)) {
                releasing = e;
            }
        }
        TurnClient client = new TurnClient(local, address, server.username(), server.credential(), s.config.random(),
                s.config.turnLifetime());
        Relay entry = new Relay(client, url, host);
        relays.add(entry);
        if (releasing != null) {
            entry.after = releasing; // allocated once the old allocation on this 5-tuple is gone
        } else {
            start(entry, now);
        }
    }

    private static void start(Relay e, Instant now) {
        e.started = now;
        e.client.allocate(now);
    }

    /**
     * A restart gathers new relayed candidates (RFC 8445 section 9), as browsers re-allocate: every TURN
     * allocation is released (Deallocate) and allocated anew, with the servers and credentials the new session
     * has. The one allocation that carries the selected pair stays, refreshed (RFC 8656 section 7.3), for the
     * data that keeps flowing until the new session selects a pair: over UDP it lingers until then
     * ({@link #selected}) while its replacement is made at once (see {@link #allocate}); over TCP, whose one
     * connection per server coturn resets when an allocation on it is released, it serves the new session too.
     */
    void retire(Instant now) {
        for (Relay e : List.copyOf(relays)) {
            if (e.retired) {
                continue;
            }
            if (s.selected != null && s.selected.local.relay == e.client) {
                e.lingering = e.client.local().transport() == Transport.UDP;
                e.client.refresh(now);
                continue;
            }
            release(e, now);
        }
        drain(now);
    }

    /** A pair of the new session was selected: an allocation kept for the old one goes, unless it carries it. */
    void selected(Instant now, CheckPair p) {
        for (Relay e : relays) {
            if (e.lingering && !e.retired && p.local.relay != e.client) {
                release(e, now);
            }
        }
        drain(now);
    }

    private static void release(Relay e, Instant now) {
        e.retired = true;
        e.client.close(now);
    }

    /** The TCP or TLS connection from {@code localIp} to {@code server} failed: its allocations with it. */
    void connectionLost(Instant now, TransportAddress server, InetAddress localIp, String reason) {
        for (Relay e : relays) {
            TurnClient c = e.client;
            if (c.server().equals(server) && c.local().transport() == Transport.TCP && c.local().ip().equals(localIp)) {
                c.giveUp(reason);
            }
        }
        drain(now);
    }

    /** Releases every allocation (the agent closes). */
    void closeAll(Instant now) {
        for (Relay e : relays) {
            e.client.close(now);
        }
        drain(now);
    }

    /** Whether an allocation of this session is still on its way (gathering is not complete then). */
    boolean pending() {
        for (Relay e : relays) {
            if (!e.retired && (e.client.state() == TurnClient.State.ALLOCATING
                    || (e.client.state() == TurnClient.State.IDLE && e.after != null))) {
                return true;
            }
        }
        return false;
    }

    long malformed() {
        long n = 0;
        for (Relay e : relays) {
            n += e.client.stats().malformed();
        }
        return n;
    }

    void handleTimeout(Instant now) {
        for (Relay e : relays) {
            Instant t = e.client.pollTimeout();
            if (t != null && !now.isBefore(t)) {
                e.client.handleTimeout(now);
            }
            Instant deadline = deadline(e);
            if (deadline != null && !now.isBefore(deadline)) {
                e.client.giveUp("no answer from TURN server " + e.client.server() + " within "
                        + ALLOCATE_DEADLINE.toSeconds() + " s");
            }
        }
        drain(now);
    }

    Instant pollTimeout() {
        Instant next = null;
        for (Relay e : relays) {
            next = Session.min(Session.min(next, e.client.pollTimeout()), deadline(e));
        }
        return next;
    }

    /** When an allocation still on its way is given up, or null. */
    private static Instant deadline(Relay e) {
        return e.started != null && !e.retired && e.client.state() == TurnClient.State.ALLOCATING
                ? e.started.plus(ALLOCATE_DEADLINE) : null;
    }

    /** Drops released allocations and starts the new ones that waited for them. */
    private void reap(Instant now) {
        boolean removed = relays.removeIf(e -> e.retired && (e.client.state() == TurnClient.State.CLOSED
                || e.client.state() == TurnClient.State.FAILED));
        if (!removed) {
            return;
        }
        for (Relay e : relays) {
            if (e.after != null && !relays.contains(e.after)) {
                e.after = null;
                if (!s.closed && e.client.state() == TurnClient.State.IDLE) {
                    start(e, now);
                }
            }
        }
    }

    /** Forwards what the TURN clients want sent, and acts on their events. */
    void drain(Instant now) {
        if (draining) {
            return;
        }
        draining = true;
        try {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int i = 0; i < relays.size(); i++) {
                    Relay e = relays.get(i);
                    for (Transmit t; (t = e.client.pollTransmit()) != null; ) {
                        progress = true;
                        s.queue(t);
                    }
                    for (TurnEvent ev; (ev = e.client.pollEvent()) != null; ) {
                        progress = true;
                        event(e, ev);
                    }
                }
                int before = relays.size();
                reap(now);
                progress |= relays.size() != before;
            }
        } finally {
            draining = false;
        }
    }

    private void event(Relay e, TurnEvent ev) {
        if (e.retired) {
            return; // a released allocation: its answers matter to no session
        }
        switch (ev) {
            case TurnEvent.Allocated a -> {
                if (s.closed) {
                    return;
                }
                int rank = e.url.transport() == Transport.TCP ? 1 : 0;
                int lp = IcePriority.localPreference(s.localAddresses.indexOf(e.host.base), a.relayed().isIpv6(),
                        rank);
                IceCandidate c = IceCandidate.of(Session.foundation(CandidateType.RELAYED, e.host.base.ip(),
                        e.client.server().ip()), 1,
                        IcePriority.candidate(CandidateType.RELAYED.typePreference(), lp, 1),
                        a.relayed(), CandidateType.RELAYED, a.mapped() == null ? null
                                : TransportAddress.udp(a.mapped().ip(), a.mapped().port()));
                e.relayed = new LocalCandidate(c, a.relayed(), e.client, lp);
                if (a.mapped() != null && a.mapped().transport() == Transport.UDP && e.client.local().equals(e.host.base)) {
                    s.gathering.addReflexive(a.mapped(), e.host, e.client.server().ip());
                }
                s.gathering.announce(e.relayed);
                s.gathering.checkComplete();
            }
            case TurnEvent.Failed f -> {
                if (f.method() == StunMethod.ALLOCATE || f.method() == StunMethod.REFRESH) {
                    s.events.add(new IceEvent.CandidateError(e.url.toString(), e.host.base.ip().getHostAddress(),
                            e.host.base.port(), f.code(), f.reason()));
                    s.gathering.checkComplete();
                }
            }
            default -> {
                // Permissions, channels and refreshes need nothing from the agent.
            }
        }
    }
}
