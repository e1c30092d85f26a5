package org.rtc4j.server.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is in which room: joins (decided here when the hub is alone, admitted by the {@link Cluster} first when
 * rooms are shared), leaves, and rooms made and dropped with their per-address counts. Apart from the hub's
 * clients and message handling because these rules carry its ordering: membership changes under the hub's
 * lock and then the room's, which relays also take, so a member is announced only once it can receive.
 */
final class RoomMembership {
    private final SignalingHub hub;
    /** Rooms created per address, under the hub's lock; entries go at zero. */
    private final Map<String, Integer> roomsByAddress = new HashMap<>();

    RoomMembership(SignalingHub hub) {
        this.hub = hub;
    }

    void join(Client c, JsonNode msg) {
        JsonNode roomField = msg.get("room");
        if (roomField == null || !roomField.isTextual()
                || !SignalingHub.ROOM_NAME.matcher(roomField.asText()).matches()) {
            hub.reject(c, ErrorCode.BAD_ROOM, "join",
                    "a room name is 1 to 64 letters, digits, '-', '_' or '.'");
            return;
        }
        String name = roomField.asText();
        if (hub.cluster != null) {
            clusterJoin(c, name);
            hub.cluster.flush();
            return;
        }
        SignalingSettings settings = hub.settings();
        synchronized (hub.lock) {
            if (!c.connected) {
                return;
            }
            if (c.room != null) {
                hub.reject(c, ErrorCode.ALREADY_JOINED, "join",
                        "already in room '" + c.room.name + "'; leave it first");
                return;
            }
            Room room = hub.rooms.get(name);
            if (room == null) {
                if (hub.rooms.size() >= settings.maxRooms()) {
                    hub.reject(c, ErrorCode.TOO_MANY_ROOMS, "join", "the server holds its limit of "
                            + settings.maxRooms() + " rooms; try again later");
                    return;
                }
                if (c.address != null && roomsByAddress.getOrDefault(c.address, 0) >= settings.maxRoomsPerAddress()) {
                    hub.reject(c, ErrorCode.TOO_MANY_ROOMS, "join", "your address created its limit of "
                            + settings.maxRoomsPerAddress() + " rooms; join an existing one or leave one first");
                    return;
                }
                room = new Room(name, c.address);
                hub.rooms.put(name, room);
                if (c.address != null) {
                    roomsByAddress.merge(c.address, 1, Integer::sum);
                }
            }
            List<Client> present = room.members;
            if (present.size() >= settings.roomCapacity()) {
                hub.reject(c, ErrorCode.ROOM_FULL, "join", "room '" + name + "' is full ("
                        + settings.roomCapacity() + " of " + settings.roomCapacity() + ")");
                return;
            }
            hub.stats.joins.increment();
            String joined = hub.protocol.joined(name, c, present, List.of());
            String arrival = ProtocolJson.peerEvent("peer-joined", name, c.id());
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

    /**
     * A join with rooms shared across servers: the cluster admits the client atomically (outside the lock,
     * it waits on Redis), then, as for a local join, it is announced only once it can receive; the servers
     * of the other members hear of it after every message this server sent them before.
     */
    private void clusterJoin(Client c, String name) {
        Cluster cluster = hub.cluster;
        Room room;
        synchronized (hub.lock) {
            if (!c.connected) {
                return;
            }
            if (c.room != null || c.joining) {
                hub.reject(c, ErrorCode.ALREADY_JOINED, "join", "already in a room or joining one; leave it first");
                return;
            }
            room = hub.rooms.computeIfAbsent(name, n -> new Room(n, null));
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
            before = cluster.admit(name, c.id(), c.address, hub.settings());
        } catch (Cluster.Refused e) {
            refusal = e.code;
            why = e.getMessage();
        } catch (Cluster.Unavailable e) {
            refusal = ErrorCode.UNAVAILABLE;
            why = e.getMessage();
        }
        synchronized (hub.lock) {
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
                    hub.reject(c, refusal, "join", why);
                }
                return;
            }
            hub.stats.joins.increment();
            String self = cluster.serverId();
            String arrival = ProtocolJson.peerEvent("peer-joined", name, c.id());
            synchronized (room) {
                Map<String, String> remote = new LinkedHashMap<>(room.remote);
                before.forEach((id, server) -> {
                    // Not yet announced here: told now, since its own announcement will find it known and say nothing.
                    if (!server.equals(self) && remote.putIfAbsent(id, server) == null) {
                        String other = ProtocolJson.peerEvent("peer-joined", name, id);
                        room.members.forEach(p -> p.out.send(other));
                    }
                });
                room.remote = Collections.unmodifiableMap(remote);
                List<Client> present = room.members;
                c.room = room;
                room.add(c);
                c.out.send(hub.protocol.joined(name, c, present, remote.keySet()));
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

    void leave(Client c) {
        synchronized (hub.lock) {
            if (c.room == null) {
                hub.reject(c, ErrorCode.NOT_IN_ROOM, "leave", "not in a room");
                return;
            }
            String name = c.room.name;
            leaveRoom(c);
            c.out.send(ProtocolJson.left(name));
        }
        if (hub.cluster != null) {
            hub.cluster.flush();
        }
    }

    /** Takes the client out of its room, tells the others, drops the room when empty. Holds the hub's lock. */
    void leaveRoom(Client c) {
        Room room = c.room;
        if (room == null) {
            return;
        }
        synchronized (room) {
            c.room = null;
            room.remove(c);
            Cluster cluster = hub.cluster;
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
            String departure = ProtocolJson.peerEvent("peer-left", room.name, c.id());
            for (Client p : room.members) {
                p.out.send(departure);
            }
        }
    }

    /** Drops a room with no local member and no local join waiting. Holds the hub's lock. */
    private void dropIfEmpty(Room room) {
        if (room.members.isEmpty() && room.pending == 0 && hub.rooms.remove(room.name, room) && room.creator != null) {
            roomsByAddress.computeIfPresent(room.creator, (a, n) -> n > 1 ? n - 1 : null);
        }
    }
}
