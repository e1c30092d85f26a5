package org.rtc4j.ice.internal;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
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
import org.rtc4j.ice.stun.TransactionId;

/**
 * The state of one ICE agent that all its parts share, and the agent's operations, for the public
 * {@link org.rtc4j.ice.IceAgent} to delegate to. The parts: the {@link CheckList}, the {@link ConnectivityChecks},
 * the {@link Nomination} of the current role, {@link ConsentFreshness}, {@link Gathering}, the {@link Relays},
 * the {@link ConnectionStates}, the {@link RemoteCandidates} and the {@link DatagramPath}. This class holds what
 * ties the parts together (selection, restart, close) and the queues they fill.
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
    /** Signaled or resolved ones ({@link RemoteCandidates}) and peer-reflexive ones ({@link ConnectivityChecks}). */
    List<RemoteCandidate> remotes = new ArrayList<>();
    final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    final ArrayDeque<IceEvent> events = new ArrayDeque<>();
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
    private final RemoteCandidates remoteCandidates;
    private final DatagramPath datagrams;

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
        this.remoteCandidates = new RemoteCandidates(this);
        this.datagrams = new DatagramPath(this);
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
        CheckPair p = datagrams.sendPair();
        return p == null ? null : p.view();
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
        remoteCandidates.add(candidate);
    }

    /** See {@link RemoteCandidates#evictUnproven}. */
    boolean evictUnprovenRemote() {
        return remoteCandidates.evictUnproven();
    }

    RemoteCandidate remoteByAddress(TransportAddress address) {
        return remoteCandidates.byAddress(address);
    }

    public String pollMdnsQuery() {
        return remoteCandidates.pollMdnsQuery();
    }

    /** {@code resolve} gives a candidate with that name its address (a package-private copy of the API). */
    public void mdnsResolved(Instant now, String name, InetAddress address, UnaryOperator<IceCandidate> resolve) {
        remoteCandidates.mdnsResolved(now, name, address, resolve);
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
        remoteCandidates.restart();
        checks.restart();
        gathering.restart(now);
        states.update(now);
    }

    public boolean send(Instant now, ByteBuffer data) {
        return datagrams.send(now, data);
    }

    /** See {@link DatagramPath#sendDirect}. */
    public DirectPath sendDirect() {
        return datagrams.sendDirect();
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
        return datagrams.receive(now, source, destination, data);
    }

    public ByteBuffer receiveNext(Instant now) {
        return datagrams.receiveNext(now);
    }

    public CandidatePair lastReceivedPair() {
        return datagrams.lastReceivedPair();
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

    /** After input or a timeout: the role nominates if it will, the state follows. */
    void afterActivity(Instant now) {
        if (!closed) {
            nomination().nominate(now);
        }
        states.update(now);
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
