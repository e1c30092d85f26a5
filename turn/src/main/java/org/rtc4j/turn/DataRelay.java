package org.rtc4j.turn;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttribute.Address;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;

/**
 * The data path of the TURN server (RFC 8656 sections 10 and 12): Send indications and ChannelData from
 * clients to their peers, datagrams from peers back to the clients as ChannelData or Data indications, each
 * checked against the allocation's permissions, channels, lifetime and bandwidth, and counted.
 *
 * <p>Each relayed datagram is first admitted (checked, counted, routed: {@code routeFrom -> routeTo}), then
 * written either into a fresh buffer for the transmit queue or, on the allocation-free path a driver may use
 * ({@link #relay}), into the driver's reused buffer: one logic for both.
 */
final class DataRelay {

    /** Transmits queued at most; more are dropped and counted (a slow driver must not grow memory). */
    static final int MAX_QUEUED = 4096;
    /** Room a Data indication needs around the data: header, XOR-PEER-ADDRESS (IPv6), DATA header, padding. */
    private static final int DATA_OVERHEAD = 20 + 24 + 4 + 3;

    /** Counters shared with the request side. */
    static final class Counters {
        long allocationsCreated;
        long packetsToPeers;
        long bytesToPeers;
        long packetsToClients;
        long bytesToClients;
        long malformed;
        long dropped;
        /** Error responses sent, by code (300-699, RFC 8489 section 14.8). */
        final long[] rejected = new long[400];

        /** Counts a response on its way out: error responses by their code. */
        void responded(StunMessage response) {
            if (response.messageClass() == StunClass.ERROR_RESPONSE) {
                rejected[response.get(StunAttributeType.ERROR_CODE).code() - 300]++;
            }
        }

        /** The error codes sent so far and how often. */
        Map<Integer, Long> rejections() {
            Map<Integer, Long> byCode = new java.util.TreeMap<>();
            for (int i = 0; i < rejected.length; i++) {
                if (rejected[i] != 0) {
                    byCode.put(300 + i, rejected[i]);
                }
            }
            return byCode;
        }
    }

    /** The allocations by client and server address. */
    interface Allocations {
        Allocation of(TransportAddress client, TransportAddress server);
    }

    private final Map<TransportAddress, Allocation> byRelay;
    private final Allocations allocations;
    private final ArrayDeque<Transmit> transmits;
    private final Counters counters;
    private final PeerFilter peers;
    /** Data indications' transaction ids (RFC 8656 section 11.4: the server picks them). */
    private final RandomGenerator random;
    /** Where the datagram admitted last goes, and its length. */
    private TransportAddress routeFrom;
    private TransportAddress routeTo;
    private int routeLength;

    DataRelay(Map<TransportAddress, Allocation> byRelay, Allocations allocations, ArrayDeque<Transmit> transmits,
              Counters counters, PeerFilter peers, RandomGenerator random) {
        this.byRelay = byRelay;
        this.random = random;
        this.peers = peers;
        this.allocations = allocations;
        this.transmits = transmits;
        this.counters = counters;
    }

    /** See {@link TurnServer#relay}. */
    boolean relay(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data,
                  ByteBuffer out) {
        Allocation relayOwner = byRelay.get(destination);
        if (relayOwner != null) {
            if (relayOwner.client.transport() != Transport.UDP || out.capacity() < data.remaining() + DATA_OVERHEAD) {
                return false; // TCP clients get padded frames through the queue
            }
            out.clear();
            Allocation.Channel channel = admitToClient(now, relayOwner, source, data.remaining());
            if (routeTo != null) {
                writeToClient(relayOwner, channel, source, data, out);
            }
            out.flip();
            return true;
        }
        if (destination.transport() != Transport.UDP || data.remaining() < 4
                || (data.get(data.position()) & 0xC0) != 0x40 || out.capacity() < data.remaining()) {
            return false;
        }
        out.clear();
        if (admitChannelData(now, source, destination, data)) {
            out.put(0, data, data.position() + 4, routeLength).limit(routeLength);
        } else {
            out.limit(0);
        }
        return true;
    }

    TransportAddress relayedFrom() {
        return routeFrom;
    }

    TransportAddress relayedTo() {
        return routeTo;
    }

    // RFC 8656 section 10.2.
    void sendIndication(Instant now, StunMessage m, TransportAddress source, TransportAddress destination) {
        Allocation a = allocations.of(source, destination);
        Address peer = m.get(StunAttributeType.XOR_PEER_ADDRESS);
        StunAttribute.Opaque data = m.get(StunAttributeType.DATA);
        TransportAddress to = peer == null ? null : TransportAddress.udp(peer.ip(), peer.port());
        if (a == null || to == null || data == null || !a.expires.isAfter(now) || peers.isServer(to)) {
            counters.dropped++;
            return;
        }
        if (admitToPeer(now, a, to, data.value().length)) {
            queue(ByteBuffer.allocate(routeLength).put(data.value()).flip());
        }
    }

    // RFC 8656 section 12.6: ChannelData from the client.
    void channelDataFromClient(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        if (admitChannelData(now, source, destination, data)) {
            queue(ByteBuffer.allocate(routeLength).put(0, data, data.position() + 4, routeLength));
        }
    }

    /** Checks a ChannelData message from a client; true when its payload may go to the channel's peer. */
    private boolean admitChannelData(Instant now, TransportAddress source, TransportAddress destination,
                                     ByteBuffer data) {
        int p = data.position();
        int number = (data.get(p) & 0xFF) << 8 | (data.get(p + 1) & 0xFF);
        int length = (data.get(p + 2) & 0xFF) << 8 | (data.get(p + 3) & 0xFF);
        if (length > data.remaining() - 4 || number > TurnServer.MAX_CHANNEL) {
            counters.malformed++;
            return false;
        }
        Allocation a = allocations.of(source, destination);
        Allocation.Channel channel = a == null || !a.expires.isAfter(now) ? null : a.channel(number, now);
        if (channel == null) {
            counters.dropped++;
            return false;
        }
        return admitToPeer(now, a, channel.peer(), length);
    }

    private boolean admitToPeer(Instant now, Allocation a, TransportAddress peer, int length) {
        TransportAddress relay = a.relayFor(peer.ip());
        if (relay == null || !a.permits(peer.ip(), now) || !a.spendToPeers(length, now)
                || transmits.size() >= MAX_QUEUED) {
            counters.dropped++;
            return false;
        }
        route(relay, peer, length);
        counters.packetsToPeers++;
        counters.bytesToPeers += length;
        return true;
    }

    // RFC 8656 sections 10.3 and 12.7: a datagram from a peer, to the client as ChannelData or Data.
    void fromPeer(Instant now, Allocation a, TransportAddress peer, ByteBuffer data) {
        Allocation.Channel channel = admitToClient(now, a, peer, data.remaining());
        if (routeTo == null) {
            return;
        }
        int length = data.remaining();
        boolean stream = a.client.transport() == Transport.TCP;
        ByteBuffer out = ByteBuffer.allocate(channel == null ? length + DATA_OVERHEAD
                : 4 + (stream ? (length + 3) & ~3 : length));
        writeToClient(a, channel, peer, data, out);
        queue(out.flip());
    }

    /**
     * Checks a datagram from a peer; routes it to the client when it may go ({@code routeTo} is null when
     * not) and returns the channel bound to the peer, if any.
     */
    private Allocation.Channel admitToClient(Instant now, Allocation a, TransportAddress peer, int length) {
        routeTo = null;
        if (!a.expires.isAfter(now) || !a.permits(peer.ip(), now) || !a.spendToClient(length, now)
                || transmits.size() >= MAX_QUEUED) {
            counters.dropped++;
            return null;
        }
        route(a.server, a.client, length);
        counters.packetsToClients++;
        counters.bytesToClients += length;
        return a.channelTo(peer, now);
    }

    /** Writes the datagram for the client at {@code out}'s position: ChannelData (padded on TCP) or Data. */
    private void writeToClient(Allocation a, Allocation.Channel channel, TransportAddress peer,
                                      ByteBuffer data, ByteBuffer out) {
        int length = data.remaining();
        if (channel != null) {
            out.putShort((short) channel.number()).putShort((short) length);
            out.put(out.position(), data, data.position(), length).position(out.position() + length);
            if (a.client.transport() == Transport.TCP) {
                for (int pad = (4 - (length & 3)) & 3; pad > 0; pad--) {
                    out.put((byte) 0); // RFC 8656 section 12.5: padded to a multiple of four over streams
                }
            }
        } else {
            byte[] bytes = new byte[length];
            data.get(data.position(), bytes);
            out.put(StunMessage.builder(StunMethod.DATA, StunClass.INDICATION, TransactionId.random(random))
                    .add(new Address(StunAttributeType.XOR_PEER_ADDRESS.code(), peer.ip(), peer.port()))
                    .add(new StunAttribute.Opaque(StunAttributeType.DATA.code(), bytes))
                    .build().asBuffer());
        }
    }

    private void route(TransportAddress from, TransportAddress to, int length) {
        routeFrom = from;
        routeTo = to;
        routeLength = length;
    }

    private void queue(ByteBuffer payload) {
        transmits.add(new Transmit(routeFrom, routeTo, payload));
    }
}
