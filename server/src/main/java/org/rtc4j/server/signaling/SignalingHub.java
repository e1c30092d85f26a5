package org.rtc4j.server.signaling;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 */
public final class SignalingHub {
    /** Room names: what fits a URL path segment unescaped. */
    static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_ID_LENGTH = 64;
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** WebSocket close code 1008, policy violation (RFC 6455 7.4.1). */
    private static final int CLOSE_POLICY = 1008;
    /** WebSocket close code 1013, try again later (IANA registry). */
    private static final int CLOSE_TRY_LATER = 1013;

    private final SignalingSettings settings;
    /** The servers this one shares rooms with, or null when it is alone. */
    final Cluster cluster;
    private final ObjectMapper json;
    final SignalingStats stats = new SignalingStats();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** Per-address counts of clients and of rooms created, under {@link #lock}; entries go at zero. */
    private final Map<String, Integer> clientsByAddress = new HashMap<>();
    private final Map<String, Integer> roomsByAddress = new HashMap<>();
    /** Guards membership: joins, leaves and the room map. A relay takes only its room's lock. */
    private final Object lock = new Object();
    /** Rewrites of the client counts in the cluster so far, under {@link #lock}. */
    private int countRewrites;
    /** What the other servers sharing rooms tell this one (RedisCluster hands it their messages). */
    final ClusterRooms clusterRooms = new ClusterRooms(this);

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
        this.json = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxStringLength(settings.maxMessageBytes())
                .maxNumberLength(64)
                .build());
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
        out.send(error(ErrorCode.SERVER_FULL, null, refusal));
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
            leaveRoom(c); // after: when its peers hear it left, it is gone from the counts too
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
            msg = json.readTree(text);
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
            case "join" -> join(c, msg);
            case "leave" -> leave(c);
            case "offer", "answer", "candidate", "message" -> relay(c, type, msg);
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

    private void join(Client c, JsonNode msg) {
        JsonNode roomField = msg.get("room");
        if (roomField == null || !roomField.isTextual() || !ROOM_NAME.matcher(roomField.asText()).matches()) {
            reject(c, ErrorCode.BAD_ROOM, "join",
                    "a room name is 1 to 64 letters, digits, '-', '_' or '.'");
            return;
        }
        String name = roomField.asText();
        if (cluster != null) {
            clusterJoin(c, name);
            cluster.flush();
            return;
        }
        synchronized (lock) {
            if (!c.connected) {
                return;
            }
            if (c.room != null) {
                reject(c, ErrorCode.ALREADY_JOINED, "join", "already in room '" + c.room.name + "'; leave it first");
                return;
            }
            Room room = rooms.get(name);
            if (room == null) {
                if (rooms.size() >= settings.maxRooms()) {
                    reject(c, ErrorCode.TOO_MANY_ROOMS, "join", "the server holds its limit of "
                            + settings.maxRooms() + " rooms; try again later");
                    return;
                }
                if (c.address != null && roomsByAddress.getOrDefault(c.address, 0) >= settings.maxRoomsPerAddress()) {
                    reject(c, ErrorCode.TOO_MANY_ROOMS, "join", "your address created its limit of "
                            + settings.maxRoomsPerAddress() + " rooms; join an existing one or leave one first");
                    return;
                }
                room = new Room(name, c.address);
                rooms.put(name, room);
                if (c.address != null) {
                    roomsByAddress.merge(c.address, 1, Integer::sum);
                }
            }
            List<Client> present = room.members;
            if (present.size() >= settings.roomCapacity()) {
                reject(c, ErrorCode.ROOM_FULL, "join", "room '" + name + "' is full ("
                        + settings.roomCapacity() + " of " + settings.roomCapacity() + ")");
                return;
            }
            stats.joins.increment();
            String joined = joinedMessage(name, c, present, List.of());
            String arrival = peerEvent("peer-joined", name, c.id());
            // A member is announced only once it can receive: under the room's lock, which relays also take,
            // it becomes a member, is told it joined, and then the others hear of it. So "joined" is first in
            // its queue, an offer sent the moment "peer-joined" arrives finds it, a broadcast includes it, and
            // nothing it relays reaches the others before "peer-joined".
            synchronized (room) {
                c.room = room;
                room.add(c);
                c.out.send(joined);
                for (Client p : present) {
                    p.out.send(arrival);
                }
            }
        }
    }

    private String joinedMessage(String room, Client c, List<Client> local, Iterable<String> remote) {
        ObjectNode joined = json.createObjectNode();
        joined.put("type", "joined");
        joined.put("room", room);
        joined.put("id", c.id());
        ArrayNode peers = joined.putArray("peers");
        local.forEach(p -> peers.add(p.id()));
        remote.forEach(peers::add);
        joined.put("capacity", settings.roomCapacity());
        return joined.toString();
    }

    /**
     * A join with rooms shared across servers: the cluster admits the client atomically (outside the lock,
     * it waits on Redis), then, as for a local join, it is announced only once it can receive; the servers
     * of the other members hear of it after every message this server sent them before.
     */
    private void clusterJoin(Client c, String name) {
        Room room;
        synchronized (lock) {
            if (!c.connected) {
                return;
            }
            if (c.room != null || c.joining) {
                reject(c, ErrorCode.ALREADY_JOINED, "join", "already in a room or joining one; leave it first");
                return;
            }
            room = rooms.computeIfAbsent(name, n -> new Room(n, null));
            room.pending++;
            c.joining = true;
            synchronized (room) {
                room.joining.put(c.id(), new ArrayList<>());
            }
        }
        Map<String, String> before = null;
        ErrorCode refusal = null;
        String why = null;
        try {
            before = cluster.admit(name, c.id(), c.address, settings);
        } catch (Cluster.Refused e) {
            refusal = e.code;
            why = e.getMessage();
        } catch (Cluster.Unavailable e) {
            refusal = ErrorCode.UNAVAILABLE;
            why = e.getMessage();
        }
        synchronized (lock) {
            room.pending--;
            c.joining = false;
            List<Room.Relayed> early;
            synchronized (room) {
                early = room.joining.remove(c.id());
            }
            if (before == null || !c.connected) {
                if (before != null) { // it disconnected while Redis admitted it: the others were told it is there
                    Set<String> told = new HashSet<>(before.values());
                    told.addAll(room.remote.values());
                    told.remove(cluster.serverId());
                    for (String server : told) {
                        cluster.send(server, "L\n" + name + "\n" + c.id());
                    }
                    cluster.remove(name, c.id());
                }
                dropIfEmpty(room);
                if (refusal != null) {
                    reject(c, refusal, "join", why);
                }
                return;
            }
            stats.joins.increment();
            String self = cluster.serverId();
            String arrival = peerEvent("peer-joined", name, c.id());
            synchronized (room) {
                Map<String, String> remote = new LinkedHashMap<>(room.remote);
                before.forEach((id, server) -> {
                    // Not yet announced here: told now, since its own announcement will find it known and say nothing.
                    if (!server.equals(self) && remote.putIfAbsent(id, server) == null) {
                        String other = peerEvent("peer-joined", name, id);
                        room.members.forEach(p -> p.out.send(other));
                    }
                });
                room.remote = Collections.unmodifiableMap(remote);
                List<Client> present = room.members;
                c.room = room;
                room.add(c);
                c.out.send(joinedMessage(name, c, present, remote.keySet()));
                for (Room.Relayed r : early) {
                    if (remote.containsKey(r.from())) { // a peer it knows of (a broadcast may come from a later one)
                        c.out.send(r.text());
                    }
                }
                for (Client p : present) {
                    p.out.send(arrival);
                }
                for (String server : ClusterRooms.servers(remote)) {
                    cluster.send(server, "J\n" + name + "\n" + c.id() + "\n" + self);
                }
            }
        }
    }

    private void leave(Client c) {
        synchronized (lock) {
            if (c.room == null) {
                reject(c, ErrorCode.NOT_IN_ROOM, "leave", "not in a room");
                return;
            }
            String name = c.room.name;
            leaveRoom(c);
            c.out.send("{\"type\":\"left\",\"room\":" + quote(name) + "}");
        }
        if (cluster != null) {
            cluster.flush();
        }
    }

    /** Takes the client out of its room, tells the others, drops the room when empty. Holds the lock. */
    private void leaveRoom(Client c) {
        Room room = c.room;
        if (room == null) {
            return;
        }
        synchronized (room) {
            c.room = null;
            room.remove(c);
            if (cluster != null) {
                for (String server : ClusterRooms.servers(room.remote)) {
                    cluster.send(server, "L\n" + room.name + "\n" + c.id());
                }
                cluster.remove(room.name, c.id());
            }
            if (room.members.isEmpty()) {
                dropIfEmpty(room);
                return;
            }
            String departure = peerEvent("peer-left", room.name, c.id());
            for (Client p : room.members) {
                p.out.send(departure);
            }
        }
    }

    /** Drops a room with no local member and no local join waiting. Holds the lock. */
    private void dropIfEmpty(Room room) {
        if (room.members.isEmpty() && room.pending == 0 && rooms.remove(room.name, room) && room.creator != null) {
            roomsByAddress.computeIfPresent(room.creator, (a, n) -> n > 1 ? n - 1 : null);
        }
    }

    private void relay(Client c, String type, JsonNode msg) {
        Room room = c.room;
        if (room == null) {
            reject(c, ErrorCode.NOT_IN_ROOM, type, "join a room first");
            return;
        }
        JsonNode to = msg.get("to");
        if (to != null && !to.isNull() && (!to.isTextual() || to.asText().length() > MAX_ID_LENGTH)) {
            reject(c, ErrorCode.BAD_MESSAGE, type, "\"to\" is a client id");
            return;
        }
        JsonNode data = msg.get("data");
        if (("offer".equals(type) || "answer".equals(type)) && (data == null || !data.isObject())) {
            reject(c, ErrorCode.BAD_MESSAGE, type, "\"data\" of an " + type + " is a session description object");
            return;
        }
        if ("candidate".equals(type) && data != null && !data.isObject() && !data.isNull()) {
            reject(c, ErrorCode.BAD_MESSAGE, type, "\"data\" of a candidate is an object or null");
            return;
        }
        ObjectNode out = json.createObjectNode();
        out.put("type", type);
        out.put("from", c.id());
        out.set("data", data == null ? out.nullNode() : data);
        String text = out.toString();
        synchronized (room) { // ordered with joins and leaves of this room (see join); sends never block
            if (c.room != room) {
                return; // left while this message was being read
            }
            if (!deliver(c, type, room, to, text)) {
                return;
            }
        }
        if (cluster != null) {
            cluster.flush();
        }
        stats.relayed.increment();
    }

    /** Sends a relayed message to its recipients; false when {@code to} names no other member (refused). */
    private boolean deliver(Client c, String type, Room room, JsonNode to, String text) {
        List<Client> members = room.members;
        if (to != null && !to.isNull()) {
            Client target = room.member(to.asText());
            String server = target == null ? room.remote.get(to.asText()) : null;
            if (server != null) {
                cluster.send(server, "M\n" + room.name + "\n" + to.asText() + "\n" + c.id() + "\n" + text);
                stats.delivered.increment();
                return true;
            }
            if (target == null || target == c) {
                reject(c, ErrorCode.UNKNOWN_PEER, type, "no other client with that id in room '" + room.name + "'");
                return false;
            }
            target.out.send(text);
            stats.delivered.increment();
        } else {
            for (Client p : members) {
                if (p != c) {
                    p.out.send(text);
                    stats.delivered.increment();
                }
            }
            if (!room.remote.isEmpty()) {
                for (String server : ClusterRooms.servers(room.remote)) {
                    cluster.send(server, "M\n" + room.name + "\n\n" + c.id() + "\n" + text);
                }
                stats.delivered.add(room.remote.size());
            }
        }
        return true;
    }

    private void overRate(Client c) {
        c.overRate++;
        if (c.overRate == 1) {
            stats.error(ErrorCode.RATE_LIMITED);
            c.out.send(error(ErrorCode.RATE_LIMITED, null, "over " + settings.messagesPerSecond()
                    + " messages per second; messages are dropped until the rate falls"));
        } else if (c.overRate >= settings.floodDisconnect()) {
            stats.disconnectedForFlooding.increment();
            c.out.close(CLOSE_POLICY, "message flood");
            disconnect(c);
        }
    }

    private void reject(Client c, ErrorCode code, String request, String message) {
        stats.error(code);
        c.out.send(error(code, request, message));
    }

    private String error(ErrorCode code, String request, String message) {
        ObjectNode e = json.createObjectNode();
        e.put("type", "error");
        e.put("code", code.wireName());
        e.put("message", message);
        if (request != null) {
            e.put("request", request);
        }
        return e.toString();
    }

    String peerEvent(String type, String room, String id) {
        return "{\"type\":\"" + type + "\",\"room\":" + quote(room) + ",\"id\":" + quote(id) + "}";
    }

    /** Room names and ids are restricted to characters that need no escaping. */
    private static String quote(String safe) {
        return '"' + safe + '"';
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
