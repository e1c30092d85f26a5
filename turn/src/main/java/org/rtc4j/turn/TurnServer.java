package org.rtc4j.turn;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttribute.Address;
import org.rtc4j.ice.stun.StunAttribute.Numeric;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/**
 * A TURN server (RFC 8656) as a sans-IO engine: UDP relays for clients that reach it over UDP or TCP,
 * long-term credentials (static users or the TURN REST API's shared secret) with stateless nonces,
 * permissions, channels, lifetimes on the caller's clock, peer filtering, quotas and a bandwidth cap.
 * Binding requests are answered without authentication, as by {@link StunServer}.
 *
 * <p>Relay sockets are asked of the driver with {@link TurnEvent}s (an Allocate is answered once they are
 * open, {@link #relayOpened}); datagrams that arrive on them are given to {@link #handleInput} with the relay
 * address as destination, and relayed traffic leaves as transmits from the relay address. Beside the engine
 * contract, a driver may tell it that a client's TCP connection closed ({@link #connectionClosed}) and may
 * relay through the allocation-free {@link #relay} (the parts are {@code LongTermAuth}, {@code RelayPorts}
 * and {@code DataRelay}).
 */
public final class TurnServer implements Engine<TurnEvent> {

    private static final int UDP = 17;
    private static final int LEGACY_ADDITIONAL_ADDRESS_FAMILY = 0x8032;
    /**
     * Channel numbers: RFC 8656 section 12 narrowed them to 0x4000-0x4FFF, but RFC 5766 clients (coturn's
     * among them) still pick from 0x4000-0x7FFE, and on the client side nothing else shares that range.
     */
    static final int MIN_CHANNEL = 0x4000;
    static final int MAX_CHANNEL = 0x7FFE;
    private record Expiry(Instant at, Allocation allocation) {
    }

    private final TurnServerConfig config;
    private final LongTermAuth auth;
    private final PeerFilter peers;
    private final Map<FiveTuple, Allocation> byClient = new HashMap<>();
    /** The same allocations by server address, then client: found per datagram without a FiveTuple. */
    private final Map<TransportAddress, Map<TransportAddress, Allocation>> byServer = new HashMap<>();
    private final Map<TransportAddress, Allocation> byRelay = new HashMap<>();
    private final Quotas quotas;
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<TurnEvent> events = new ArrayDeque<>();
    private final Map<FiveTuple, Pending> pending = new HashMap<>();
    private final DataRelay.Counters counters = new DataRelay.Counters();
    private final RelayPorts ports;
    private final DataRelay data;

    public TurnServer(TurnServerConfig config) {
        this.config = config;
        this.auth = new LongTermAuth(config);
        List<InetAddress> own = new ArrayList<>(config.relayAddresses());
        if (config.externalAddress() != null) {
            own.add(config.externalAddress());
        }
        this.peers = new PeerFilter(config.allowLoopbackPeers(), List.copyOf(own));
        this.quotas = new Quotas(config.maxAllocationsPerUser(), config.maxAllocationsPerAddress());
        this.ports = new RelayPorts(config, events, byRelay::containsKey, r -> quotas.release(r.user(), r.client(), 1));
        this.data = new DataRelay(byRelay, this::allocation, transmits, counters, peers, config.random());
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        Allocation relayOwner = byRelay.get(destination);
        if (relayOwner != null) {
            this.data.fromPeer(now, relayOwner, source, data);
            return;
        }
        if (data.remaining() >= 4 && (data.get(data.position()) & 0xC0) == 0x40) {
            this.data.channelDataFromClient(now, source, destination, data);
            return;
        }
        StunMessage m;
        try {
            m = StunMessage.parse(data);
        } catch (ParseException e) {
            counters.malformed++;
            return;
        }
        if (m.messageClass() == StunClass.REQUEST) {
            request(now, m, source, destination);
        } else if (m.messageClass() == StunClass.INDICATION && m.method() == StunMethod.SEND) {
            this.data.sendIndication(now, m, source, destination);
        } else {
            counters.dropped++;
        }
    }

    @Override
    public void handleTimeout(Instant now) {
        ports.expire(now);
        Expiry e;
        while ((e = expiries.peek()) != null && !e.at().isAfter(now)) {
            expiries.poll();
            Allocation a = e.allocation();
            if (byClient.get(new FiveTuple(a.client, a.server)) != a) {
                continue; // already gone
            }
            if (!a.expires.isAfter(now)) {
                delete(a);
            } else {
                a.prune(now);
                expiries.add(new Expiry(nextCheck(a, now), a));
            }
        }
    }

    @Override
    public Transmit pollTransmit() {
        return transmits.poll();
    }

    @Override
    public TurnEvent pollEvent() {
        return events.poll();
    }

    /**
     * The driver's answer to {@link TurnEvent.OpenRelay}: whether the socket is bound. The Allocate waiting
     * for it is answered, or another port is asked for.
     */
    public void relayOpened(Instant now, TransportAddress relay, boolean ok) {
        ports.opened(relay, ok, now);
    }

    @Override
    public Instant pollTimeout() {
        Expiry e = expiries.peek();
        Instant r = ports.nextExpiry();
        if (r == null) {
            return e == null ? null : e.at();
        }
        return e == null || r.isBefore(e.at()) ? r : e.at();
    }

    /**
     * The driver's news that a client's TCP connection closed: RFC 8656 section 3.1, an allocation made over
     * TCP ends with its connection.
     */
    public void connectionClosed(Instant now, TransportAddress local, TransportAddress remote) {
        FiveTuple tuple = new FiveTuple(remote, local);
        Allocation a = byClient.get(tuple);
        if (a != null) {
            delete(a);
        }
        Pending p = pending.remove(tuple);
        if (p != null) {
            ports.cancel(p.opening);
            quotas.release(p.user, remote.ip(), p.slots);
        }
    }

    /** Whether a client's TCP connection holds an allocation (so an idle one must stay open). */
    public boolean inUse(TransportAddress local, TransportAddress remote) {
        FiveTuple tuple = new FiveTuple(remote, local);
        return byClient.containsKey(tuple) || pending.containsKey(tuple);
    }

    public TurnStats stats() {
        return new TurnStats(byClient.size(), counters.allocationsCreated, counters.packetsToPeers,
                counters.bytesToPeers, counters.packetsToClients, counters.bytesToClients, auth.failures(),
                counters.malformed, counters.dropped, counters.rejections());
    }

    // --- Requests ---------------------------------------------------------------------------------------

    private void request(Instant now, StunMessage m, TransportAddress source, TransportAddress destination) {
        List<Integer> unknown = m.unknownComprehensionRequired();
        if (!unknown.isEmpty()) {
            reply(m, m.errorResponse(420, "Unknown Attribute").add(new StunAttribute.UnknownAttributes(unknown)),
                    null, source, destination);
            return;
        }
        switch (m.method()) {
            case StunMethod.BINDING -> reply(m, m.successResponse()
                    .add(StunAttribute.xorMappedAddress(source.ip(), source.port())), null, source, destination);
            case StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CREATE_PERMISSION, StunMethod.CHANNEL_BIND -> {
                peers.listeningAt(destination);
                LongTermAuth.Result r = auth.authenticate(now, m, source.ip().getAddress());
                if (r.error() != null) {
                    reply(m, r.error(), null, source, destination);
                } else {
                    turnRequest(now, m, r.credential(), source, destination);
                }
            }
            default -> reply(m, m.errorResponse(400, "Bad Request"), null, source, destination);
        }
    }

    private void turnRequest(Instant now, StunMessage m, LongTermAuth.Credential credential,
            TransportAddress source, TransportAddress destination) {
        FiveTuple tuple = new FiveTuple(source, destination);
        Allocation a = byClient.get(tuple);
        if (a != null && !a.expires.isAfter(now)) {
            delete(a);
            a = null;
        }
        if (m.method() == StunMethod.ALLOCATE) {
            allocate(now, m, credential, tuple, a);
            return;
        }
        if (a == null) {
            error(m, 437, "Allocation Mismatch", credential, tuple);
            return;
        }
        if (!a.username.equals(credential.username())) {
            error(m, 441, "Wrong Credentials", credential, tuple); // RFC 8656 section 5
            return;
        }
        switch (m.method()) {
            case StunMethod.REFRESH -> refresh(now, m, credential, tuple, a);
            case StunMethod.CREATE_PERMISSION -> createPermission(now, m, credential, tuple, a);
            default -> channelBind(now, m, credential, tuple, a);
        }
    }

    // RFC 8656 section 7.2.
    private void allocate(Instant now, StunMessage m, LongTermAuth.Credential credential, FiveTuple tuple,
            Allocation existing) {
        if (existing != null) {
            if (existing.createdBy.equals(m.transactionId())) {
                reply(m, allocateSuccess(m, existing, null), credential.key(), tuple.client(), tuple.server());
            } else {
                error(m, 437, "Allocation Mismatch", credential, tuple);
            }
            return;
        }
        Numeric transport = m.get(StunAttributeType.REQUESTED_TRANSPORT);
        if (transport == null) {
            error(m, 400, "Bad Request: REQUESTED-TRANSPORT missing", credential, tuple);
            return;
        }
        if (transport.value() != UDP) {
            error(m, 442, "Unsupported Transport Protocol", credential, tuple);
            return;
        }
        if (m.has(StunAttributeType.DONT_FRAGMENT)) {
            // Java sockets cannot set DF on each datagram: RFC 8656 section 7.2 says to refuse it this way.
            reply(m, m.errorResponse(420, "Unknown Attribute").add(new StunAttribute.UnknownAttributes(
                    List.of(StunAttributeType.DONT_FRAGMENT.code()))), credential.key(), tuple.client(), tuple.server());
            return;
        }
        Numeric evenPort = m.get(StunAttributeType.EVEN_PORT);
        Numeric token = m.get(StunAttributeType.RESERVATION_TOKEN);
        Numeric requested = m.get(StunAttributeType.REQUESTED_ADDRESS_FAMILY);
        Numeric additional = additionalFamily(m);
        if ((requested != null && additional != null) || (additional != null && additional.value() != 2)
                || (token != null && (evenPort != null || requested != null || additional != null))
                || (evenPort != null && evenPort.value() == 1 && additional != null)) {
            error(m, 400, "Bad Request: address families or reservation", credential, tuple);
            return;
        }
        if (byRelay.containsKey(tuple.client())) {
            error(m, 403, "Forbidden: an allocation through this server's own relay", credential, tuple);
            return;
        }
        String user = credential.username();
        RelayPorts.Reservation reserved = null;
        if (token != null) {
            reserved = ports.reserved(token.value(), user, now);
            if (reserved == null) {
                error(m, 508, "Insufficient Capacity: unknown reservation", credential, tuple);
                return;
            }
        }
        InetAddress v4 = relayIp(Inet4Address.class);
        InetAddress v6 = relayIp(Inet6Address.class);
        List<InetAddress> ips = new ArrayList<>(2);
        boolean v6Refused = false;
        if (requested != null) {
            InetAddress ip = requested.value() == 1 ? v4 : requested.value() == 2 ? v6 : null;
            if (ip == null) {
                error(m, 440, "Address Family not Supported", credential, tuple);
                return;
            }
            ips.add(ip);
        } else {
            if (v4 == null) {
                error(m, 440, "Address Family not Supported", credential, tuple);
                return;
            }
            ips.add(v4);
            if (additional != null) {
                if (v6 != null) {
                    ips.add(v6);
                } else {
                    v6Refused = true; // RFC 8656 section 7.2: IPv4 only, with ADDRESS-ERROR-CODE for IPv6
                }
            }
        }
        if (reserved != null) {
            // The reserved port's quota slot (and place in the total) passes to the allocation.
            ports.take(reserved);
            quotas.release(reserved.user(), reserved.client(), 1);
            complete(now, m, credential, tuple, List.of(reserved.relay()), null, v6Refused);
            return;
        }
        InetAddress clientIp = tuple.client().ip();
        boolean pair = evenPort != null && evenPort.value() == 1;
        int slots = pair ? 2 : 1; // a reserved port is a relay socket held like an allocation
        if (!quotas.allows(user, clientIp, slots)) {
            error(m, 486, "Allocation Quota Reached", credential, tuple);
            return;
        }
        if (byClient.size() + pending.size() + ports.reservedCount() + slots > config.maxAllocations()) {
            error(m, 508, "Insufficient Capacity", credential, tuple);
            return;
        }
        // The relay ports are the driver's to open (TurnEvent.OpenRelay): the answer waits for them.
        quotas.take(user, clientIp, slots); // counted while pending, so that quotas hold meanwhile
        boolean v6Lost = v6Refused;
        Pending p = new Pending(user, slots);
        pending.put(tuple, p);
        p.opening = ports.open(ips, evenPort != null, pair, user, clientIp, now, (o, at) -> {
            if (pending.remove(tuple, p)) {
                quotas.release(user, clientIp, slots);
                if (o.failed) {
                    error(m, 508, pair ? "Insufficient Capacity: no relay port pair"
                            : "Insufficient Capacity: no relay port", credential, tuple);
                } else {
                    complete(at, m, credential, tuple, List.copyOf(o.opened), o.reservation, v6Lost);
                }
            }
        });
    }

    /** An Allocate waiting for its relay ports. */
    private static final class Pending {
        final String user;
        final int slots;
        RelayPorts.Opening opening;

        Pending(String user, int slots) {
            this.user = user;
            this.slots = slots;
        }
    }

    /** The relay ports are open: the allocation exists from now, and the client gets its answer. */
    private void complete(Instant now, StunMessage m, LongTermAuth.Credential credential, FiveTuple tuple,
            List<TransportAddress> relays, RelayPorts.Reservation made, boolean v6Refused) {
        List<TransportAddress> advertised = new ArrayList<>(relays.size());
        for (TransportAddress relay : relays) {
            advertised.add(config.externalAddress() != null && relay.ip() instanceof Inet4Address
                    ? TransportAddress.udp(config.externalAddress(), relay.port()) : relay);
        }
        String user = credential.username();
        Duration lifetime = lifetime(m);
        Allocation a = new Allocation(tuple.client(), tuple.server(), relays, List.copyOf(advertised),
                user, credential.key(), m.transactionId(), now.plus(lifetime), config.maxBytesPerSecond(), now);
        a.lifetimeSeconds = lifetime.toSeconds();
        a.reservationToken = made == null ? null : made.token();
        byClient.put(tuple, a);
        byServer.computeIfAbsent(tuple.server(), server -> new HashMap<>()).put(tuple.client(), a);
        relays.forEach(r -> byRelay.put(r, a));
        quotas.take(user, tuple.client().ip(), made == null ? 1 : 2); // the reservation holds a slot too
        expiries.add(new Expiry(nextCheck(a, now), a));
        counters.allocationsCreated++;
        reply(m, allocateSuccess(m, a, v6Refused ? now : null), credential.key(), tuple.client(), tuple.server());
    }

    /**
     * ADDITIONAL-ADDRESS-FAMILY (RFC 8656 section 18.11, type 0x8000), or the type 0x8032 that the drafts
     * used and coturn's clients still send.
     */
    private static Numeric additionalFamily(StunMessage m) {
        Numeric additional = m.get(StunAttributeType.ADDITIONAL_ADDRESS_FAMILY);
        if (additional != null) {
            return additional;
        }
        for (StunAttribute a : m.attributes()) {
            if (a instanceof StunAttribute.Opaque o && o.type() == LEGACY_ADDITIONAL_ADDRESS_FAMILY
                    && o.value().length == 4) {
                return new Numeric(StunAttributeType.ADDITIONAL_ADDRESS_FAMILY.code(), o.value()[0] & 0xFF);
            }
        }
        return null;
    }

    private StunMessage.Builder allocateSuccess(StunMessage m, Allocation a, Instant v6Refused) {
        StunMessage.Builder b = m.successResponse();
        for (TransportAddress relay : a.advertised) {
            b.add(new Address(StunAttributeType.XOR_RELAYED_ADDRESS.code(), relay.ip(), relay.port()));
        }
        if (v6Refused != null) {
            b.add(new StunAttribute.AddressErrorCode(2, 440, "Address Family not Supported"));
        }
        b.add(new Numeric(StunAttributeType.LIFETIME.code(), a.lifetimeSeconds));
        if (a.reservationToken != null) {
            b.add(new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), a.reservationToken));
        }
        return b.add(StunAttribute.xorMappedAddress(a.client.ip(), a.client.port()));
    }

    // RFC 8656 section 7.3.
    private void refresh(Instant now, StunMessage m, LongTermAuth.Credential credential, FiveTuple tuple,
            Allocation a) {
        Numeric family = m.get(StunAttributeType.REQUESTED_ADDRESS_FAMILY);
        if (family != null && a.relays.stream().noneMatch(r -> (r.ip() instanceof Inet4Address ? 1 : 2) == family.value())) {
            error(m, 443, "Peer Address Family Mismatch", credential, tuple);
            return;
        }
        Numeric requested = m.get(StunAttributeType.LIFETIME);
        long seconds;
        if (requested != null && requested.value() == 0 && family != null && a.relays.size() > 1) {
            // RFC 8656 section 7.3: with REQUESTED-ADDRESS-FAMILY, only that family's relay is given up.
            TransportAddress gone = a.dropRelay(family.value() == 1 ? Inet4Address.class : Inet6Address.class);
            byRelay.remove(gone);
            ports.close(gone);
            seconds = 0;
        } else if (requested != null && requested.value() == 0) {
            delete(a);
            seconds = 0;
        } else {
            Duration lifetime = lifetime(m);
            a.expires = now.plus(lifetime);
            a.lifetimeSeconds = lifetime.toSeconds();
            seconds = lifetime.toSeconds();
        }
        reply(m, m.successResponse().add(new Numeric(StunAttributeType.LIFETIME.code(), seconds)), credential.key(),
                tuple.client(), tuple.server());
    }

    // RFC 8656 section 9.2.
    private void createPermission(Instant now, StunMessage m, LongTermAuth.Credential credential, FiveTuple tuple,
            Allocation a) {
        List<InetAddress> ips = new ArrayList<>();
        for (StunAttribute attribute : m.attributes()) {
            if (attribute instanceof Address peer && peer.type() == StunAttributeType.XOR_PEER_ADDRESS.code()) {
                if (a.relayFor(peer.ip()) == null) {
                    error(m, 443, "Peer Address Family Mismatch", credential, tuple);
                    return;
                }
                if (!peers.allowed(peer.ip())) {
                    error(m, 403, "Forbidden", credential, tuple);
                    return;
                }
                ips.add(peer.ip());
            }
        }
        if (ips.isEmpty()) {
            error(m, 400, "Bad Request: XOR-PEER-ADDRESS missing", credential, tuple);
            return;
        }
        for (InetAddress ip : ips) {
            if (!a.permit(ip, now)) {
                error(m, 508, "Insufficient Capacity: too many permissions", credential, tuple);
                return;
            }
        }
        reply(m, m.successResponse(), credential.key(), tuple.client(), tuple.server());
    }

    // RFC 8656 section 11.2.
    private void channelBind(Instant now, StunMessage m, LongTermAuth.Credential credential, FiveTuple tuple,
            Allocation a) {
        Numeric number = m.get(StunAttributeType.CHANNEL_NUMBER);
        Address peer = m.get(StunAttributeType.XOR_PEER_ADDRESS);
        if (number == null || number.value() < MIN_CHANNEL || number.value() > MAX_CHANNEL || peer == null) {
            error(m, 400, "Bad Request: channel number or peer", credential, tuple);
            return;
        }
        if (a.relayFor(peer.ip()) == null) {
            error(m, 443, "Peer Address Family Mismatch", credential, tuple);
            return;
        }
        TransportAddress peerAddress = TransportAddress.udp(peer.ip(), peer.port());
        if (!peers.allowed(peerAddress)) {
            error(m, 403, "Forbidden", credential, tuple);
            return;
        }
        if (!a.bind((int) number.value(), peerAddress, now)) {
            error(m, 400, "Bad Request: channel or peer bound otherwise", credential, tuple);
            return;
        }
        if (!a.permit(peer.ip(), now)) {
            error(m, 508, "Insufficient Capacity: too many permissions", credential, tuple);
            return;
        }
        reply(m, m.successResponse(), credential.key(), tuple.client(), tuple.server());
    }

    // --- Data (DataRelay) ------------------------------------------------------------------------------

    /**
     * The allocation-free path for a driver's datagrams: ChannelData from a UDP client and datagrams from
     * peers to UDP clients, written into the driver's reused buffer instead of a new buffer and
     * {@link Transmit} each, as a relay carries every media packet of its calls. The server behaves exactly
     * as if the datagram had gone through {@link #handleInput} (same checks, counters and output); only the
     * delivery differs.
     *
     * <p>Returns false when the server does not take this one here (STUN, TCP clients, too large for
     * {@code out}): the driver then gives it to {@code handleInput}. Returns true when it was handled: {@code out}
     * (cleared here) then holds between position 0 and its limit the datagram to send from
     * {@link #relayedFrom()} to {@link #relayedTo()}, or nothing when it was dropped (and counted).
     * {@code data} is not consumed.
     */
    public boolean relay(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data,
            ByteBuffer out) {
        return this.data.relay(now, source, destination, data, out);
    }

    /** The local address to send the last relayed datagram from. */
    public TransportAddress relayedFrom() {
        return data.relayedFrom();
    }

    /** Where to send the last relayed datagram. */
    public TransportAddress relayedTo() {
        return data.relayedTo();
    }

    private Allocation allocation(TransportAddress client, TransportAddress server) {
        Map<TransportAddress, Allocation> clients = byServer.get(server);
        return clients == null ? null : clients.get(client);
    }

    // --- Helpers ----------------------------------------------------------------------------------------

    private void error(StunMessage m, int code, String reason, LongTermAuth.Credential credential, FiveTuple tuple) {
        reply(m, m.errorResponse(code, reason), credential.key(), tuple.client(), tuple.server());
    }

    /** Sends a response: signed when the request was authenticated, fingerprinted when the request was. */
    private void reply(StunMessage request, StunMessage.Builder response, StunKey key, TransportAddress client,
            TransportAddress server) {
        if (transmits.size() >= DataRelay.MAX_QUEUED) {
            counters.dropped++;
            return;
        }
        if (key != null) {
            response.integrity(key);
        }
        if (request.hasFingerprint()) {
            response.fingerprint();
        }
        transmits.add(new Transmit(server, client, counters.responded(response.build()).asBuffer()));
    }

    private Duration lifetime(StunMessage m) {
        // RFC 8656 section 7.2: the requested lifetime within [default, max]; the default when absent.
        Numeric requested = m.get(StunAttributeType.LIFETIME);
        long seconds = requested == null ? config.defaultLifetime().toSeconds()
                : Math.max(config.defaultLifetime().toSeconds(), Math.min(requested.value(), config.maxLifetime().toSeconds()));
        return Duration.ofSeconds(seconds);
    }

    private InetAddress relayIp(Class<? extends InetAddress> family) {
        for (InetAddress ip : config.relayAddresses()) {
            if (family.isInstance(ip)) {
                return ip;
            }
        }
        return null;
    }

    /** The next time the allocation needs looking at: its expiry, or a minute from now to prune it. */
    private static Instant nextCheck(Allocation a, Instant now) {
        Instant prune = now.plusSeconds(60);
        return a.expires.isBefore(prune) ? a.expires : prune;
    }

    private void delete(Allocation a) {
        byClient.remove(new FiveTuple(a.client, a.server));
        Map<TransportAddress, Allocation> clients = byServer.get(a.server);
        if (clients != null && clients.remove(a.client, a) && clients.isEmpty()) {
            byServer.remove(a.server);
        }
        for (TransportAddress relay : a.relays) {
            byRelay.remove(relay);
            ports.close(relay);
        }
        quotas.release(a.username, a.client.ip(), 1);
    }
}
