package org.rtc4j.ice.turn;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.ChannelData;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;

/**
 * A TURN client (RFC 8656) for one allocation on one server, as a sans-IO engine: Allocate with long-term
 * credentials (401 with REALM and NONCE, 438 stale nonce), Refresh before the lifetime ends,
 * CreatePermission and ChannelBind (refreshed while in use), Send indications and ChannelData out, Data
 * indications and ChannelData in, and Deallocate on {@link #close}.
 *
 * <p>To the server over UDP, or over TCP (RFC 8656 section 12.5 framing): for TCP, the transmits'
 * destination is the server's TCP address and their source has port 0; the driver keeps one connection to
 * the server and hands what it reads to {@link #handleInput} as stream segments, in order.
 *
 * <pre>{@code
 * TurnClient turn = new TurnClient(local, server, "alice", "secret", new SecureRandom());
 * turn.allocate(now);                   // then drive it; TurnEvent.Allocated gives the relayed address
 * turn.send(now, peer, datagram);       // permission and channel are set up on the way
 * }</pre>
 */
public final class TurnClient implements Engine<TurnEvent> {

    /** Where the client is in the life of its allocation. */
    public enum State { IDLE, ALLOCATING, ALLOCATED, CLOSING, CLOSED, FAILED }

    private static final Duration RTO = Duration.ofMillis(500);
    private static final int MAX_TRANSMISSIONS = 7;
    /** RFC 8489 section 6.2.2: over TCP, a transaction fails after 39.5 s. */
    private static final Duration TCP_TIMEOUT = Duration.ofMillis(39_500);
    private static final int MAX_QUEUED_TRANSMITS = 1024;

    private final TransportAddress local;
    private final TransportAddress server;
    private final LongTermAuth auth;
    private final RandomGenerator random;
    private final Duration requestedLifetime;
    private final boolean stream;
    private final StreamFramer framer;

    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<TurnEvent> events = new ArrayDeque<>();
    private final Map<TransactionId, TurnRequest> pending = new HashMap<>();
    private final ArrayDeque<TurnRequest> failLater = new ArrayDeque<>();
    private final PeerBindings bindings = new PeerBindings(this);
    /** The peer of the payload {@link #receive} or {@link #receiveNext} returned last. */
    private TransportAddress lastPeer;
    private boolean autoChannels = true;

    private State state = State.IDLE;
    /** An Allocate answered 437 (see {@link #allocateResponse}): sent again at this time, or null. */
    private Instant allocateAgainAt;
    private int mismatches;
    /** Closed while its Allocate was on its way: what the server allocates is released at once. */
    private boolean releaseWhenAllocated;
    private TransportAddress relayed;
    private TransportAddress mapped;
    private Instant expires;
    private Instant refreshAt;

    private long malformed;
    private long unauthenticated;
    private long unknownTransaction;
    private long notFromServer;
    private long dataIn;
    private long dataOut;

    public TurnClient(TransportAddress local, TransportAddress server, String username, String password,
            RandomGenerator random) {
        this(local, server, username, password, random, Duration.ofMinutes(10));
    }

    /**
     * @param local the local address the client sends from (for TCP: the local IP, port 0)
     * @param server the server's address; its transport is the transport to the server
     * @param requestedLifetime the LIFETIME asked for in Allocate and Refresh
     */
    public TurnClient(TransportAddress local, TransportAddress server, String username, String password,
            RandomGenerator random, Duration requestedLifetime) {
        this.local = Objects.requireNonNull(local, "local");
        this.server = Objects.requireNonNull(server, "server");
        this.auth = new LongTermAuth(Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(password, "password"));
        this.random = Objects.requireNonNull(random, "random");
        this.requestedLifetime = requestedLifetime;
        this.stream = server.transport() == Transport.TCP;
        this.framer = stream ? new StreamFramer() : null;
    }

    /** Whether {@link #send} binds a channel to a peer it sends to (default true). */
    public void autoChannels(boolean enabled) {
        this.autoChannels = enabled;
    }

    public State state() {
        return state;
    }

    public TransportAddress server() {
        return server;
    }

    public TransportAddress local() {
        return local;
    }

    /** The relayed transport address, or {@code null} until allocated. */
    public TransportAddress relayed() {
        return relayed;
    }

    /** The client's address as the server saw it (XOR-MAPPED-ADDRESS), or {@code null}. */
    public TransportAddress mapped() {
        return mapped;
    }

    /** Starts the allocation (RFC 8656 section 7.1). */
    public void allocate(Instant now) {
        if (state != State.IDLE) {
            throw new IllegalStateException("allocate() once, in state IDLE; now " + state);
        }
        state = State.ALLOCATING;
        request(now, new TurnRequest(StunMethod.ALLOCATE, null, null));
    }

    /** Installs a permission for a peer IP (RFC 8656 section 9); refreshed while the allocation lives. */
    public void createPermission(Instant now, InetAddress peer) {
        bindings.permission(now, peer);
    }

    /** Binds a channel to a peer (RFC 8656 section 12) and returns its number, or -1 when none is left. */
    public int bindChannel(Instant now, TransportAddress peer) {
        return bindings.bind(now, peer);
    }

    /**
     * Sends a datagram to a peer through the relay: as ChannelData once a channel is bound, else as a Send
     * indication once the peer's permission is installed; before that it waits (a few datagrams at most)
     * for the permission. Returns false when it was dropped (no allocation, or too much waiting).
     */
    public boolean send(Instant now, TransportAddress peer, ByteBuffer data) {
        if (state != State.ALLOCATED) {
            return false;
        }
        PeerBindings.Permission p = bindings.permission(now, peer.ip());
        if (p == null) {
            return false;
        }
        if (!p.installed) {
            return bindings.queue(peer, data);
        }
        int channel = bindings.boundChannel(now, peer, autoChannels);
        if (channel >= 0) {
            sendChannelData(channel, data);
        } else {
            sendIndication(peer, data);
        }
        dataOut++;
        return true;
    }

    /** Refreshes the allocation now rather than when it is due (RFC 8656 section 7.3). */
    public void refresh(Instant now) {
        if (state == State.ALLOCATED && !hasPending(StunMethod.REFRESH)) {
            request(now, new TurnRequest(StunMethod.REFRESH, null, null));
        }
    }

    /** Releases the allocation (Refresh, LIFETIME 0: RFC 8656 7.3), also one an Allocate on its way makes (7.2). */
    public void close(Instant now) {
        if (state == State.ALLOCATED) {
            state = State.CLOSING;
            pending.clear();
            request(now, new TurnRequest(StunMethod.REFRESH, null, null).lifetime(0));
        } else if (state == State.ALLOCATING && hasPending(StunMethod.ALLOCATE)) {
            state = State.CLOSING;
            releaseWhenAllocated = true;
        } else if (state != State.CLOSED && state != State.FAILED) {
            state = State.CLOSED;
            pending.clear();
            events.add(new TurnEvent.Closed());
        }
    }

    /**
     * Gives the allocation up: the connection to the server (TCP or TLS, RFC 8656 section 3.1) could not be
     * made or was lost (the allocation goes with its 5-tuple), or the server did not answer in the time the
     * caller waits. Allocating or allocated, the client fails with the W3C's code 701 (server not reached) and
     * {@code reason}; closing, it is closed.
     */
    public void giveUp(String reason) {
        switch (state) {
            case CLOSING -> closed();
            case ALLOCATING, ALLOCATED -> fail(new TurnRequest(state == State.ALLOCATING ? StunMethod.ALLOCATE
                    : StunMethod.REFRESH, null, null), 701, reason);
            default -> {
                // idle, closed or failed: nothing was lost
            }
        }
    }

    /**
     * {@link #receive} for generic pumps: every payload from a peer is copied into a {@link TurnEvent.Data}.
     */
    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        for (ByteBuffer d = receive(now, source, destination, data); d != null; d = receiveNext(now)) {
            byte[] copy = new byte[d.remaining()];
            d.get(d.position(), copy);
            events.add(new TurnEvent.Data(lastPeer, ByteBuffer.wrap(copy)));
        }
    }

    /**
     * Takes what the server sent (a datagram, or over TCP a stream segment): responses, refreshes and
     * errors are consumed; a peer's data (ChannelData or a Data indication, RFC 8656 sections 11.4 and 12.6)
     * comes back as a view of its payload, valid until the next call into the client, its peer in
     * {@link #lastPeer}. Null when nothing is for the caller (consumed, or dropped and counted).
     *
     * <p>Over TCP one segment may hold several frames: after a non-null result call {@link #receiveNext}
     * until it returns null, leaving {@code data} unchanged until then.
     */
    public ByteBuffer receive(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        if (!source.equals(server)) {
            notFromServer++;
            return null;
        }
        if (!stream) {
            return frame(now, data);
        }
        framer.feed(data);
        return receiveNext(now);
    }

    /** The next peer payload of the TCP segment given to {@link #receive}, or null (always null over UDP). */
    public ByteBuffer receiveNext(Instant now) {
        if (!stream) {
            return null;
        }
        for (ByteBuffer frame; (frame = framer.next()) != null; ) {
            ByteBuffer payload = frame(now, frame);
            if (payload != null) {
                return payload;
            }
        }
        return null;
    }

    /** The peer that sent the payload {@link #receive} or {@link #receiveNext} returned last. */
    public TransportAddress lastPeer() {
        return lastPeer;
    }

    private ByteBuffer frame(Instant now, ByteBuffer data) {
        if (ChannelData.is(data)) {
            return channelData(data);
        }
        StunMessage m;
        try {
            m = StunMessage.parse(data);
        } catch (ParseException e) {
            malformed++;
            return null;
        }
        if (m.messageClass() == StunClass.INDICATION) {
            return m.method() == StunMethod.DATA ? dataIndication(m) : null;
        }
        if (!m.messageClass().isResponse()) {
            malformed++;
            return null;
        }
        TurnRequest r = pending.get(m.transactionId());
        if (r == null) {
            unknownTransaction++;
            return null;
        }
        response(now, r, m);
        return null;
    }

    /** RFC 8656 section 12.6: ChannelData from a bound channel. */
    private ByteBuffer channelData(ByteBuffer data) {
        ByteBuffer payload = ChannelData.payload(data);
        TransportAddress peer = payload == null ? null : bindings.peerOf(ChannelData.channel(data));
        if (peer == null) {
            malformed++;
            return null;
        }
        return deliver(peer, payload);
    }

    /** RFC 8656 section 11.4: a Data indication carries XOR-PEER-ADDRESS and DATA. */
    private ByteBuffer dataIndication(StunMessage m) {
        StunAttribute.Address peer = m.get(StunAttributeType.XOR_PEER_ADDRESS);
        StunAttribute.Opaque payload = m.get(StunAttributeType.DATA);
        if (peer == null || payload == null) {
            malformed++;
            return null;
        }
        if (!bindings.installed(peer.ip())) {
            malformed++; // the server relays only what permissions let through
            return null;
        }
        return deliver(new TransportAddress(Transport.UDP, peer.ip(), peer.port()), ByteBuffer.wrap(payload.value()));
    }

    private ByteBuffer deliver(TransportAddress peer, ByteBuffer data) {
        if (state != State.ALLOCATED) {
            return null; // a released allocation relays nothing to us
        }
        dataIn++;
        lastPeer = peer;
        return data;
    }

    private void response(Instant now, TurnRequest r, StunMessage m) {
        boolean success = m.messageClass() == StunClass.SUCCESS_RESPONSE;
        StunAttribute.ErrorCode error = m.get(StunAttributeType.ERROR_CODE);
        int code = success ? 0 : error == null ? 400 : error.code();
        if (auth.forged(r, m, success, code)) {
            unauthenticated++;
            return;
        }
        pending.remove(m.transactionId());
        if (releaseWhenAllocated && r.method == StunMethod.ALLOCATE) {
            releaseWhenAllocated = false;
            if (success) {
                request(now, new TurnRequest(StunMethod.REFRESH, null, null).lifetime(0));
            } else {
                closed();
            }
            return;
        }
        if (!success && (code == 401 || code == 438)) {
            if (auth.challenged(r, m, code)) {
                request(now, r.retry());
            } else {
                fail(r, code, error == null ? "Unauthorized" : error.reason());
            }
            return;
        }
        switch (r.method) {
            case StunMethod.ALLOCATE -> allocateResponse(now, r, m, success, code, error);
            case StunMethod.REFRESH -> refreshResponse(now, r, m, success, code, error);
            case StunMethod.CREATE_PERMISSION -> bindings.permissionResponse(now, r, success, code, reason(error));
            case StunMethod.CHANNEL_BIND -> bindings.channelResponse(now, r, success, code, reason(error));
            default -> {
            }
        }
    }

    private void allocateResponse(Instant now, TurnRequest r, StunMessage m, boolean success, int code,
            StunAttribute.ErrorCode error) {
        if (state != State.ALLOCATING) {
            return;
        }
        if (!success && code == 437 && mismatches++ < 3) {
            // RFC 8656 7.2: this 5-tuple's previous allocation (released by an ICE restart a moment ago) may
            // linger at the server for a moment (coturn deletes it on its next timer): ask again a second later.
            allocateAgainAt = now.plusSeconds(1);
            return;
        }
        if (!success) {
            fail(r, code, reason(error));
            return;
        }
        StunAttribute.Address relayedAttr = m.get(StunAttributeType.XOR_RELAYED_ADDRESS);
        StunAttribute.Address mappedAttr = m.get(StunAttributeType.XOR_MAPPED_ADDRESS);
        StunAttribute.Numeric lifetime = m.get(StunAttributeType.LIFETIME);
        if (relayedAttr == null || lifetime == null) {
            fail(r, 500, "Allocate success without XOR-RELAYED-ADDRESS or LIFETIME");
            return;
        }
        relayed = TransportAddress.udp(relayedAttr.ip(), relayedAttr.port());
        mapped = mappedAttr == null ? null
                : new TransportAddress(server.transport(), mappedAttr.ip(), mappedAttr.port());
        state = State.ALLOCATED;
        Duration life = Duration.ofSeconds(lifetime.value());
        scheduleRefresh(now, life);
        events.add(new TurnEvent.Allocated(relayed, mapped, life));
    }

    private void refreshResponse(Instant now, TurnRequest r, StunMessage m, boolean success, int code,
            StunAttribute.ErrorCode error) {
        if (state == State.CLOSING) {
            closed();
            return;
        }
        if (state != State.ALLOCATED) {
            return;
        }
        if (!success) {
            fail(r, code, reason(error));
            return;
        }
        StunAttribute.Numeric lifetime = m.get(StunAttributeType.LIFETIME);
        Duration life = lifetime == null ? requestedLifetime : Duration.ofSeconds(lifetime.value());
        scheduleRefresh(now, life);
        events.add(new TurnEvent.Refreshed(life));
    }

    private void scheduleRefresh(Instant now, Duration life) {
        expires = now.plus(life);
        // Refresh a minute early, or at half the lifetime when it is short (RFC 8656 section 7.3).
        Duration early = life.compareTo(Duration.ofMinutes(2)) > 0 ? life.minusMinutes(1) : life.dividedBy(2);
        refreshAt = now.plus(early);
    }

    private void fail(TurnRequest r, int code, String reason) {
        if (r.method == StunMethod.ALLOCATE || r.method == StunMethod.REFRESH) {
            if (state == State.CLOSING) {
                closed();
                return;
            }
            state = State.FAILED;
            pending.clear();
            bindings.clearQueued();
            events.add(new TurnEvent.Failed(r.method, code, reason));
        } else if (r.method == StunMethod.CREATE_PERMISSION || r.method == StunMethod.CHANNEL_BIND) {
            bindings.failed(r, code, reason);
        }
    }

    private void closed() {
        state = State.CLOSED;
        pending.clear();
        bindings.clearQueued();
        events.add(new TurnEvent.Closed());
    }

    private static String reason(StunAttribute.ErrorCode error) {
        return error == null ? "no ERROR-CODE" : error.reason();
    }

    private void sendChannelData(int number, ByteBuffer data) {
        queueTransmit(ChannelData.encode(number, data, stream));
    }

    private void sendIndication(TransportAddress peer, ByteBuffer data) {
        byte[] payload = new byte[data.remaining()];
        data.get(data.position(), payload);
        StunMessage m = StunMessage.builder(StunMethod.SEND, StunClass.INDICATION, newTransactionId())
                .add(new StunAttribute.Address(StunAttributeType.XOR_PEER_ADDRESS.code(), peer.ip(), peer.port()))
                .add(new StunAttribute.Opaque(StunAttributeType.DATA.code(), payload))
                .build();
        queueTransmit(m.asBuffer());
    }

    private void queueTransmit(ByteBuffer payload) {
        if (transmits.size() < MAX_QUEUED_TRANSMITS) {
            transmits.add(new Transmit(local, server, payload));
        }
    }

    private TransactionId newTransactionId() {
        byte[] id = new byte[TransactionId.LENGTH];
        random.nextBytes(id);
        return TransactionId.of(id);
    }

    /** Sends a request (RFC 8489 section 6.2), signed once the server has challenged us. */
    void request(Instant now, TurnRequest r) {
        StunMessage.Builder b = r.attributes(StunMessage.builder(r.method, StunClass.REQUEST, newTransactionId()),
                requestedLifetime);
        r.signed = auth.sign(b);
        StunMessage m = b.fingerprint().build();
        r.message = m;
        r.transmissions = 1;
        r.rto = RTO;
        r.nextAt = now.plus(stream ? TCP_TIMEOUT : RTO);
        pending.put(m.transactionId(), r);
        queueTransmit(m.asBuffer());
    }

    @Override
    public void handleTimeout(Instant now) {
        for (Iterator<Map.Entry<TransactionId, TurnRequest>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            TurnRequest r = it.next().getValue();
            if (now.isBefore(r.nextAt)) {
                continue;
            }
            if (stream || r.transmissions >= MAX_TRANSMISSIONS) {
                it.remove();
                failLater.add(r);
                continue;
            }
            // RFC 8489 section 6.2.1: retransmit with a doubled RTO.
            r.transmissions++;
            r.rto = r.rto.multipliedBy(2);
            r.nextAt = now.plus(r.transmissions == MAX_TRANSMISSIONS ? RTO.multipliedBy(16) : r.rto);
            queueTransmit(r.message.asBuffer());
        }
        while (!failLater.isEmpty()) {
            fail(failLater.poll(), 701, "no answer from TURN server " + server);
        }
        if (state == State.ALLOCATING && allocateAgainAt != null && !now.isBefore(allocateAgainAt)) {
            allocateAgainAt = null;
            request(now, new TurnRequest(StunMethod.ALLOCATE, null, null));
        }
        if (state == State.ALLOCATED) {
            if (!now.isBefore(expires)) {
                closed();
                return;
            }
            if (refreshAt != null && !now.isBefore(refreshAt) && !hasPending(StunMethod.REFRESH)) {
                refreshAt = null;
                request(now, new TurnRequest(StunMethod.REFRESH, null, null));
            }
            bindings.handleTimeout(now);
        }
    }

    private boolean hasPending(int method) {
        for (TurnRequest r : pending.values()) {
            if (r.method == method) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Transmit pollTransmit() {
        return transmits.poll();
    }

    /** An event for the owner, from a part of the client. */
    void event(TurnEvent e) {
        events.add(e);
    }

    @Override
    public TurnEvent pollEvent() {
        return events.poll();
    }

    @Override
    public Instant pollTimeout() {
        Instant next = null;
        for (TurnRequest r : pending.values()) {
            next = min(next, r.nextAt);
        }
        next = state == State.ALLOCATING ? min(next, allocateAgainAt) : next;
        if (state == State.ALLOCATED) {
            next = min(next, refreshAt);
            next = bindings.pollTimeout(min(next, expires));
        }
        return next;
    }

    static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /** Whether a permission for this peer IP is installed. */
    public boolean hasPermission(InetAddress peer) {
        return bindings.installed(peer);
    }

    /** The channel bound to this peer, or -1. */
    public int channel(TransportAddress peer) {
        return bindings.channel(peer);
    }

    /** Counters of what was dropped, and of data relayed. */
    public Stats stats() {
        return new Stats(malformed + (framer == null ? 0 : framer.garbage()), unauthenticated, unknownTransaction,
                notFromServer, dataIn, dataOut, auth.staleNonces());
    }

    /** Counters: dropped input by reason, and datagrams relayed in and out. */
    public record Stats(long malformed, long unauthenticated, long unknownTransaction, long notFromServer,
            long dataIn, long dataOut, long staleNonces) {
    }

    @Override
    public String toString() {
        return "TurnClient[" + server + " " + state + (relayed == null ? "" : " relayed " + relayed) + "]";
    }
}
