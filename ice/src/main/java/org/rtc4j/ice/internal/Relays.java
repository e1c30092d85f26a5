package org.rtc4j.ice.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
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
import org.rtc4j.ice.TurnConnection;
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
     * How long gathering waits for an allocation, from when it was asked for (a restart's may first wait for the
     * release of the one before it on the same 5-tuple), before it reports the server as not reached (701) and
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
        /** When the allocation was asked for. */
        final Instant asked;

        Relay(TurnClient client, IceServerUrl url, LocalCandidate host, Instant asked) {
            this.client = client;
            this.url = url;
            this.host = host;
            this.asked = asked;
        }
    }

    private final Session s;
    private final List<Relay> relays = new ArrayList<>();
    /** TCP connections of released allocations, for the driver to close ({@link #pollReleasedConnection}). */
    private final ArrayDeque<TurnConnection> released = new ArrayDeque<>();
    /** The name of the last TCP connection asked for (see {@link #allocate}). */
    private int connections = -1;
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
            if (c.server().equals(source) && c.local().equals(destination)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Allocates on a server from a host candidate, unless that allocation exists (then it is offered again).
     * An allocation kept for the previous session ({@link #retire}) holds its 5-tuple with this server, which
     * cannot carry two allocations (RFC 8656 7.2, 437 Allocation Mismatch): over UDP the new one goes out from
     * the other socket of the pair the driver keeps per address (the host port, or an extra one, named port 0
     * here); over TCP each allocation has a connection of its own, which the transmits' source port names to
     * the driver (0, 1, 2...; see {@link TurnConnection}).
     */
    void allocate(Instant now, IceServer server, IceServerUrl url, TransportAddress address, LocalCandidate host) {
        Relay lingering = null;
        for (Relay e : relays) {
            if (e.url.equals(url) && e.host.base.equals(host.base) && !e.retired) {
                if (!e.lingering) {
                    if (e.relayed != null && e.client.state() == TurnClient.State.ALLOCATED
                            && !s.locals.contains(e.relayed)) {
                        s.gathering.announce(e.relayed);
                    }
                    return;
                }
                lingering = e;
            }
        }
        TransportAddress local = url.transport() == Transport.TCP
                ? TransportAddress.tcp(host.base.ip(), connections = (connections + 1) & 0xFFFF)
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
        Relay entry = new Relay(client, url, host, now);
        relays.add(entry);
        if (releasing != null) {
            entry.after = releasing; // allocated once the old allocation on this 5-tuple is gone
        } else {
            client.allocate(now);
        }
    }

    /**
     * A restart gathers new relayed candidates (RFC 8445 section 9), as browsers re-allocate: every TURN
     * allocation is released (Deallocate) and allocated anew, with the servers and credentials the new session
     * has. The one allocation that carries the selected pair stays, refreshed (RFC 8656 section 7.3), for the
     * data that keeps flowing until the new session selects a pair: it lingers until then ({@link #selected})
     * while its replacement is made at once, from another socket or connection (see {@link #allocate}).
     */
    void retire(Instant now) {
        for (Relay e : List.copyOf(relays)) {
            if (e.retired) {
                continue;
            }
            if (s.selected != null && s.selected.local.relay == e.client) {
                e.lingering = true;
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

    /** The TCP or TLS connection {@code local} (as its transmits name it) to {@code server} failed: its allocation. */
    void connectionLost(Instant now, TransportAddress server, TransportAddress local, String reason) {
        for (Relay e : relays) {
            if (e.client.server().equals(server) && e.client.local().equals(local)) {
                e.client.giveUp(reason);
            }
        }
        drain(now);
    }

    /** The TCP connection of an allocation that was released, for the driver to close; or null. */
    TurnConnection pollReleasedConnection() {
        return released.poll();
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
                giveUp(e, now);
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

    /** When an allocation still on its way (or waiting for the release before it) is given up, or null. */
    private static Instant deadline(Relay e) {
        return !e.retired && (e.client.state() == TurnClient.State.ALLOCATING
                || (e.client.state() == TurnClient.State.IDLE && e.after != null))
                ? e.asked.plus(ALLOCATE_DEADLINE) : null;
    }

    /** The deadline passed: the allocation fails as an icecandidateerror (701), and gathering goes on. */
    private void giveUp(Relay e, Instant now) {
        String within = " within " + ALLOCATE_DEADLINE.toSeconds() + " s";
        if (e.client.state() == TurnClient.State.ALLOCATING) {
            e.client.giveUp("no answer from TURN server " + e.client.server() + within);
            return;
        }
        // still waiting for the previous allocation on its 5-tuple, whose release the server did not answer
        e.retired = true;
        e.after = null;
        e.client.close(now);
        candidateError(e, 701, "the previous allocation from " + e.client.local() + " on TURN server "
                + e.client.server() + " was not released" + within);
    }

    private void candidateError(Relay e, int code, String reason) {
        s.events.add(new IceEvent.CandidateError(e.url.toString(), e.host.base.ip().getHostAddress(),
                e.host.base.port(), code, reason));
        s.gathering.checkComplete();
    }

    /** Drops released allocations and starts the new ones that waited for them. */
    private void reap(Instant now) {
        boolean removed = relays.removeIf(e -> {
            boolean gone = e.retired && (e.client.state() == TurnClient.State.CLOSED
                    || e.client.state() == TurnClient.State.FAILED);
            if (gone && e.client.local().transport() == Transport.TCP) {
                released.add(new TurnConnection(e.client.local(), e.client.server()));
            }
            return gone;
        });
        if (!removed) {
            return;
        }
        for (Relay e : relays) {
            if (e.after != null && !relays.contains(e.after)) {
                e.after = null;
                if (!s.closed && e.client.state() == TurnClient.State.IDLE) {
                    e.client.allocate(now);
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
                    candidateError(e, f.code(), f.reason());
                }
            }
            default -> {
                // Permissions, channels and refreshes need nothing from the agent.
            }
        }
    }
}
