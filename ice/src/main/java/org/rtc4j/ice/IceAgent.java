package org.rtc4j.ice;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;
import org.rtc4j.ice.turn.TurnClient;
import org.rtc4j.ice.turn.TurnEvent;

/**
 * A full ICE agent (RFC 8445) for one component (rtcp-mux and BUNDLE, as browsers use), as a sans-IO
 * {@link Engine}: trickle (RFC 8838), consent freshness (RFC 7675), ICE restart, remote ICE-lite peers, and
 * relayed candidates through its own TURN clients (RFC 8656). It can also be a lite agent itself.
 *
 * <p>The driver binds the sockets and tells the agent their addresses ({@link #addLocalAddress}); the
 * agent sends STUN, TURN and application data as {@link Transmit}s from those addresses (to a TURN server
 * over TCP: destination the server's TCP address, source port 0; see {@link TurnClient}). It also resolves
 * nothing itself: the peer's {@code .local} (mDNS) names come out of {@link #pollMdnsQuery} for the driver to
 * look up ({@link IceUdpRunner} does, with {@link org.rtc4j.ice.mdns.MdnsResolver}) and go back in through
 * {@link #mdnsResolved}.
 *
 * <pre>{@code
 * IceAgent agent = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLING).servers(stun, turn).build());
 * agent.addLocalAddress(socketAddress);
 * agent.gather(now);                                 // IceEvent.LocalCandidate: signal them
 * agent.setRemoteCredentials(ufrag, pwd);            // from the peer's description
 * agent.addRemoteCandidate("candidate:...");         // trickled; then endOfRemoteCandidates()
 * // drive: handleInput / handleTimeout / pollTransmit / pollEvent / pollTimeout
 * agent.send(now, datagram);                         // on the selected pair, once connected
 * }</pre>
 *
 * <p>Trust (DESIGN.md): only a Binding request with a valid MESSAGE-INTEGRITY and FINGERPRINT creates a
 * remote address (peer-reflexive) or lets its data in; only an authenticated response validates a pair.
 * Everything else is dropped and counted ({@link #stats()}).
 */
public final class IceAgent implements Engine<IceEvent> {

    /**
     * Receives application data from the selected (or another authenticated) pair; valid during the call.
     * A driver's callback to its application ({@link IceUdpRunner.Settings#data}); the agent's own
     * {@link #onData} is deprecated in favour of {@link #receive}.
     */
    @FunctionalInterface
    public interface DataHandler {
        void data(CandidatePair pair, ByteBuffer data);
    }

    private static final int MAX_QUEUED_TRANSMITS = 4096;
    private static final int MAX_QUEUED_EVENTS = 4096;
    private static final int MAX_REMOTE_CANDIDATES = 200;
    private static final int MAX_LOCAL_CANDIDATES = 200;
    private static final int GATHER_TRANSMISSIONS = 7;
    private static final Duration GATHER_RTO = Duration.ofMillis(500);

    private final IceConfig config;
    private final long tieBreaker;
    private IceRole role;
    private final boolean lite;
    private boolean remoteLite;

    private Generation generation;
    /** The generation before a restart, while its selected pair still carries data. */
    private Generation previous;
    private final List<TransportAddress> localAddresses = new ArrayList<>();
    private final List<LocalCandidate> locals = new ArrayList<>();
    private final Map<TransportAddress, LocalCandidate> hostsByBase = new HashMap<>();
    private List<RemoteCandidate> remotes = new ArrayList<>();
    private final List<CheckPair> pairs = new ArrayList<>();
    private final ArrayDeque<CheckPair> triggered = new ArrayDeque<>();
    private final Map<TransactionId, StunTransaction> transactions = new HashMap<>();
    private final List<TurnEntry> relays = new ArrayList<>();
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<IceEvent> events = new ArrayDeque<>();
    private final List<IceEvent> held = new ArrayList<>();
    /** {@code .local} names of remote candidates for the driver to resolve, and those already asked for. */
    private final ArrayDeque<String> mdnsQueries = new ArrayDeque<>();
    private final java.util.Set<String> mdnsAsked = new java.util.HashSet<>();
    private DataHandler dataHandler;
    /** The pair of the data {@link #receive} or {@link #receiveNext} returned last, or null. */
    private CandidatePair lastReceivedPair;
    /** The relay whose TCP segment {@link #receiveNext} reads on, or null. */
    private TurnEntry receivingRelay;

    private IceConnectionState connectionState = IceConnectionState.NEW;
    private IceGatheringState gatheringState = IceGatheringState.NEW;
    private boolean pooled;
    private boolean closed;
    private CheckPair selected;
    private boolean consentExpired;
    private Instant lastConsent;
    private Instant nextConsentAt;
    private StunTransaction consentCheck;
    private Instant nextCheckAt;
    private Instant firstValidAt;
    /** Since when every pair has failed with nothing left to check (no end-of-candidates needed), or null. */
    private Instant exhaustedSince;
    private Instant lastNow = Instant.EPOCH;
    private int prflxCounter;
    private boolean drainingRelays;
    private final byte[] idBytes = new byte[TransactionId.LENGTH];

    private long checksSent;
    private long checksReceived;
    private long malformed;
    private long unauthenticated;
    private long unknownTransaction;
    private long unauthenticatedData;
    private long unknownDestination;
    private long roleConflicts;
    private long dataReceived;
    private long dataSent;

    /** A TURN allocation of the agent: from one host candidate to one server URL. */
    private static final class TurnEntry {
        final TurnClient client;
        final IceServerUrl url;
        final LocalCandidate host;
        LocalCandidate relayed;
        /** Released by a restart: Deallocate sent; it stays only until the server answers. */
        boolean retired;
        /** An allocation on the same 5-tuple that must be released before this one may start (RFC 8656 7.2). */
        TurnEntry after;

        TurnEntry(TurnClient client, IceServerUrl url, LocalCandidate host) {
            this.client = client;
            this.url = url;
            this.host = host;
        }
    }

    public IceAgent(IceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.lite = config.lite();
        this.role = lite ? IceRole.CONTROLLED : config.role();
        this.tieBreaker = config.random().nextLong();
        this.generation = new Generation(0, IceCredentials.random(config.random()));
    }

    // ---------------------------------------------------------------- the application's side

    /** The local ufrag and password to signal (new after each {@link #restart}). */
    public IceCredentials localCredentials() {
        return generation.local;
    }

    public IceRole role() {
        return role;
    }

    public boolean isLite() {
        return lite;
    }

    public IceConnectionState connectionState() {
        return connectionState;
    }

    public IceGatheringState gatheringState() {
        return gatheringState;
    }

    /** The selected pair, or {@code null}. */
    public CandidatePair selectedPair() {
        return selected == null ? null : selected.view();
    }

    /**
     * The pair {@link #send} uses: the selected pair, or before there is one the best valid pair of the current
     * generation (RFC 8445 section 12.1: an agent MAY send data on any valid pair before selection), so a DTLS
     * handshake need not wait for the controlling agent's nomination. {@code null} when no pair is valid.
     */
    public CandidatePair sendingPair() {
        CheckPair p = sendPair();
        return p == null ? null : p.view();
    }

    private CheckPair sendPair() {
        if (selected != null) {
            return selected;
        }
        CheckPair best = null;
        for (CheckPair p : pairs) {
            if (p.generation == generation && p.valid && (best == null || p.priority > best.priority)) {
                best = p;
            }
        }
        return best;
    }

    /** The local candidates gathered or learned so far (peer-reflexive ones included). */
    public List<IceCandidate> localCandidates() {
        return locals.stream().map(l -> l.candidate).toList();
    }

    public List<IceCandidate> remoteCandidates() {
        return remotes.stream().map(r -> r.candidate).toList();
    }

    /**
     * Data goes to this handler instead of {@link IceEvent.Data} events (no copy per datagram).
     *
     * @deprecated a callback into the owner; take the data {@link #receive} returns instead
     */
    @Deprecated(forRemoval = true)
    public void onData(DataHandler handler) {
        this.dataHandler = handler;
    }

    /**
     * A local socket the driver has bound (UDP; other transports are ignored). Its host candidate goes out
     * when gathering starts, or at once when gathering has started already.
     */
    public void addLocalAddress(TransportAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.transport() != Transport.UDP || localAddresses.contains(address)) {
            return;
        }
        localAddresses.add(address);
        if (gatheringState != IceGatheringState.NEW || pooled) {
            addHost(address, localAddresses.size() - 1);
        }
    }

    /**
     * A local socket went away (an interface went down): it is no longer gathered on, from the next
     * {@link #restart} on; the selected pair keeps working as long as the driver can still send on it.
     */
    public void removeLocalAddress(TransportAddress address) {
        localAddresses.remove(address);
    }

    /**
     * Gathers ahead of time (the W3C {@code iceCandidatePoolSize}): host, reflexive and relayed candidates
     * are made, but not announced until {@link #gather} is called.
     */
    public void prepare(Instant now) {
        lastNow = now;
        if (gatheringState != IceGatheringState.NEW || pooled) {
            return;
        }
        pooled = true;
        startGathering(now);
    }

    /** Starts gathering (or, after {@link #prepare}, announces what the pool holds and goes on). */
    public void gather(Instant now) {
        lastNow = now;
        if (closed) {
            return;
        }
        if (pooled) {
            pooled = false;
            events.addAll(held);
            held.clear();
            return;
        }
        if (gatheringState == IceGatheringState.NEW) {
            startGathering(now);
        }
    }

    /**
     * The peer's ufrag and password. New ones after a connection was set up mean the peer restarted: the
     * agent restarts too (its own new credentials must then be signaled).
     *
     * @throws IllegalArgumentException when they break RFC 8839's grammar (the user's input)
     */
    public void setRemoteCredentials(String ufrag, String password) {
        IceCredentials remote = new IceCredentials(ufrag, password);
        if (generation.remote != null && !generation.remote.equals(remote)) {
            restart(lastNow);
        }
        if (generation.remote == null) {
            generation.remote(remote);
            kick();
        }
    }

    /** The peer is an ICE-lite agent (RFC 8445 section 6.1.1): a full agent then controls. */
    public void setRemoteLite(boolean value) {
        remoteLite = value;
        if (value && !lite && role == IceRole.CONTROLLED) {
            switchRole(IceRole.CONTROLLING);
        }
    }

    /**
     * Adds a remote candidate (trickle, RFC 8838). TCP candidates are kept but not checked. A UDP candidate
     * with a {@code .local} name is kept unchecked and its name queued for the driver ({@link #pollMdnsQuery});
     * when the driver answers ({@link #mdnsResolved}) it is checked like any other, and when no answer comes
     * (a network without multicast) the peer is found as peer-reflexive once its checks arrive.
     *
     * @throws IllegalArgumentException for a malformed line (the user's input)
     */
    public void addRemoteCandidate(String line) {
        addRemoteCandidate(IceCandidate.parse(line));
    }

    public void addRemoteCandidate(IceCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (closed || candidate.component() != 1 || remotes.size() >= MAX_REMOTE_CANDIDATES) {
            return;
        }
        TransportAddress address = candidate.transportAddress();
        if (address != null) {
            RemoteCandidate existing = remoteByAddress(address);
            if (existing != null) {
                if (existing.candidate.type() == CandidateType.PEER_REFLEXIVE) {
                    // The signaled candidate replaces the one learned from a check (RFC 8445 section 7.3.1.3).
                    existing.candidate = candidate;
                    recomputePriorities();
                }
                return;
            }
        }
        if (candidate.isMdns() && candidate.transport() == Transport.UDP) {
            String name = candidate.address().toLowerCase(java.util.Locale.ROOT);
            if (mdnsAsked.add(name)) {
                mdnsQueries.add(name);
            }
        }
        RemoteCandidate remote = new RemoteCandidate(candidate);
        remotes.add(remote);
        if (!lite) {
            for (LocalCandidate local : List.copyOf(locals)) {
                addPair(local, remote);
            }
        }
        kick();
    }

    /**
     * A {@code .local} name the driver should resolve by multicast DNS (RFC 6762) and answer with
     * {@link #mdnsResolved}, or null. Each name is asked for once per session; not answering is fine (the
     * peer is then found as peer-reflexive).
     */
    public String pollMdnsQuery() {
        return mdnsQueries.poll();
    }

    /**
     * The address a {@code .local} name resolved to: the remote candidates with that name get it and are
     * checked (a peer-reflexive candidate already learned at that address takes the signaled one's type and
     * priority, RFC 8445 section 7.3.1.3). A null address (no answer) changes nothing.
     */
    public void mdnsResolved(Instant now, String name, InetAddress address) {
        lastNow = now;
        if (closed || address == null || name == null || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return; // no answer, or one that no check could be sent to
        }
        for (IceCandidate c : remotes.stream().filter(r -> r.address == null && r.candidate.isMdns()
                && r.candidate.address().equalsIgnoreCase(name)).map(r -> r.candidate).toList()) {
            remotes.removeIf(r -> r.candidate == c);
            addRemoteCandidate(c.resolved(address));
        }
        afterActivity(now);
    }

    /** The peer's end-of-candidates indication (RFC 8838 section 8.2). */
    public void endOfRemoteCandidates() {
        generation.remoteEndOfCandidates = true;
        updateState(lastNow);
    }

    /**
     * ICE restart (RFC 8445 section 9): new local credentials and a new gathering; data stays on the
     * selected pair until a pair of the new session is selected. The peer's new credentials and candidates
     * follow with {@link #setRemoteCredentials} and {@link #addRemoteCandidate}.
     */
    public void restart(Instant now) {
        lastNow = now;
        if (closed) {
            return;
        }
        if (consentExpired) {
            selected = null;
            consentExpired = false;
        }
        previous = selected != null ? selected.generation : null;
        generation = new Generation(generation.number + 1, IceCredentials.random(config.random()));
        pairs.removeIf(p -> p != selected);
        transactions.values().removeIf(t -> t.kind != StunTransaction.Kind.CONSENT);
        triggered.clear();
        remotes = new ArrayList<>();
        mdnsQueries.clear();
        mdnsAsked.clear();
        firstValidAt = null;
        nextCheckAt = null;
        locals.clear();
        hostsByBase.clear();
        retireRelays(now);
        gatheringState = IceGatheringState.NEW;
        setGathering(IceGatheringState.GATHERING);
        for (int i = 0; i < localAddresses.size(); i++) {
            addHost(localAddresses.get(i), i);
        }
        gatherFromServers(now, false);
        checkGatheringComplete();
        updateState(now);
    }

    /**
     * A restart gathers new relayed candidates (RFC 8445 section 9), as browsers re-allocate: every TURN
     * allocation is released (Deallocate) and, once the server has answered, allocated again from the same
     * socket (the same 5-tuple cannot hold two allocations: RFC 8656 section 7.2, 437 Allocation Mismatch).
     * The one allocation that carries the selected pair stays, for the media that keeps flowing until the new
     * session selects a pair; it is refreshed (RFC 8656 section 7.3) and offered to the new session again.
     */
    private void retireRelays(Instant now) {
        for (TurnEntry e : List.copyOf(relays)) {
            if (e.retired) {
                continue;
            }
            if (selected != null && selected.local.relay == e.client) {
                e.client.refresh(now);
                continue;
            }
            e.retired = true;
            e.client.close(now);
        }
        drainRelays(now);
    }

    /** Drops released allocations and starts the new ones that waited for them. */
    private void reapRelays(Instant now) {
        boolean removed = relays.removeIf(e -> e.retired && (e.client.state() == TurnClient.State.CLOSED
                || e.client.state() == TurnClient.State.FAILED));
        if (!removed) {
            return;
        }
        for (TurnEntry e : relays) {
            if (e.after != null && !relays.contains(e.after)) {
                e.after = null;
                if (!closed && e.client.state() == TurnClient.State.IDLE) {
                    e.client.allocate(now);
                }
            }
        }
    }

    /**
     * Sends application data on the selected pair (through the relay when its local candidate is
     * relayed). Returns false when there is no usable pair (none selected yet, or consent expired).
     */
    public boolean send(Instant now, ByteBuffer data) {
        CheckPair pair = sendPair();
        if (pair == null || consentExpired || closed) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        dataSent++;
        return sendFrom(now, pair.local, pair.remote.address, copy);
    }

    /** Closes the agent: TURN allocations are released; nothing more is sent after that. */
    public void close(Instant now) {
        lastNow = now;
        if (closed) {
            return;
        }
        closed = true;
        for (TurnEntry e : relays) {
            e.client.close(now);
        }
        drainRelays(now);
        pairs.clear();
        transactions.clear();
        triggered.clear();
        selected = null;
        updateState(now);
    }

    public IceStats stats() {
        long relayMalformed = 0;
        for (TurnEntry e : relays) {
            relayMalformed += e.client.stats().malformed();
        }
        return new IceStats(checksSent, checksReceived, malformed + relayMalformed, unauthenticated,
                unknownTransaction, unauthenticatedData, unknownDestination, roleConflicts, dataReceived, dataSent);
    }

    // ---------------------------------------------------------------- the driver's side

    /**
     * {@link #receive} for generic pumps: application data becomes an {@link IceEvent.Data} holding a copy
     * (or goes to the deprecated {@link #onData} handler).
     */
    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        for (ByteBuffer d = receive(now, source, destination, data); d != null; d = receiveNext(now)) {
            if (dataHandler != null) {
                dataHandler.data(lastReceivedPair, d);
            } else if (events.size() < MAX_QUEUED_EVENTS) {
                ByteBuffer copy = ByteBuffer.allocate(d.remaining());
                copy.put(d.duplicate()).flip();
                events.add(new IceEvent.Data(lastReceivedPair, copy));
            }
        }
    }

    /**
     * Takes a datagram (or, from a TURN server over TCP, a stream segment) that arrived at a local socket.
     * STUN is consumed (connectivity checks, answers to the agent's requests, TURN control); application data
     * that arrived on an authenticated pair comes back, taken out of TURN ChannelData or a Data indication
     * when relayed: a view (no copy; possibly {@code data} itself) valid until the next call into the agent,
     * its pair in {@link #lastReceivedPair}. Null when nothing is for the caller: consumed, or dropped and
     * counted ({@link #stats()}).
     *
     * <p>A TCP segment from a TURN server may hold several datagrams: after a non-null result, call
     * {@link #receiveNext} until it returns null, and leave {@code data} unchanged until then. Over UDP
     * {@code receiveNext} returns null at once.
     */
    public ByteBuffer receive(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        lastNow = now;
        lastReceivedPair = null;
        receivingRelay = null;
        if (closed && relays.isEmpty()) {
            return null;
        }
        ByteBuffer out = null;
        TurnEntry relay = relayFor(source, destination);
        if (relay != null && !isOurResponse(data)) {
            receivingRelay = relay;
            out = fromRelay(now, relay, relay.client.receive(now, source, destination, data));
        } else if (!closed) {
            LocalCandidate host = hostsByBase.get(destination);
            if (host == null && selected != null && selected.local.base.equals(destination)) {
                host = selected.local; // a socket left out of a restart still carries the old pair
            }
            if (host == null) {
                unknownDestination++;
                return null;
            }
            out = receiveAt(now, host, source, data);
        }
        afterActivity(now);
        return out;
    }

    /** The next application datagram of the segment given to {@link #receive}, or null; see there. */
    public ByteBuffer receiveNext(Instant now) {
        lastReceivedPair = null;
        TurnEntry relay = receivingRelay;
        if (relay == null) {
            return null;
        }
        lastNow = now;
        ByteBuffer out = fromRelay(now, relay, relay.client.receiveNext(now));
        afterActivity(now);
        return out;
    }

    /** The pair the data that {@link #receive} or {@link #receiveNext} returned last came on, or null. */
    public CandidatePair lastReceivedPair() {
        return lastReceivedPair;
    }

    /** What a TURN client took out of its server's input, until a payload is application data for us. */
    private ByteBuffer fromRelay(Instant now, TurnEntry relay, ByteBuffer payload) {
        ByteBuffer out = null;
        while (payload != null) {
            if (relay.relayed != null && !closed) {
                out = receiveAt(now, relay.relayed, relay.client.lastPeer(), payload);
                if (out != null) {
                    break;
                }
            }
            payload = relay.client.receiveNext(now);
        }
        if (out == null) {
            receivingRelay = null;
        }
        drainRelays(now);
        return out;
    }

    @Override
    public void handleTimeout(Instant now) {
        lastNow = now;
        for (TurnEntry e : relays) {
            Instant t = e.client.pollTimeout();
            if (t != null && !now.isBefore(t)) {
                e.client.handleTimeout(now);
            }
        }
        drainRelays(now);
        if (closed) {
            return;
        }
        retransmit(now);
        if (nextCheckAt != null && !now.isBefore(nextCheckAt)) {
            tick(now);
        }
        consent(now);
        afterActivity(now);
    }

    @Override
    public Transmit pollTransmit() {
        return transmits.poll();
    }

    @Override
    public IceEvent pollEvent() {
        return events.poll();
    }

    @Override
    public Instant pollTimeout() {
        Instant next = null;
        for (TurnEntry e : relays) {
            next = min(next, e.client.pollTimeout());
        }
        if (closed) {
            return next;
        }
        next = min(next, nextCheckAt);
        for (StunTransaction t : transactions.values()) {
            next = min(next, t.nextAt);
        }
        Instant nominateAt = nominateAt();
        next = min(next, nominateAt);
        if (selected != null && !lite && !consentExpired) {
            next = min(next, nextConsentAt);
            if (connectionState != IceConnectionState.DISCONNECTED) {
                next = min(next, lastConsent.plus(config.disconnectedTimeout()));
            }
            next = min(next, lastConsent.plus(config.consentTimeout()));
        }
        if (exhaustedSince != null && connectionState != IceConnectionState.FAILED) {
            next = min(next, exhaustedSince.plus(config.failedTimeout()));
        }
        return next;
    }

    // ---------------------------------------------------------------- input

    /** Whether a STUN response answers one of the agent's own requests (a STUN server may also be a TURN server). */
    private boolean isOurResponse(ByteBuffer data) {
        if (!StunMessage.isStun(data) || (data.get(data.position()) & 0x01) == 0) {
            return false; // not a response: the class bit C1 (0x0100 of the type) is the low bit of byte 0
        }
        data.get(data.position() + 8, idBytes);
        return transactions.containsKey(TransactionId.of(idBytes));
    }

    private TurnEntry relayFor(TransportAddress source, TransportAddress destination) {
        for (TurnEntry e : relays) {
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
     * A datagram at a local candidate's base (a socket, or a relayed address) from a remote address: STUN is
     * handled here; application data on an authenticated pair is returned.
     */
    private ByteBuffer receiveAt(Instant now, LocalCandidate local, TransportAddress remote, ByteBuffer data) {
        if (StunMessage.isStun(data)) {
            StunMessage m;
            try {
                m = StunMessage.parse(data);
            } catch (ParseException e) {
                malformed++;
                return null;
            }
            switch (m.messageClass()) {
                case REQUEST -> {
                    if (m.method() == StunMethod.BINDING) {
                        request(now, local, remote, m);
                    } else {
                        malformed++;
                    }
                }
                case SUCCESS_RESPONSE, ERROR_RESPONSE -> {
                    StunTransaction t = transactions.get(m.transactionId());
                    if (t == null) {
                        unknownTransaction++;
                    } else {
                        response(now, t, local, remote, m);
                    }
                }
                case INDICATION -> {
                    // Binding indications are keepalives (RFC 8445 section 11): nothing to do.
                }
            }
            return null;
        }
        CheckPair pair = authenticatedPair(local, remote);
        if (pair == null) {
            unauthenticatedData++;
            return null;
        }
        dataReceived++;
        lastReceivedPair = pair.view();
        return data;
    }

    private CheckPair authenticatedPair(LocalCandidate local, TransportAddress remote) {
        CheckPair s = selected;
        if (s != null && s.remote.address.equals(remote) && s.local.base.equals(local.base)) {
            return s;
        }
        for (CheckPair p : pairs) {
            if ((p.valid || p.remoteAuthenticated) && remote.equals(p.remote.address)
                    && p.local.base.equals(local.base)) {
                return p;
            }
        }
        return null;
    }

    /** An incoming Binding request: a connectivity check (RFC 8445 section 7.3). */
    private void request(Instant now, LocalCandidate local, TransportAddress remote, StunMessage m) {
        checksReceived++;
        StunAttribute.Text user = m.get(StunAttributeType.USERNAME);
        if (user == null || !m.hasIntegrity() || !m.hasFingerprint()) {
            unauthenticated++;
            return;
        }
        String username = user.value();
        int colon = username.indexOf(':');
        if (colon <= 0) {
            unauthenticated++;
            return;
        }
        String ufrag = username.substring(0, colon);
        Generation g = generation.local.ufrag().equals(ufrag) ? generation
                : previous != null && previous.local.ufrag().equals(ufrag) ? previous : null;
        if (g == null || !m.verifyIntegrity(g.localKey)) {
            unauthenticated++;
            return;
        }
        StunAttribute.Numeric priority = m.get(StunAttributeType.PRIORITY);
        StunAttribute.Numeric controlling = m.get(StunAttributeType.ICE_CONTROLLING);
        StunAttribute.Numeric controlled = m.get(StunAttributeType.ICE_CONTROLLED);
        if (priority == null || priority.value() < 1 || !m.unknownComprehensionRequired().isEmpty()
                || (controlling == null) == (controlled == null)) {
            malformed++;
            return;
        }
        // Role conflict, RFC 8445 section 7.3.1.1 (tie-breakers compared as unsigned 64-bit numbers).
        if (!lite && role == IceRole.CONTROLLING && controlling != null) {
            roleConflicts++;
            if (Long.compareUnsigned(tieBreaker, controlling.value()) >= 0) {
                respond(now, local, remote, m.errorResponse(487, "Role Conflict"), g);
                return;
            }
            switchRole(IceRole.CONTROLLED);
        } else if (!lite && role == IceRole.CONTROLLED && controlled != null) {
            roleConflicts++;
            if (Long.compareUnsigned(tieBreaker, controlled.value()) >= 0) {
                switchRole(IceRole.CONTROLLING);
            } else {
                respond(now, local, remote, m.errorResponse(487, "Role Conflict"), g);
                return;
            }
        }
        respond(now, local, remote,
                m.successResponse().add(StunAttribute.xorMappedAddress(remote.ip(), remote.port())), g);
        boolean useCandidate = m.has(StunAttributeType.USE_CANDIDATE);
        if (g != generation) {
            // The previous session: only its selected pair lives on; its checks are consent for the peer.
            CheckPair p = findPair(local.base, remote, g);
            if (p != null) {
                p.remoteAuthenticated = true;
            }
            return;
        }
        RemoteCandidate rc = remoteByAddress(remote);
        if (rc == null) {
            if (remotes.size() >= MAX_REMOTE_CANDIDATES) {
                return;
            }
            // A peer-reflexive remote candidate (RFC 8445 section 7.3.1.3).
            IceCandidate learned = IceCandidate.of("prflx" + (++prflxCounter), 1,
                    Math.min(priority.value(), 0xFFFF_FFFFL), remote, CandidateType.PEER_REFLEXIVE, null);
            rc = new RemoteCandidate(learned);
            remotes.add(rc);
            if (!lite) {
                for (LocalCandidate l : List.copyOf(locals)) {
                    if (l != local) {
                        addPair(l, rc);
                    }
                }
            }
        }
        CheckPair p = findPair(local.base, remote, g);
        if (p == null) {
            p = addPair(local, rc);
            if (p == null) {
                return;
            }
        }
        p.remoteAuthenticated = true;
        if (lite) {
            // A lite agent has no checks of its own: USE-CANDIDATE nominates the pair (RFC 8445 7.3.1.5).
            if (useCandidate) {
                p.valid = true;
                p.state = PairState.SUCCEEDED;
                p.nominated = true;
                select(now, p);
            } else if (p == selected) {
                lastConsent = now;
            }
            return;
        }
        // Triggered check, RFC 8445 section 7.3.1.4.
        if (p.state == PairState.IN_PROGRESS && p.check != null && !p.retransmittedOnCheck) {
            // The peer just got through on this pair (its NAT binding or relay permission now exists): our
            // check in progress may get through now too, so retransmit it at once rather than after its RTO.
            p.retransmittedOnCheck = true;
            sendFrom(now, p.local, p.remote.address, p.check.request.asBuffer());
        } else if (p.state != PairState.SUCCEEDED && p.state != PairState.IN_PROGRESS) {
            p.state = PairState.WAITING;
            enqueueTriggered(p);
        }
        if (useCandidate && role == IceRole.CONTROLLED) {
            if (p.valid) {
                p.nominated = true;
                select(now, p);
            } else {
                p.nominateOnSuccess = true;
            }
        }
    }

    private void respond(Instant now, LocalCandidate local, TransportAddress remote, StunMessage.Builder b,
            Generation g) {
        StunMessage response = b.integrity(g.localKey).fingerprint().build();
        sendFrom(now, local, remote, response.asBuffer());
    }

    /** A response to one of the agent's requests (RFC 8445 section 7.2.5). */
    private void response(Instant now, StunTransaction t, LocalCandidate local, TransportAddress remote,
            StunMessage m) {
        if (t.kind == StunTransaction.Kind.GATHER) {
            if (!remote.equals(t.destination) || !local.base.equals(t.local.base)) {
                unknownTransaction++;
                return;
            }
            transactions.remove(m.transactionId());
            gatherResponse(now, t, m);
            return;
        }
        CheckPair p = t.pair;
        if (!m.hasFingerprint() || !m.verifyIntegrity(p.generation.remoteKey)) {
            unauthenticated++;
            return;
        }
        transactions.remove(m.transactionId());
        if (p.check == t) {
            p.check = null;
        }
        if (t == consentCheck) {
            consentCheck = null;
        }
        // RFC 8445 section 7.2.5.2.1: the response must come back on the same addresses.
        if (!remote.equals(t.destination) || !local.base.equals(t.local.base)) {
            if (t.kind == StunTransaction.Kind.CHECK) {
                pairFailed(p);
            }
            return;
        }
        if (m.messageClass() == StunClass.ERROR_RESPONSE) {
            StunAttribute.ErrorCode error = m.get(StunAttributeType.ERROR_CODE);
            if (error != null && error.code() == 487 && t.kind == StunTransaction.Kind.CHECK) {
                // RFC 8445 section 7.2.5.1: switch roles and check again.
                roleConflicts++;
                if (role == t.role) {
                    switchRole(t.role.opposite());
                }
                p.nominating = false;
                p.state = p.valid ? PairState.SUCCEEDED : PairState.WAITING;
                if (!p.valid) {
                    enqueueTriggered(p);
                }
            } else if (t.kind == StunTransaction.Kind.CHECK) {
                pairFailed(p);
            }
            return;
        }
        if (p == selected) {
            lastConsent = now; // any authenticated answer on the selected pair is consent (RFC 7675)
        }
        if (t.kind == StunTransaction.Kind.CONSENT) {
            return;
        }
        StunAttribute.Address mapped = m.get(StunAttributeType.XOR_MAPPED_ADDRESS);
        if (mapped == null) {
            malformed++;
            pairFailed(p);
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
            // RFC 8445 section 7.2.5.3.3: pairs of the same foundation may go ahead.
            for (CheckPair other : pairs) {
                if (other.state == PairState.FROZEN && other.foundation.equals(p.foundation)) {
                    other.state = PairState.WAITING;
                }
            }
        }
        if (t.useCandidate) {
            p.nominating = false;
            p.nominated = true;
            select(now, p);
        } else if (role == IceRole.CONTROLLED && p.nominateOnSuccess) {
            p.nominated = true;
            select(now, p);
        }
    }

    /** RFC 8445 section 7.2.5.3.1: a mapped address that is no local candidate is a local peer-reflexive one. */
    private void learnLocalPeerReflexive(CheckPair p, TransportAddress mapped, StunTransaction t) {
        if (p.local.relay != null) {
            return; // a relayed candidate's checks leave from the relayed address itself
        }
        for (LocalCandidate l : locals) {
            if (mapped.equals(l.address)) {
                return;
            }
        }
        if (locals.size() >= MAX_LOCAL_CANDIDATES) {
            return;
        }
        StunAttribute.Numeric sent = t.request.get(StunAttributeType.PRIORITY);
        IceCandidate c = IceCandidate.of(foundation(CandidateType.PEER_REFLEXIVE, p.local.base.ip(), null), 1,
                sent.value(), mapped, CandidateType.PEER_REFLEXIVE, p.local.base);
        // Learned, not signaled (RFC 8445 section 7.2.5.3.1); the pair keeps sending from the same base.
        locals.add(new LocalCandidate(c, p.local.base, null, p.local.localPreference));
    }

    private void pairFailed(CheckPair p) {
        p.state = PairState.FAILED;
        p.nominating = false;
        p.valid = false;
        p.nominateOnSuccess = false;
    }

    // ---------------------------------------------------------------- checks

    private CheckPair addPair(LocalCandidate local, RemoteCandidate remote) {
        if (!local.pairs() || (config.relayOnly() && local.relay == null) || remote.address == null
                || remote.address.transport() != Transport.UDP
                || (local.base.ip() instanceof Inet6Address) != (remote.address.ip() instanceof Inet6Address)
                || local.base.ip().isLoopbackAddress() != remote.address.ip().isLoopbackAddress()) {
            return null;
        }
        CheckPair existing = findPair(local.base, remote.address, generation);
        if (existing != null) {
            return existing;
        }
        CheckPair p = new CheckPair(generation, local, remote);
        p.priority = pairPriority(p);
        // RFC 8445 section 6.1.2.6, for one component: the first pair of a foundation waits, the rest freeze.
        boolean foundationActive = false;
        for (CheckPair other : pairs) {
            if (other.generation == generation && other.foundation.equals(p.foundation)
                    && (other.state == PairState.WAITING || other.state == PairState.IN_PROGRESS)) {
                foundationActive = true;
                break;
            }
        }
        p.state = foundationActive ? PairState.FROZEN : PairState.WAITING;
        pairs.add(p);
        if (local.relay != null) {
            // Install the permission now: the peer's checks to our relayed address get through sooner.
            local.relay.createPermission(lastNow, remote.address.ip());
            drainRelays(lastNow);
        }
        prune();
        kick();
        return pairs.contains(p) ? p : null;
    }

    /** RFC 8445 section 6.1.2.5: keep at most maxPairs, dropping the lowest-priority idle ones. */
    private void prune() {
        while (pairs.size() > config.maxPairs()) {
            CheckPair worst = null;
            for (CheckPair p : pairs) {
                if (p != selected && p.state != PairState.IN_PROGRESS && !p.valid
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

    private CheckPair findPair(TransportAddress base, TransportAddress remote, Generation g) {
        for (CheckPair p : pairs) {
            if (p.generation == g && p.local.base.equals(base) && remote.equals(p.remote.address)) {
                return p;
            }
        }
        return null;
    }

    private RemoteCandidate remoteByAddress(TransportAddress address) {
        for (RemoteCandidate r : remotes) {
            if (address.equals(r.address)) {
                return r;
            }
        }
        return null;
    }

    private long pairPriority(CheckPair p) {
        long l = p.local.candidate.priority();
        long r = p.remote.candidate.priority();
        return role == IceRole.CONTROLLING ? IcePriority.pair(l, r) : IcePriority.pair(r, l);
    }

    private void recomputePriorities() {
        for (CheckPair p : pairs) {
            p.priority = pairPriority(p);
        }
    }

    private void switchRole(IceRole newRole) {
        if (role == newRole) {
            return;
        }
        role = newRole;
        recomputePriorities();
        events.add(new IceEvent.RoleChanged(newRole));
    }

    private void enqueueTriggered(CheckPair p) {
        if (!p.triggered) {
            p.triggered = true;
            triggered.add(p);
        }
        kick();
    }

    /** Makes the next {@link #handleTimeout} run a check tick, if checks can run. */
    private void kick() {
        if (nextCheckAt == null && !lite && !closed) {
            nextCheckAt = lastNow;
        }
    }

    private boolean selectedInThisGeneration() {
        return selected != null && selected.generation == generation;
    }

    /** One Ta tick (RFC 8445 section 6.1.4.2): a triggered check first, else the best waiting or frozen pair. */
    private void tick(Instant now) {
        if (lite || generation.remote == null) {
            nextCheckAt = null;
            return;
        }
        CheckPair next = null;
        while (next == null && !triggered.isEmpty()) {
            CheckPair p = triggered.poll();
            p.triggered = false;
            if (p.generation == generation && p.state == PairState.WAITING && pairs.contains(p)) {
                next = p;
            }
        }
        if (next == null && !selectedInThisGeneration()) {
            next = best(PairState.WAITING);
            if (next == null) {
                next = best(PairState.FROZEN);
            }
        }
        if (next == null) {
            nextCheckAt = null;
            return;
        }
        sendCheck(now, next, false);
        nextCheckAt = now.plus(config.ta());
    }

    private CheckPair best(PairState state) {
        CheckPair best = null;
        for (CheckPair p : pairs) {
            if (p.generation == generation && p.state == state && (best == null || p.priority > best.priority)) {
                best = p;
            }
        }
        return best;
    }

    private void sendCheck(Instant now, CheckPair p, boolean useCandidate) {
        Generation g = p.generation;
        StunMessage.Builder b = StunMessage.builder(StunMethod.BINDING, StunClass.REQUEST, newTransactionId())
                .add(StunAttribute.username(g.remote.ufrag() + ":" + g.local.ufrag()))
                .add(StunAttribute.priority(IcePriority.candidate(
                        CandidateType.PEER_REFLEXIVE.typePreference(), p.local.localPreference, 1)))
                .add(role == IceRole.CONTROLLING ? StunAttribute.iceControlling(tieBreaker)
                        : StunAttribute.iceControlled(tieBreaker));
        if (useCandidate) {
            b.add(StunAttribute.useCandidate());
        }
        StunMessage m = b.integrity(g.remoteKey).fingerprint().build();
        if (p.check != null) {
            transactions.remove(p.check.request.transactionId());
        }
        StunTransaction t = new StunTransaction(StunTransaction.Kind.CHECK, m, p.local, p.remote.address, p, null,
                useCandidate, role);
        t.rto = config.checkRto();
        t.nextAt = now.plus(t.rto);
        transactions.put(m.transactionId(), t);
        p.check = t;
        if (!p.valid) {
            p.state = PairState.IN_PROGRESS;
        }
        checksSent++;
        sendFrom(now, p.local, p.remote.address, m.asBuffer());
    }

    /** When the controlling agent will nominate, or null (RFC 8445 section 8.1.1, regular nomination). */
    private Instant nominateAt() {
        if (role != IceRole.CONTROLLING || lite || firstValidAt == null || selectedInThisGeneration()) {
            return null;
        }
        boolean anyValid = false;
        for (CheckPair p : pairs) {
            if (p.generation == generation && p.nominating) {
                return null;
            }
            anyValid |= p.generation == generation && p.valid;
        }
        // Without a valid pair there is nothing to nominate (and no timer, or the driver would spin).
        return anyValid ? firstValidAt.plus(config.nominationDelay()) : null;
    }

    private void maybeNominate(Instant now) {
        Instant at = nominateAt();
        if (at == null) {
            return;
        }
        CheckPair best = null;
        for (CheckPair p : pairs) {
            if (p.generation == generation && p.valid && (best == null || p.priority > best.priority)) {
                best = p;
            }
        }
        if (best == null) {
            return;
        }
        boolean betterPending = false;
        for (CheckPair p : pairs) {
            if (p.generation == generation && p.priority > best.priority && (p.state == PairState.FROZEN
                    || p.state == PairState.WAITING || p.state == PairState.IN_PROGRESS)) {
                betterPending = true;
                break;
            }
        }
        if (betterPending && now.isBefore(at)) {
            return;
        }
        best.nominating = true;
        sendCheck(now, best, true);
    }

    private void select(Instant now, CheckPair p) {
        if (p.generation != generation) {
            return;
        }
        if (selectedInThisGeneration() && !consentExpired && (selected == p || selected.priority >= p.priority)) {
            return;
        }
        selected = p;
        previous = null;
        pairs.removeIf(x -> x.generation != generation);
        transactions.values().removeIf(t -> t.pair != null && t.pair.generation != generation);
        consentExpired = false;
        consentCheck = null;
        lastConsent = now;
        nextConsentAt = now.plus(jitter(config.consentInterval()));
        events.add(new IceEvent.SelectedPairChanged(p.view()));
        if (p.local.relay != null) {
            p.local.relay.bindChannel(now, p.remote.address);
            drainRelays(now);
        }
        updateState(now);
    }

    private Duration jitter(Duration d) {
        // RFC 7675 section 5.1: randomised within 0.8 to 1.2 of the interval.
        double f = 0.8 + 0.4 * config.random().nextDouble();
        return Duration.ofNanos((long) (d.toNanos() * f));
    }

    /** Consent freshness on the selected pair (RFC 7675). */
    private void consent(Instant now) {
        if (selected == null || lite || consentExpired) {
            return;
        }
        if (!now.isBefore(lastConsent.plus(config.consentTimeout()))) {
            // RFC 7675 section 5.1: consent expired; stop sending.
            consentExpired = true;
            if (consentCheck != null) {
                transactions.remove(consentCheck.request.transactionId());
                consentCheck = null;
            }
            return;
        }
        if (!now.isBefore(nextConsentAt)) {
            nextConsentAt = now.plus(jitter(config.consentInterval()));
            CheckPair p = selected;
            Generation g = p.generation;
            StunMessage m = StunMessage.builder(StunMethod.BINDING, StunClass.REQUEST, newTransactionId())
                    .add(StunAttribute.username(g.remote.ufrag() + ":" + g.local.ufrag()))
                    .add(StunAttribute.priority(IcePriority.candidate(
                            CandidateType.PEER_REFLEXIVE.typePreference(), p.local.localPreference, 1)))
                    .add(role == IceRole.CONTROLLING ? StunAttribute.iceControlling(tieBreaker)
                            : StunAttribute.iceControlled(tieBreaker))
                    .integrity(g.remoteKey).fingerprint().build();
            if (consentCheck != null) {
                transactions.remove(consentCheck.request.transactionId());
            }
            StunTransaction t = new StunTransaction(StunTransaction.Kind.CONSENT, m, p.local, p.remote.address, p,
                    null, false, role);
            t.rto = config.checkRto();
            t.nextAt = now.plus(t.rto);
            transactions.put(m.transactionId(), t);
            consentCheck = t;
            sendFrom(now, p.local, p.remote.address, m.asBuffer());
        }
    }

    private void retransmit(Instant now) {
        List<StunTransaction> due = null;
        for (StunTransaction t : transactions.values()) {
            if (!now.isBefore(t.nextAt)) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(t);
            }
        }
        if (due == null) {
            return;
        }
        for (StunTransaction t : due) {
            int limit = t.kind == StunTransaction.Kind.GATHER ? GATHER_TRANSMISSIONS : config.maxCheckTransmissions();
            if (t.transmissions >= limit) {
                transactions.remove(t.request.transactionId());
                timedOut(now, t);
                continue;
            }
            t.transmissions++;
            Duration doubled = t.rto.multipliedBy(2);
            Duration max = t.kind == StunTransaction.Kind.GATHER ? Duration.ofSeconds(8) : config.maxCheckRto();
            t.rto = doubled.compareTo(max) > 0 ? max : doubled;
            t.nextAt = now.plus(t.rto);
            sendFrom(now, t.local, t.destination, t.request.asBuffer());
        }
    }

    private void timedOut(Instant now, StunTransaction t) {
        switch (t.kind) {
            case GATHER -> {
                events.add(new IceEvent.CandidateError(t.url.toString(), t.local.base.ip().getHostAddress(),
                        t.local.base.port(), 701, "STUN server did not answer"));
                checkGatheringComplete();
            }
            case CHECK -> {
                if (t.pair.check == t) {
                    t.pair.check = null;
                    pairFailed(t.pair);
                }
            }
            case CONSENT -> {
                if (consentCheck == t) {
                    consentCheck = null;
                }
            }
        }
    }

    // ---------------------------------------------------------------- gathering

    private void startGathering(Instant now) {
        setGathering(IceGatheringState.GATHERING);
        for (int i = 0; i < localAddresses.size(); i++) {
            addHost(localAddresses.get(i), i);
        }
        gatherFromServers(now, true);
        checkGatheringComplete();
    }

    private void addHost(TransportAddress address, int index) {
        if (hostsByBase.containsKey(address) || locals.size() >= MAX_LOCAL_CANDIDATES) {
            return;
        }
        int lp = IcePriority.localPreference(index, address.isIpv6(), 0);
        IceCandidate c = IceCandidate.of(foundation(CandidateType.HOST, address.ip(), null), 1,
                IcePriority.candidate(CandidateType.HOST.typePreference(), lp, 1), address, CandidateType.HOST, null);
        LocalCandidate host = new LocalCandidate(c, address, null, lp);
        hostsByBase.put(address, host);
        announce(host);
    }

    private void gatherFromServers(Instant now, boolean first) {
        if (lite) {
            return;
        }
        for (IceServer server : config.servers()) {
            for (IceServerUrl url : server.urls()) {
                if (url.scheme().isSecure()) {
                    // TLS to the server comes later: reported as browsers report an unreachable server.
                    events.add(new IceEvent.CandidateError(url.toString(), null, 0, 701,
                            url.scheme().token() + ": (TLS) is not supported yet"));
                    continue;
                }
                // The agent never resolves (a look-up would block the I/O thread): IceServerResolver does,
                // before gathering; a name it could not resolve is the W3C's 701 error, not a stall.
                TransportAddress address = url.serverAddress();
                if (address == null) {
                    events.add(new IceEvent.CandidateError(url.toString(), null, 0, 701,
                            "cannot resolve " + url.host()));
                    continue;
                }
                for (LocalCandidate host : List.copyOf(hostsByBase.values())) {
                    if (host.base.isIpv6() != address.isIpv6()
                            || host.base.ip().isLoopbackAddress() != address.ip().isLoopbackAddress()) {
                        continue;
                    }
                    if (url.scheme().isTurn()) {
                        gatherRelay(now, server, url, address, host);
                    } else if (url.transport() == Transport.UDP) {
                        gatherReflexive(now, url, address, host);
                    }
                }
            }
        }
        drainRelays(now);
    }

    private void gatherReflexive(Instant now, IceServerUrl url, TransportAddress server, LocalCandidate host) {
        StunMessage m = StunMessage.builder(StunMethod.BINDING, StunClass.REQUEST, newTransactionId())
                .fingerprint().build();
        StunTransaction t = new StunTransaction(StunTransaction.Kind.GATHER, m, host, server, null, url, false, role);
        t.rto = GATHER_RTO;
        t.nextAt = now.plus(t.rto);
        transactions.put(m.transactionId(), t);
        sendFrom(now, host, server, m.asBuffer());
    }

    private void gatherResponse(Instant now, StunTransaction t, StunMessage m) {
        if (m.messageClass() == StunClass.SUCCESS_RESPONSE) {
            StunAttribute.Address mapped = m.get(StunAttributeType.XOR_MAPPED_ADDRESS);
            if (mapped == null) {
                mapped = m.get(StunAttributeType.MAPPED_ADDRESS);
            }
            if (mapped != null) {
                addReflexive(TransportAddress.udp(mapped.ip(), mapped.port()), t.local, t.destination.ip());
            } else {
                malformed++;
            }
        } else {
            StunAttribute.ErrorCode e = m.get(StunAttributeType.ERROR_CODE);
            events.add(new IceEvent.CandidateError(t.url.toString(), t.local.base.ip().getHostAddress(),
                    t.local.base.port(), e == null ? 400 : e.code(), e == null ? "error" : e.reason()));
        }
        checkGatheringComplete();
    }

    private void addReflexive(TransportAddress mapped, LocalCandidate host, InetAddress server) {
        for (LocalCandidate l : locals) {
            if (mapped.equals(l.address)) {
                return; // no NAT in between, or already known: redundant (RFC 8445 section 5.1.3)
            }
        }
        IceCandidate c = IceCandidate.of(foundation(CandidateType.SERVER_REFLEXIVE, host.base.ip(), server), 1,
                IcePriority.candidate(CandidateType.SERVER_REFLEXIVE.typePreference(), host.localPreference, 1),
                mapped, CandidateType.SERVER_REFLEXIVE, host.base);
        announce(new LocalCandidate(c, host.base, null, host.localPreference));
    }

    private void gatherRelay(Instant now, IceServer server, IceServerUrl url, TransportAddress address,
            LocalCandidate host) {
        TurnEntry releasing = null;
        for (TurnEntry e : relays) {
            if (e.url.equals(url) && e.host.base.equals(host.base) && e.retired) {
                releasing = e;
                continue;
            }
            if (e.url.equals(url) && e.host.base.equals(host.base)) {
                if (e.relayed != null && e.client.state() == TurnClient.State.ALLOCATED
                        && !locals.contains(e.relayed)) {
                    announce(e.relayed); // after a restart: the allocation serves the new session too
                }
                return;
            }
        }
        TransportAddress local = url.transport() == Transport.TCP ? TransportAddress.tcp(host.base.ip(), 0) : host.base;
        TurnClient client = new TurnClient(local, address, server.username(), server.credential(), config.random(),
                config.turnLifetime());
        TurnEntry entry = new TurnEntry(client, url, host);
        relays.add(entry);
        if (releasing != null) {
            entry.after = releasing; // allocated once the old allocation on this 5-tuple is gone
        } else {
            client.allocate(now);
        }
    }

    /** Forwards what the TURN clients want sent, and acts on their events. */
    private void drainRelays(Instant now) {
        if (drainingRelays) {
            return;
        }
        drainingRelays = true;
        try {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int i = 0; i < relays.size(); i++) {
                    TurnEntry e = relays.get(i);
                    for (Transmit t; (t = e.client.pollTransmit()) != null; ) {
                        progress = true;
                        if (transmits.size() < MAX_QUEUED_TRANSMITS) {
                            transmits.add(t);
                        }
                    }
                    for (TurnEvent ev; (ev = e.client.pollEvent()) != null; ) {
                        progress = true;
                        relayEvent(now, e, ev);
                    }
                }
                int before = relays.size();
                reapRelays(now);
                progress |= relays.size() != before;
            }
        } finally {
            drainingRelays = false;
        }
    }

    private void relayEvent(Instant now, TurnEntry e, TurnEvent ev) {
        if (e.retired) {
            return; // a released allocation: its answers matter to no session
        }
        switch (ev) {
            case TurnEvent.Allocated a -> {
                if (closed) {
                    return;
                }
                int rank = e.url.transport() == Transport.TCP ? 1 : 0;
                int lp = IcePriority.localPreference(localAddresses.indexOf(e.host.base), a.relayed().isIpv6(), rank);
                IceCandidate c = IceCandidate.of(foundation(CandidateType.RELAYED, e.host.base.ip(),
                        e.client.server().ip()), 1,
                        IcePriority.candidate(CandidateType.RELAYED.typePreference(), lp, 1),
                        a.relayed(), CandidateType.RELAYED, a.mapped() == null ? null
                                : TransportAddress.udp(a.mapped().ip(), a.mapped().port()));
                e.relayed = new LocalCandidate(c, a.relayed(), e.client, lp);
                if (a.mapped() != null && a.mapped().transport() == Transport.UDP) {
                    addReflexive(a.mapped(), e.host, e.client.server().ip());
                }
                announce(e.relayed);
                checkGatheringComplete();
            }
            case TurnEvent.Failed f -> {
                if (f.method() == StunMethod.ALLOCATE || f.method() == StunMethod.REFRESH) {
                    events.add(new IceEvent.CandidateError(e.url.toString(), e.host.base.ip().getHostAddress(),
                            e.host.base.port(), f.code(), f.reason()));
                    checkGatheringComplete();
                }
            }
            default -> {
                // Permissions, channels and refreshes need nothing from the agent.
            }
        }
    }

    /** A new local candidate: announced (or held for the pool) and paired with the remote candidates. */
    private void announce(LocalCandidate l) {
        if (locals.size() >= MAX_LOCAL_CANDIDATES) {
            return;
        }
        locals.add(l);
        if (config.relayOnly() && l.relay == null) {
            return; // the host still carries the relay's traffic; it is just not offered or checked
        }
        emit(new IceEvent.LocalCandidate(l.candidate));
        if (!lite && l.pairs()) {
            for (RemoteCandidate r : remotes) {
                addPair(l, r);
            }
        }
    }

    private void emit(IceEvent e) {
        if (pooled) {
            held.add(e);
        } else {
            events.add(e);
        }
    }

    private void setGathering(IceGatheringState state) {
        if (gatheringState != state) {
            gatheringState = state;
            emit(new IceEvent.GatheringStateChanged(state));
        }
    }

    private void checkGatheringComplete() {
        if (gatheringState != IceGatheringState.GATHERING) {
            return;
        }
        for (StunTransaction t : transactions.values()) {
            if (t.kind == StunTransaction.Kind.GATHER) {
                return;
            }
        }
        for (TurnEntry e : relays) {
            if (!e.retired && (e.client.state() == TurnClient.State.ALLOCATING
                    || (e.client.state() == TurnClient.State.IDLE && e.after != null))) {
                return;
            }
        }
        setGathering(IceGatheringState.COMPLETE);
        updateState(lastNow);
    }

    // ---------------------------------------------------------------- state

    private void afterActivity(Instant now) {
        if (!closed) {
            maybeNominate(now);
        }
        updateState(now);
    }

    private void updateState(Instant now) {
        if (!closed && selected == null && checksExhausted()
                && (!pairs.isEmpty() || connectionState != IceConnectionState.NEW)) {
            if (exhaustedSince == null) {
                exhaustedSince = now;
            }
        } else {
            exhaustedSince = null;
        }
        IceConnectionState s;
        if (closed) {
            s = IceConnectionState.CLOSED;
        } else if (consentExpired) {
            s = IceConnectionState.FAILED;
        } else if (selected != null) {
            boolean silent = !lite && !now.isBefore(lastConsent.plus(config.disconnectedTimeout()));
            boolean complete = gatheringState == IceGatheringState.COMPLETE && generation.remoteEndOfCandidates
                    && selected.generation == generation;
            s = silent ? IceConnectionState.DISCONNECTED
                    : complete ? IceConnectionState.COMPLETED : IceConnectionState.CONNECTED;
        } else if (allFailed() || (exhaustedSince != null
                && !now.isBefore(exhaustedSince.plus(config.failedTimeout())))) {
            // Without the peer's end-of-candidates, give up after a while as browsers do (Chromium: 30 s).
            s = IceConnectionState.FAILED;
        } else if (generation.remote != null && (!pairs.isEmpty() || connectionState != IceConnectionState.NEW)) {
            s = IceConnectionState.CHECKING;
        } else {
            s = connectionState == IceConnectionState.FAILED ? IceConnectionState.CHECKING : connectionState;
        }
        if (s == IceConnectionState.COMPLETED && connectionState != IceConnectionState.CONNECTED
                && connectionState != IceConnectionState.COMPLETED) {
            // Completed always passes through connected, as browsers report it.
            connectionState = IceConnectionState.CONNECTED;
            events.add(new IceEvent.ConnectionStateChanged(connectionState));
        }
        if (s != connectionState) {
            connectionState = s;
            events.add(new IceEvent.ConnectionStateChanged(s));
        }
    }

    /** Every pair failed and neither side has more candidates coming (RFC 8445 section 8.1.2 with RFC 8838). */
    private boolean allFailed() {
        return generation.remoteEndOfCandidates && checksExhausted();
    }

    /** Every pair of this session failed, nothing is queued, and local gathering is complete. */
    private boolean checksExhausted() {
        if (gatheringState != IceGatheringState.COMPLETE || !triggered.isEmpty() || generation.remote == null) {
            return false;
        }
        for (CheckPair p : pairs) {
            if (p.generation == generation && p.state != PairState.FAILED) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- helpers

    /** Sends from a local candidate: from its socket, or through its TURN relay. */
    private boolean sendFrom(Instant now, LocalCandidate local, TransportAddress to, ByteBuffer payload) {
        if (local.relay != null) {
            boolean sent = local.relay.send(now, to, payload);
            drainRelays(now);
            return sent;
        }
        if (transmits.size() >= MAX_QUEUED_TRANSMITS) {
            return false;
        }
        transmits.add(new Transmit(local.base, to, payload));
        return true;
    }

    private TransactionId newTransactionId() {
        byte[] id = new byte[TransactionId.LENGTH];
        config.random().nextBytes(id);
        return TransactionId.of(id);
    }

    /**
     * RFC 8445 section 5.1.1.3: the same type, base IP, server and transport give the same foundation.
     * Written as a CRC-32 in decimal, as browsers do.
     */
    private static String foundation(CandidateType type, InetAddress base, InetAddress server) {
        CRC32 crc = new CRC32();
        String key = type.token() + "|" + base.getHostAddress() + "|" + (server == null ? "" : server.getHostAddress())
                + "|udp";
        crc.update(key.getBytes(StandardCharsets.US_ASCII));
        return Long.toString(crc.getValue());
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /** The candidate pairs and their states, for logs and tests. */
    public List<String> describePairs() {
        List<String> out = new ArrayList<>();
        for (CheckPair p : pairs) {
            out.add(p + " prio=" + p.priority + (p == selected ? " SELECTED" : ""));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return "IceAgent[" + role + " " + connectionState + " ufrag=" + generation.local.ufrag() + "]";
    }
}
