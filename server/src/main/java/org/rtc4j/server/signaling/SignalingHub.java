package org.rtc4j.server.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The rooms of the signaling server and the rules of its JSON protocol (README, "Signaling protocol"),
 * without sockets: the server feeds it connects, text messages and disconnects, and it writes to each
 * client's {@link Outbound}. Time comes in as nanoseconds for the rate limit, so tests need no clock.
 *
 * <p>Relayed messages go only to members of the sender's room: a {@code to} that names anyone else is an
 * {@code unknown-peer} error. Bad input gets an {@code error} message back and never an exception.
 *
 * <p>The hub holds the clients, their limits and the entry points; its parts: {@link RoomMembership} (joins
 * and leaves), {@link RoomRelay} (relayed messages), {@link ClusterRooms} (what the other servers sharing
 * rooms tell it) and {@link ProtocolJson} (the JSON read and written).
 */
public final class SignalingHub {
    /** Room names: what fits a URL path segment unescaped. */
    static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** WebSocket close code 1008, policy violation (RFC 6455 7.4.1). */
    private static final int CLOSE_POLICY = 1008;
    /** WebSocket close code 1013, try again later (IANA registry). */
    private static final int CLOSE_TRY_LATER = 1013;

    private final SignalingSettings settings;
    /** The servers this one shares rooms with, or null when it is alone. */
    final Cluster cluster;
    final ProtocolJson protocol;
    final SignalingStats stats = new SignalingStats();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** Clients per address, under {@link #lock}; entries go at zero. */
    private final Map<String, Integer> clientsByAddress = new HashMap<>();
    /** Guards membership: joins, leaves and the room map. A relay takes only its room's lock. */
    final Object lock = new Object();
    /** Rewrites of the client counts in the cluster so far, under {@link #lock}. */
    private int countRewrites;
    /** What the other servers sharing rooms tell this one (RedisCluster hands it their messages). */
    final ClusterRooms clusterRooms = new ClusterRooms(this);
    private final RoomMembership membership = new RoomMembership(this);
    private final RoomRelay relay = new RoomRelay(this);

    public SignalingHub(SignalingSettings settings) {
        this(settings, null);
    }

    /**
     * A hub sharing its rooms with the other servers connected to {@code cluster} (null: alone). Room and
     * client limits then count every server's rooms and clients.
     */
    public SignalingHub(SignalingSettings settings, RedisCluster cluster) {
        this((Cluster) cluster, settings);
        if (cluster != null) {
            cluster.start(this);
        }
    }

    SignalingHub(Cluster cluster, SignalingSettings settings) {
        this.settings = settings;
        this.cluster = cluster;
        this.protocol = new ProtocolJson(settings);
    }

    public SignalingSettings settings() {
        return settings;
    }

    public SignalingStats stats() {
        return stats;
    }

    public int clientCount() {
        return clients.size();
    }

    public int roomCount() {
        return rooms.size();
    }

    /** Names and sizes of the rooms, for diagnostics. */
    public Map<String, Integer> roomSizes() {
        Map<String, Integer> sizes = new TreeMap<>();
        rooms.forEach((name, room) -> sizes.put(name, room.members.size()));
        return sizes;
    }

    /** A client connected from an address the limits do not count (tests, in-process clients). */
    public Client connect(Outbound out, long nowNanos) {
        return connect(out, null, nowNanos);
    }

    /**
     * A client connected from {@code address} (its IP address as text, or null when unknown). Returns its
     * handle, or null when the server, or this address's share of it, is full (the client then got a
     * {@code server-full} error and its connection is closed). With rooms shared, both limits count every
     * server's clients: the cluster decides atomically after the local limits (it waits on Redis).
     */
    public Client connect(Outbound out, String address, long nowNanos) {
        String refusal = null;
        Client c = null;
        CompletableFuture<String> counted = null;
        int rewrites = 0;
        synchronized (lock) {
            if (clients.size() >= settings.maxClients()) {
                refusal = "the server holds its limit of " + settings.maxClients() + " clients; try again later";
            } else if (address != null && clientsByAddress.getOrDefault(address, 0) >= settings.maxClientsPerAddress()) {
                refusal = "your address holds its limit of " + settings.maxClientsPerAddress() + " clients";
            } else {
                if (address != null) {
                    clientsByAddress.merge(address, 1, Integer::sum);
                }
                do {
                    c = new Client(newId(), address, out,
                            new TokenBucket(settings.messagesPerSecond(), settings.burst(), nowNanos));
                } while (clients.putIfAbsent(c.id(), c) != null);
                if (cluster != null) { // sent under the lock: Redis sees the counts change in the order they do here
                    counted = cluster.addClient(address, settings);
                    rewrites = countRewrites;
                }
            }
        }
        if (counted != null) {
            cluster.flush();
            if ((refusal = cluster.refusal(counted, settings)) != null) {
                synchronized (lock) {
                    forget(c);
                    if (rewrites != countRewrites) {
                        cluster.removeClient(address); // a rewrite since counted it, though Redis refused it
                    }
                }
                cluster.flush();
            }
        }
        if (refusal == null) {
            return c;
        }
        stats.error(ErrorCode.SERVER_FULL);
        out.send(protocol.error(ErrorCode.SERVER_FULL, null, refusal));
        out.close(CLOSE_TRY_LATER, "server full");
        return null;
    }

    /** The client's connection closed: it leaves its room. Safe to call more than once. */
    public void disconnect(Client c) {
        if (c == null) {
            return;
        }
        c.connected = false;
        synchronized (lock) {
            if (forget(c) && cluster != null) {
                cluster.removeClient(c.address);
            }
            membership.leaveRoom(c); // after: when its peers hear it left, it is gone from the counts too
        }
        if (cluster != null) {
            cluster.flush();
        }
    }

    /** Takes the client out of the counts; false if it was not in them. Holds the lock. */
    private boolean forget(Client c) {
        if (!clients.remove(c.id(), c)) {
            return false;
        }
        if (c.address != null) {
            clientsByAddress.computeIfPresent(c.address, (a, n) -> n > 1 ? n - 1 : null);
        }
        return true;
    }

    /** Hands the cluster this server's client counts whole, after Redis missed some changes. */
    void rewriteClientCounts() {
        synchronized (lock) {
            countRewrites++;
            cluster.rewriteClients(clients.size(), new HashMap<>(clientsByAddress));
        }
        cluster.flush();
    }

    /**
     * The client does not read: what waits to be sent to it passed {@link SignalingSettings#maxQueuedBytes()}
     * or {@link SignalingSettings#maxQueuedMessages()}. It is disconnected (its transport closes the
     * connection); the others see it leave.
     */
    public void notReading(Client c) {
        if (c != null && c.connected) {
            stats.disconnectedForNotReading.increment();
            disconnect(c);
        }
    }

    /** One text message from the client. */
    public void receive(Client c, String text, long nowNanos) {
        if (c == null || !c.connected) {
            return;
        }
        stats.received.increment();
        if (!c.bucket.tryTake(nowNanos)) {
            overRate(c);
            return;
        }
        c.overRate = 0;
        if (Utf8.length(text, settings.maxMessageBytes()) > settings.maxMessageBytes()) {
            reject(c, ErrorCode.TOO_LARGE, null, "messages are limited to " + settings.maxMessageBytes() + " bytes");
            return;
        }
        JsonNode msg;
        try {
            msg = protocol.read(text);
        } catch (JsonProcessingException | RuntimeException e) {
            reject(c, ErrorCode.BAD_JSON, null, "not valid JSON");
            return;
        }
        if (msg == null || !msg.isObject() || !msg.path("type").isTextual()) {
            reject(c, ErrorCode.BAD_MESSAGE, null, "a message is a JSON object with a string \"type\"");
            return;
        }
        String type = msg.get("type").asText();
        switch (type) {
            case "join" -> membership.join(c, msg);
            case "leave" -> membership.leave(c);
            case "offer", "answer", "candidate", "message" -> relay.relay(c, type, msg);
            case "ping" -> c.out.send("{\"type\":\"pong\"}");
            default -> reject(c, ErrorCode.UNKNOWN_TYPE, null, "unknown message type");
        }
    }

    /** A binary message from the client: the protocol is JSON text only. */
    public void receiveBinary(Client c, long nowNanos) {
        if (c == null || !c.connected) {
            return;
        }
        stats.received.increment();
        if (!c.bucket.tryTake(nowNanos)) {
            overRate(c);
            return;
        }
        c.overRate = 0;
        reject(c, ErrorCode.BAD_MESSAGE, null, "messages are JSON text, not binary");
    }

    private void overRate(Client c) {
        c.overRate++;
        if (c.overRate == 1) {
            stats.error(ErrorCode.RATE_LIMITED);
            c.out.send(protocol.error(ErrorCode.RATE_LIMITED, null, "over " + settings.messagesPerSecond()
                    + " messages per second; messages are dropped until the rate falls"));
        } else if (c.overRate >= settings.floodDisconnect()) {
            stats.disconnectedForFlooding.increment();
            c.out.close(CLOSE_POLICY, "message flood");
            disconnect(c);
        }
    }

    /** An error back to the client, counted; nothing else happens. */
    void reject(Client c, ErrorCode code, String request, String message) {
        stats.error(code);
        c.out.send(protocol.error(code, request, message));
    }

    /** For {@link ClusterRooms}: the same text as the hub's own announcements. */
    String peerEvent(String type, String room, String id) {
        return ProtocolJson.peerEvent(type, room, id);
    }

    private static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] id = new char[10];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET.charAt(r.nextInt(ID_ALPHABET.length()));
        }
        return new String(id);
    }
}
