package org.rtc4j.ice.internal;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.DirectPath;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceCredentials;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.ice.IceServer;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.IceStats;
import org.rtc4j.ice.TurnConnection;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.TransactionId;

/**
 * The state of one ICE agent that all its parts share, and the agent's operations, for the public
 * {@link org.rtc4j.ice.IceAgent} to delegate to. The parts: the {@link CheckList}, the {@link ConnectivityChecks},
 * the {@link Nomination} of the current role, {@link ConsentFreshness}, {@link Gathering}, the {@link Relays} and
 * the {@link ConnectionStates}. This class holds the data path and what ties the parts together (selection,
 * restart, close).
 */
public final class Session {

    static final int MAX_QUEUED_TRANSMITS = 4096;
    static final int MAX_QUEUED_EVENTS = 4096;
    static final int MAX_REMOTE_CANDIDATES = 200;
    static final int MAX_LOCAL_CANDIDATES = 200;

    /** Its servers change at a restart ({@link #setServers}), nothing else. */
    IceConfig config;
    /** Servers to use from the next restart on, or null. */
    private List<IceServer> nextServers;
    final long tieBreaker;
    final boolean lite;
    IceRole role;

    Generation generation;
    /** The generation before a restart, while its selected pair still carries data. */
    Generation previous;
    final List<TransportAddress> localAddresses = new ArrayList<>();
    final List<LocalCandidate> locals = new ArrayList<>();
    List<RemoteCandidate> remotes = new ArrayList<>();
    final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    final ArrayDeque<IceEvent> events = new ArrayDeque<>();
    /** {@code .local} names of remote candidates for the driver to resolve, and those already asked for. */
    private final ArrayDeque<String> mdnsQueries = new ArrayDeque<>();
    private final Set<String> mdnsAsked = new HashSet<>();
    boolean closed;
    CheckPair selected;
    Instant lastNow = Instant.EPOCH;
    final Counters counters = new Counters();

    final CheckList checkList;
    final Transactions transactions;
    final ConnectivityChecks checks;
    final ConsentFreshness consent;
    final Gathering gathering;
    final Relays relays;
    final ConnectionStates states;
    private final Nomination controlling;
    private final Nomination controlled;

    /** The pair of the data {@link #receive} or {@link #receiveNext} returned last, or null. */
    private CandidatePair lastReceivedPair;
    /** The relay whose TCP segment {@link #receiveNext} reads on, or null. */
    private Relays.Relay receivingRelay;

    public Session(IceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.lite = config.lite();
        this.role = lite ? IceRole.CONTROLLED : config.role();
        this.tieBreaker = config.random().nextLong();
        this.generation = new Generation(0, IceCredentials.random(config.random()));
        this.checkList = new CheckList(this);
        this.transactions = new Transactions(this);
        this.checks = new ConnectivityChecks(this);
        this.consent = new ConsentFreshness(this);
        this.gathering = new Gathering(this);
        this.relays = new Relays(this);
        this.states = new ConnectionStates(this);
        this.controlling = new ControllingNomination(this);
        this.controlled = new ControlledNomination(this);
    }

    /** The strategy of the current role (RFC 8445 section 8.1: only the controlling agent nominates). */
    Nomination nomination() {
        return role == IceRole.CONTROLLING ? controlling : controlled;
    }

    // ---------------------------------------------------------------- the application's side

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
        return states.state();
    }

    public IceGatheringState gatheringState() {
        return gathering.state();
    }

    public CandidatePair selectedPair() {
        return selected == null ? null : selected.view();
    }

    public CandidatePair sendingPair() {
        CheckPair p = sendPair();
        return p == null ? null : p.view();
    }

    /** The selected pair, or before there is one the best valid pair of this generation (RFC 8445 12.1). */
    private CheckPair sendPair() {
        return selected != null ? selected : checkList.bestValid(generation);
    }

    public List<IceCandidate> localCandidates() {
        return locals.stream().map(l -> l.candidate).toList();
    }

    public List<IceCandidate> remoteCandidates() {
        return remotes.stream().map(r -> r.candidate).toList();
    }

    public void addLocalAddress(TransportAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.transport() != Transport.UDP || localAddresses.contains(address)) {
            return;
        }
        localAddresses.add(address);
        if (gathering.state() != IceGatheringState.NEW || gathering.pooled()) {
            gathering.addHost(address, localAddresses.size() - 1);
        }
    }

    public void removeLocalAddress(TransportAddress address) {
        localAddresses.remove(address);
    }

    public void prepare(Instant now) {
        lastNow = now;
        gathering.prepare(now);
    }

    public void gather(Instant now) {
        lastNow = now;
        if (!closed) {
            gathering.gather(now);
        }
    }

    public void setRemoteCredentials(String ufrag, String password) {
        IceCredentials remote = new IceCredentials(ufrag, password);
        if (generation.remote != null && !generation.remote.equals(remote)) {
            restart(lastNow);
        }
        if (generation.remote == null) {
            generation.remote(remote);
            checks.kick();
        }
    }

    public void setRemoteLite(boolean value) {
        if (value && !lite && role == IceRole.CONTROLLED) {
            switchRole(IceRole.CONTROLLING);
        }
    }

    public void addRemoteCandidate(IceCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (closed || candidate.component() != 1 || remotes.size() >= MAX_REMOTE_CANDIDATES) {
            return;
        }
        TransportAddress address = candidate.transportAddress();
        if (address != null && unreachable(address.ip())) {
            counters.refusedRemoteCandidates++;
            return;
        }
        if (address != null) {
            RemoteCandidate existing = remoteByAddress(address);
            if (existing != null) {
                if (existing.candidate.type() == CandidateType.PEER_REFLEXIVE) {
                    // The signaled candidate replaces the one learned from a check (RFC 8445 section 7.3.1.3).
                    existing.candidate = candidate;
                    checkList.recomputePriorities();
                }
                return;
            }
        }
        if (candidate.isMdns() && candidate.transport() == Transport.UDP) {
            String name = candidate.address().toLowerCase(Locale.ROOT);
            if (mdnsAsked.add(name)) {
                mdnsQueries.add(name);
            }
        }
        RemoteCandidate remote = new RemoteCandidate(candidate);
        remotes.add(remote);
        if (!lite) {
            for (LocalCandidate local : List.copyOf(locals)) {
                checkList.add(local, remote);
            }
        }
        checks.kick();
    }

    /**
     * Frees a remote-candidate slot for a peer that proved it knows the credentials (an authenticated check
     * from an address not yet known): drops the lowest-priority candidate none of whose pairs is valid, vouched
     * for by the peer, being checked or selected. The cap keeps memory bounded; it must not let junk signaled
     * ahead of the real candidate lock the real peer out. Returns false when every candidate has proved itself.
     */
    boolean evictUnprovenRemote() {
        RemoteCandidate worst = null;
        for (RemoteCandidate r : remotes) {
            if (!checkList.proven(r) && (worst == null || r.candidate.priority() < worst.candidate.priority())) {
                worst = r;
            }
        }
        if (worst == null) {
            return false;
        }
        remotes.remove(worst);
        checkList.removeRemote(worst);
        return true;
    }

    /**
     * An address no connectivity check can be sent to: multicast, the IPv4 limited broadcast, unspecified
     * (RFC 8445 section 5.1.1.1 excludes them as candidates; checking them would spray the local network).
     */
    static boolean unreachable(InetAddress ip) {
        return ip.isMulticastAddress() || ip.isAnyLocalAddress()
                || ip instanceof java.net.Inet4Address && java.util.Arrays.equals(ip.getAddress(), BROADCAST);
    }

    private static final byte[] BROADCAST = {-1, -1, -1, -1};

    public String pollMdnsQuery() {
        return mdnsQueries.poll();
    }

    /** {@code resolve} gives a candidate with that name its address (a package-private copy of the API). */
    public void mdnsResolved(Instant now, String name, InetAddress address, UnaryOperator<IceCandidate> resolve) {
        lastNow = now;
        if (closed || address == null || name == null || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return; // no answer, or one that no check could be sent to
        }
        for (IceCandidate c : remotes.stream().filter(r -> r.address == null && r.candidate.isMdns()
                && r.candidate.address().equalsIgnoreCase(name)).map(r -> r.candidate).toList()) {
            remotes.removeIf(r -> r.candidate == c);
            addRemoteCandidate(resolve.apply(c));
        }
        afterActivity(now);
    }

    public void endOfRemoteCandidates() {
        generation.remoteEndOfCandidates = true;
        states.update(lastNow);
    }

    public void restart(Instant now) {
        lastNow = now;
        if (closed) {
            return;
        }
        if (consent.expired()) {
            selected = null;
            consent.clearExpired();
        }
        if (nextServers != null) {
            config = config.withServers(nextServers);
            nextServers = null;
        }
        previous = selected != null ? selected.generation : null;
        generation = new Generation(generation.number + 1, IceCredentials.random(config.random()));
        checkList.retainOnly(selected);
        transactions.removeIf(t -> t.kind != StunTransaction.Kind.CONSENT);
        remotes = new ArrayList<>();
        mdnsQueries.clear();
        mdnsAsked.clear();
        checks.restart();
        gathering.restart(now);
        states.update(now);
    }

    public boolean send(Instant now, ByteBuffer data) {
        CheckPair pair = dataPair();
        if (pair == null) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        counters.dataSent++;
        return sendFrom(now, pair.local, pair.remote.address, copy);
    }

    /**
     * One datagram the caller sends itself from its socket: the pair's path, counted as sent; null when data
     * cannot leave that way (no usable pair, or a relayed local candidate: {@link #send} wraps it for TURN).
     */
    public DirectPath sendDirect() {
        CheckPair pair = dataPair();
        if (pair == null || pair.local.relay != null) {
            return null;
        }
        counters.dataSent++;
        return pair.direct();
    }

    /** The pair application data goes out on now, or null: none yet, consent expired (RFC 7675), closed. */
    private CheckPair dataPair() {
        CheckPair pair = sendPair();
        return pair == null || consent.expired() || closed ? null : pair;
    }

    /** See {@link org.rtc4j.ice.IceAgent#setServers}. */
    public void setServers(List<IceServer> servers) {
        if (gathering.state() == IceGatheringState.NEW && !gathering.pooled()) {
            config = config.withServers(servers);
        } else {
            nextServers = List.copyOf(servers);
        }
    }

    /** See {@link org.rtc4j.ice.IceAgent#turnConnectionLost}. */
    public void turnConnectionLost(Instant now, TransportAddress server, TransportAddress local, String reason) {
        relays.connectionLost(now, server, local, reason);
    }

    public TurnConnection pollReleasedTurnConnection() {
        return relays.pollReleasedConnection();
    }

    public void close(Instant now) {
        lastNow = now;
        if (closed) {
            return;
        }
        closed = true;
        relays.closeAll(now);
        checkList.clear();
        transactions.clear();
        selected = null;
        states.update(now);
    }

    public IceStats stats() {
        return counters.snapshot(relays.malformed());
    }

    // ---------------------------------------------------------------- the driver's side

    public ByteBuffer receive(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        lastNow = now;
        lastReceivedPair = null;
        receivingRelay = null;
        if (closed && relays.isEmpty()) {
            return null;
        }
        ByteBuffer out = null;
        Relays.Relay relay = relays.relayFor(source, destination);
        if (relay != null && !transactions.isOurResponse(data)) {
            receivingRelay = relay;
            out = fromRelay(now, relay, relay.client.receive(now, source, destination, data));
        } else if (!closed) {
            LocalCandidate host = gathering.hostAt(destination);
            if (host == null && selected != null && selected.local.base.equals(destination)) {
                host = selected.local; // a socket left out of a restart still carries the old pair
            }
            if (host == null) {
                counters.unknownDestination++;
                return null;
            }
            out = receiveAt(now, host, source, data);
        }
        afterActivity(now);
        return out;
    }

    public ByteBuffer receiveNext(Instant now) {
        lastReceivedPair = null;
        Relays.Relay relay = receivingRelay;
        if (relay == null) {
            return null;
        }
        lastNow = now;
        ByteBuffer out = fromRelay(now, relay, relay.client.receiveNext(now));
        afterActivity(now);
        return out;
    }

    public CandidatePair lastReceivedPair() {
        return lastReceivedPair;
    }

    /** What a TURN client took out of its server's input, until a payload is application data for us. */
    private ByteBuffer fromRelay(Instant now, Relays.Relay relay, ByteBuffer payload) {
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
        relays.drain(now);
        return out;
    }

    /**
     * A datagram at a local candidate's base (a socket, or a relayed address) from a remote address: STUN is
     * handled by the connectivity checks; application data on an authenticated pair is returned.
     */
    private ByteBuffer receiveAt(Instant now, LocalCandidate local, TransportAddress remote, ByteBuffer data) {
        if (StunMessage.isStun(data)) {
            StunMessage m;
            try {
                m = StunMessage.parse(data);
            } catch (ParseException e) {
                counters.malformed++;
                return null;
            }
            checks.stun(now, local, remote, m);
            return null;
        }
        CheckPair pair = checkList.authenticated(selected, local, remote);
        if (pair == null) {
            counters.unauthenticatedData++;
            return null;
        }
        counters.dataReceived++;
        lastReceivedPair = pair.view();
        return data;
    }

    /** An event for the application, dropped past the queue's bound (a peer flooding data it never reads). */
    public boolean offerEvent(IceEvent e) {
        if (events.size() >= MAX_QUEUED_EVENTS) {
            return false;
        }
        events.add(e);
        return true;
    }

    public void handleTimeout(Instant now) {
        lastNow = now;
        relays.handleTimeout(now);
        if (closed) {
            return;
        }
        transactions.retransmit(now);
        checks.handleTimeout(now);
        consent.handleTimeout(now);
        afterActivity(now);
    }

    public Transmit pollTransmit() {
        return transmits.poll();
    }

    public IceEvent pollEvent() {
        return events.poll();
    }

    public Instant pollTimeout() {
        Instant next = relays.pollTimeout();
        if (closed) {
            return next;
        }
        next = min(next, checks.pollTimeout());
        next = min(next, transactions.pollTimeout());
        next = min(next, nomination().nominateAt());
        next = min(next, consent.pollTimeout());
        return min(next, states.pollTimeout());
    }

    // ---------------------------------------------------------------- what ties the parts together

    /** A nominated pair becomes the selected one (RFC 8445 section 8.1.1), the previous session's ends. */
    void select(Instant now, CheckPair p) {
        if (p.generation != generation) {
            return;
        }
        // A better pair replaces the selected one; any nominated one does once the selected pair falls silent.
        if (selectedInThisGeneration() && !consent.expired()
                && (selected == p || (selected.priority >= p.priority && !consent.silent(now)))) {
            return;
        }
        selected = p;
        previous = null;
        relays.selected(now, p);
        checkList.retainGeneration(generation);
        transactions.removeIf(t -> t.pair != null && t.pair.generation != generation);
        consent.start(now);
        events.add(new IceEvent.SelectedPairChanged(p.view()));
        if (p.local.relay != null) {
            p.local.relay.bindChannel(now, p.remote.address);
            relays.drain(now);
        }
        states.update(now);
    }

    boolean selectedInThisGeneration() {
        return selected != null && selected.generation == generation;
    }

    void switchRole(IceRole newRole) {
        if (role == newRole) {
            return;
        }
        role = newRole;
        checkList.recomputePriorities();
        events.add(new IceEvent.RoleChanged(newRole));
    }

    private void afterActivity(Instant now) {
        if (!closed) {
            nomination().nominate(now);
        }
        states.update(now);
    }

    RemoteCandidate remoteByAddress(TransportAddress address) {
        for (RemoteCandidate r : remotes) {
            if (address.equals(r.address)) {
                return r;
            }
        }
        return null;
    }

    /** Sends from a local candidate: from its socket, or through its TURN relay. */
    boolean sendFrom(Instant now, LocalCandidate local, TransportAddress to, ByteBuffer payload) {
        if (local.relay != null) {
            boolean sent = local.relay.send(now, to, payload);
            relays.drain(now);
            return sent;
        }
        if (transmits.size() >= MAX_QUEUED_TRANSMITS) {
            return false;
        }
        transmits.add(new Transmit(local.base, to, payload));
        return true;
    }

    /** Queues a transmit a TURN client made, within the queue's bound. */
    void queue(Transmit t) {
        if (transmits.size() < MAX_QUEUED_TRANSMITS) {
            transmits.add(t);
        }
    }

    TransactionId newTransactionId() {
        byte[] id = new byte[TransactionId.LENGTH];
        config.random().nextBytes(id);
        return TransactionId.of(id);
    }

    /**
     * RFC 8445 section 5.1.1.3: the same type, base IP, server and transport give the same foundation.
     * Written as a CRC-32 in decimal, as browsers do.
     */
    static String foundation(CandidateType type, InetAddress base, InetAddress server) {
        CRC32 crc = new CRC32();
        String key = type.token() + "|" + base.getHostAddress() + "|" + (server == null ? "" : server.getHostAddress())
                + "|udp";
        crc.update(key.getBytes(StandardCharsets.US_ASCII));
        return Long.toString(crc.getValue());
    }

    static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    public List<String> describePairs() {
        return checkList.describe(selected);
    }

    @Override
    public String toString() {
        return "IceAgent[" + role + " " + states.state() + " ufrag=" + generation.local.ufrag() + "]";
    }
}
