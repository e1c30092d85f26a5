package org.rtc4j.turn;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.TransactionId;

/**
 * One allocation (RFC 8656 section 2.2): the client's 5-tuple, its relayed addresses, lifetime, the
 * permissions (RFC 8656 section 9) and channel bindings (section 12) it holds, and its bandwidth budget.
 */
final class Allocation {

    /** RFC 8656 section 9: permissions last 300 seconds; section 12: channel bindings 600. */
    static final long PERMISSION_SECONDS = 300;
    static final long CHANNEL_SECONDS = 600;
    static final int MAX_PERMISSIONS = 1024;

    record Channel(int number, TransportAddress peer, Instant expires) {
    }

    final TransportAddress client;
    final TransportAddress server;
    final List<TransportAddress> relays;     // bound addresses
    final List<TransportAddress> advertised; // what XOR-RELAYED-ADDRESS says, in the same order
    final String username;
    final StunKey key;
    final TransactionId createdBy;
    Instant expires;
    long lifetimeSeconds;
    /** The RESERVATION-TOKEN this allocation's Allocate handed out, repeated on retransmissions. */
    Long reservationToken;
    private final Map<InetAddress, Instant> permissions = new HashMap<>();
    private final Map<Integer, Channel> channelsByNumber = new HashMap<>();
    private final Map<TransportAddress, Channel> channelsByPeer = new HashMap<>();
    /** The channel found last by number and by peer: the per-datagram lookups, without boxing or hashing. */
    private Channel lastByNumber;
    private Channel lastByPeer;
    private final TokenBucket toPeers;
    private final TokenBucket toClient;

    Allocation(TransportAddress client, TransportAddress server, List<TransportAddress> relays,
            List<TransportAddress> advertised, String username, StunKey key, TransactionId createdBy,
            Instant expires, long bytesPerSecond, Instant now) {
        this.client = client;
        this.server = server;
        this.relays = new ArrayList<>(relays);
        this.advertised = new ArrayList<>(advertised);
        this.username = username;
        this.key = key;
        this.createdBy = createdBy;
        this.expires = expires;
        this.toPeers = new TokenBucket(bytesPerSecond, now);
        this.toClient = new TokenBucket(bytesPerSecond, now);
    }

    /** Removes the relay of this family (a dual allocation keeps the other) and returns it. */
    TransportAddress dropRelay(Class<? extends InetAddress> family) {
        for (int i = 0; i < relays.size(); i++) {
            if (family.isInstance(relays.get(i).ip())) {
                advertised.remove(i);
                return relays.remove(i);
            }
        }
        return null;
    }

    /** The relay of the same family as {@code peer}, or {@code null} (RFC 8656 section 9.1: 443). */
    TransportAddress relayFor(InetAddress peer) {
        for (TransportAddress relay : relays) {
            if (relay.ip().getClass() == peer.getClass()) {
                return relay;
            }
        }
        return null;
    }

    boolean permits(InetAddress peer, Instant now) {
        Instant until = permissions.get(peer);
        return until != null && now.isBefore(until);
    }

    /** Installs or refreshes a permission; false when the allocation holds too many. */
    boolean permit(InetAddress peer, Instant now) {
        if (!permissions.containsKey(peer) && permissions.size() >= MAX_PERMISSIONS) {
            prune(now);
            if (permissions.size() >= MAX_PERMISSIONS) {
                return false;
            }
        }
        permissions.put(peer, now.plusSeconds(PERMISSION_SECONDS));
        return true;
    }

    Channel channel(int number, Instant now) {
        Channel c = lastByNumber;
        if (c == null || c.number() != number) {
            c = channelsByNumber.get(number);
            lastByNumber = c;
        }
        return c != null && now.isBefore(c.expires()) ? c : null;
    }

    Channel channelTo(TransportAddress peer, Instant now) {
        Channel c = lastByPeer;
        if (c == null || !c.peer().equals(peer)) {
            c = channelsByPeer.get(peer);
            lastByPeer = c;
        }
        return c != null && now.isBefore(c.expires()) ? c : null;
    }

    /**
     * Binds or refreshes a channel (RFC 8656 section 11.2); false when the number is bound to another peer
     * or the peer to another number.
     */
    boolean bind(int number, TransportAddress peer, Instant now) {
        Channel byNumber = channel(number, now);
        Channel byPeer = channelTo(peer, now);
        if ((byNumber != null && !byNumber.peer().equals(peer)) || (byPeer != null && byPeer.number() != number)) {
            return false;
        }
        Channel c = new Channel(number, peer, now.plusSeconds(CHANNEL_SECONDS));
        lastByNumber = null;
        lastByPeer = null;
        Channel old = channelsByNumber.put(number, c);
        if (old != null) {
            channelsByPeer.remove(old.peer());
        }
        Channel oldPeer = channelsByPeer.put(peer, c);
        if (oldPeer != null && oldPeer.number() != number) {
            channelsByNumber.remove(oldPeer.number());
        }
        return true;
    }

    boolean spendToPeers(int bytes, Instant now) {
        return toPeers.take(bytes, now);
    }

    boolean spendToClient(int bytes, Instant now) {
        return toClient.take(bytes, now);
    }

    /** Drops expired permissions and channels. */
    void prune(Instant now) {
        lastByNumber = null;
        lastByPeer = null;
        permissions.values().removeIf(until -> !now.isBefore(until));
        for (Iterator<Channel> it = channelsByNumber.values().iterator(); it.hasNext(); ) {
            Channel c = it.next();
            if (!now.isBefore(c.expires())) {
                it.remove();
                channelsByPeer.remove(c.peer(), c);
            }
        }
    }

    int permissionCount() {
        return permissions.size();
    }

    int channelCount() {
        return channelsByNumber.size();
    }
}
