package org.rtc4j.ice.turn;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.ChannelData;
import org.rtc4j.ice.stun.StunMethod;

/**
 * The permissions (RFC 8656 section 9) and channels (section 12) of one allocation, refreshed while it lives
 * (permissions last 5 minutes, channels 10), and the few datagrams that wait for a permission.
 */
final class PeerBindings {

    private static final Duration PERMISSION_REFRESH = Duration.ofMinutes(4);
    private static final Duration CHANNEL_REFRESH = Duration.ofMinutes(9);
    private static final int MAX_PENDING = 64;
    private static final int MAX_PEERS = 256;
    private static final int FIRST_CHANNEL = ChannelData.MIN_CHANNEL;
    private static final int LAST_CHANNEL = ChannelData.MAX_CHANNEL;

    static final class Permission {
        final InetAddress peer;
        boolean installed;
        boolean requested;
        Instant refreshAt;

        Permission(InetAddress peer) {
            this.peer = peer;
        }
    }

    static final class Channel {
        final int number;
        final TransportAddress peer;
        boolean bound;
        boolean requested;
        Instant refreshAt;

        Channel(int number, TransportAddress peer) {
            this.number = number;
            this.peer = peer;
        }
    }

    private record Queued(TransportAddress peer, byte[] data) {
    }

    private final TurnClient client;
    private final Map<InetAddress, Permission> permissions = new HashMap<>();
    private final Map<TransportAddress, Channel> channelsByPeer = new HashMap<>();
    private final Channel[] channelsByNumber = new Channel[LAST_CHANNEL - FIRST_CHANNEL + 1];
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private int nextChannel = FIRST_CHANNEL;

    PeerBindings(TurnClient client) {
        this.client = client;
    }

    /** The peer IP's permission, asked for when new; null when there can be none (too many, no allocation). */
    Permission permission(Instant now, InetAddress peer) {
        Permission p = permissions.get(peer);
        if (p == null) {
            if (permissions.size() >= MAX_PEERS || client.state() != TurnClient.State.ALLOCATED) {
                return null;
            }
            p = new Permission(peer);
            permissions.put(peer, p);
            p.requested = true;
            client.request(now, new TurnRequest(StunMethod.CREATE_PERMISSION,
                    new TransportAddress(Transport.UDP, peer, 0), null));
        }
        return p;
    }

    boolean installed(InetAddress peer) {
        Permission p = permissions.get(peer);
        return p != null && p.installed;
    }

    /** The peer's channel number, bound or being bound, asked for when new; -1 when none is left. */
    int bind(Instant now, TransportAddress peer) {
        Channel c = channelsByPeer.get(peer);
        if (c == null) {
            if (nextChannel > LAST_CHANNEL || channelsByPeer.size() >= MAX_PEERS) {
                return -1;
            }
            c = new Channel(nextChannel++, peer);
            channelsByPeer.put(peer, c);
            channelsByNumber[c.number - FIRST_CHANNEL] = c;
            c.requested = true;
            client.request(now, new TurnRequest(StunMethod.CHANNEL_BIND, peer, c));
        }
        return c.number;
    }

    /** The number of the channel bound to this peer (binding one first when {@code bindNew}), or -1. */
    int boundChannel(Instant now, TransportAddress peer, boolean bindNew) {
        if (bindNew && !channelsByPeer.containsKey(peer)) {
            bind(now, peer);
        }
        return channel(peer);
    }

    /** The number of the channel bound to this peer, or -1. */
    int channel(TransportAddress peer) {
        Channel c = channelsByPeer.get(peer);
        return c != null && c.bound ? c.number : -1;
    }

    /** The peer of a bound channel number (ChannelData in, RFC 8656 section 12.6), or null. */
    TransportAddress peerOf(int number) {
        if (number < FIRST_CHANNEL || number > LAST_CHANNEL) {
            return null;
        }
        Channel c = channelsByNumber[number - FIRST_CHANNEL];
        return c != null && c.bound ? c.peer : null;
    }

    /** Keeps a copy of a datagram until the peer's permission is installed; false when too many wait. */
    boolean queue(TransportAddress peer, ByteBuffer data) {
        if (queued.size() >= MAX_PENDING) {
            return false;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        queued.add(new Queued(peer, copy));
        return true;
    }

    void clearQueued() {
        queued.clear();
    }

    void permissionResponse(Instant now, TurnRequest r, boolean success, int code, String reason) {
        Permission p = permissions.get(r.peer.ip());
        if (p == null) {
            return;
        }
        p.requested = false;
        if (success) {
            p.refreshAt = now.plus(PERMISSION_REFRESH);
            boolean first = !p.installed;
            p.installed = true;
            client.event(new TurnEvent.PermissionCreated(p.peer));
            if (first) {
                flushQueued(now, p.peer);
            }
        } else {
            permissionFailed(r, code, reason);
        }
    }

    void channelResponse(Instant now, TurnRequest r, boolean success, int code, String reason) {
        Channel c = r.channel;
        c.requested = false;
        if (success) {
            c.refreshAt = now.plus(CHANNEL_REFRESH);
            if (!c.bound) {
                c.bound = true;
                // A channel binding installs or refreshes the permission too (RFC 8656 section 12.2).
                Permission p = permissions.get(c.peer.ip());
                if (p != null && p.installed) {
                    p.refreshAt = now.plus(PERMISSION_REFRESH);
                }
                client.event(new TurnEvent.ChannelBound(c.peer, c.number));
            }
        } else if (!c.bound) {
            unbind(c);
            client.event(new TurnEvent.Failed(r.method, code, reason));
        }
    }

    /** A CreatePermission or ChannelBind that failed (an error, or no answer). */
    void failed(TurnRequest r, int code, String reason) {
        if (r.method == StunMethod.CREATE_PERMISSION) {
            permissionFailed(r, code, reason);
        } else {
            if (!r.channel.bound) {
                unbind(r.channel);
            }
            r.channel.requested = false;
            client.event(new TurnEvent.Failed(r.method, code, reason));
        }
    }

    private void permissionFailed(TurnRequest r, int code, String reason) {
        permissions.remove(r.peer.ip());
        queued.removeIf(q -> q.peer.ip().equals(r.peer.ip()));
        client.event(new TurnEvent.Failed(r.method, code, reason));
    }

    private void unbind(Channel c) {
        channelsByPeer.remove(c.peer);
        channelsByNumber[c.number - FIRST_CHANNEL] = null;
    }

    private void flushQueued(Instant now, InetAddress peer) {
        for (Iterator<Queued> it = queued.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            if (q.peer.ip().equals(peer)) {
                it.remove();
                client.send(now, q.peer, ByteBuffer.wrap(q.data));
            }
        }
    }

    /** Refreshes the permissions and channels that are due. */
    void handleTimeout(Instant now) {
        for (Permission p : permissions.values()) {
            if (p.installed && !p.requested && !now.isBefore(p.refreshAt)) {
                p.requested = true;
                client.request(now, new TurnRequest(StunMethod.CREATE_PERMISSION,
                        new TransportAddress(Transport.UDP, p.peer, 0), null));
            }
        }
        for (Channel c : channelsByPeer.values()) {
            if (c.bound && !c.requested && !now.isBefore(c.refreshAt)) {
                c.requested = true;
                client.request(now, new TurnRequest(StunMethod.CHANNEL_BIND, c.peer, c));
            }
        }
    }

    Instant pollTimeout(Instant next) {
        for (Permission p : permissions.values()) {
            if (p.installed && !p.requested) {
                next = TurnClient.min(next, p.refreshAt);
            }
        }
        for (Channel c : channelsByPeer.values()) {
            if (c.bound && !c.requested) {
                next = TurnClient.min(next, c.refreshAt);
            }
        }
        return next;
    }
}
