package org.rtc4j.server.signaling;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's side of rooms shared with other servers: what they tell it (joins, leaves, relays, room
 * rewrites after Redis was away) and which of them are alive. Member lists change under the room's lock,
 * as local joins and relays do.
 */
final class ClusterRooms {
    private final SignalingHub hub;

    ClusterRooms(SignalingHub hub) {
        this.hub = hub;
    }

    /**
     * A message from another server (see {@link RedisCluster}): {@code J room id server} a member joined
     * there, {@code L room id} one left, {@code M room to from text} a relay from {@code from} for a member
     * here ({@code to} empty: every member here), {@code G room server} that server has no member in the
     * room (it left while this one was joining), {@code R room} re-read the room from Redis. Fields are separated by newlines,
     * which room names and ids cannot hold. Servers sharing Redis trust each other; anything malformed is
     * dropped.
     */
    void receive(String message) {
        handle(message);
        hub.cluster.flush(); // a G answer
    }

    private void handle(String message) {
        String[] f = message.split("\n", 4);
        if (f.length < 2) {
            return;
        }
        Room room = hub.rooms.get(f[1]);
        switch (f[0]) {
            case "J" -> {
                if (f.length < 4 || !SignalingHub.ROOM_NAME.matcher(f[1]).matches()) {
                    return;
                }
                if (room == null) {
                    hub.cluster.send(f[3], "G\n" + f[1] + "\n" + hub.cluster.serverId()); // none here: it should know
                    return;
                }
                synchronized (room) { // as a local join becomes a member: it either sees this one or is seen
                    if (room.members.isEmpty() && room.joining.isEmpty()) {
                        hub.cluster.send(f[3], "G\n" + f[1] + "\n" + hub.cluster.serverId());
                    } else if (!room.remote.containsKey(f[2])) {
                        Map<String, String> remote = new LinkedHashMap<>(room.remote);
                        remote.put(f[2], f[3]);
                        room.remote = Collections.unmodifiableMap(remote);
                        String arrival = hub.peerEvent("peer-joined", room.name, f[2]);
                        room.members.forEach(p -> p.out.send(arrival));
                    }
                }
            }
            case "L" -> {
                if (room != null && f.length >= 3) {
                    synchronized (room) {
                        forgetRemote(room, Set.of(f[2]));
                    }
                }
            }
            case "M" -> {
                String[] m = message.split("\n", 5);
                if (room != null && m.length == 5) {
                    relay(room, m[2], m[3], m[4]);
                }
            }
            case "G" -> {
                if (room != null && f.length >= 3) {
                    synchronized (room) {
                        Set<String> gone = new HashSet<>();
                        room.remote.forEach((id, server) -> {
                            if (server.equals(f[2])) {
                                gone.add(id);
                            }
                        });
                        forgetRemote(room, gone);
                    }
                }
            }
            case "R" -> {
                if (room != null) {
                    hub.cluster.resync(room.name);
                }
            }
            default -> { }
        }
    }

    /**
     * A relay from {@code from} on another server to {@code to} here (empty: every member here). A client
     * admitted in Redis but not yet a member here gets it after its {@code joined}: its peers may know of it
     * first. A relay to nobody here (it left; the sender's server hears so next) is dropped and counted.
     */
    private void relay(Room room, String to, String from, String text) {
        int limit = hub.settings().maxQueuedMessages();
        synchronized (room) {
            boolean found = false;
            for (Client p : room.members) {
                if (to.isEmpty() || p.id().equals(to)) {
                    p.out.send(text);
                    found = true;
                }
            }
            for (Map.Entry<String, List<Room.Relayed>> j : room.joining.entrySet()) {
                if ((to.isEmpty() || j.getKey().equals(to)) && j.getValue().size() < limit) {
                    j.getValue().add(new Room.Relayed(from, text));
                    found = true;
                }
            }
            if (!found && !to.isEmpty()) {
                hub.stats.clusterDropped.increment();
            }
        }
    }

    /**
     * The room as Redis holds it after a resynchronisation: the members here are told who arrived. Nobody is
     * taken out here (the other servers may not have rewritten their members yet): leaves missed while Redis
     * was out of reach come again as messages, and members of dead servers go with their heartbeat.
     */
    void members(String name, Map<String, String> members) {
        Room room = hub.rooms.get(name);
        if (room == null) {
            return;
        }
        String self = hub.cluster.serverId();
        synchronized (room) {
            Map<String, String> remote = new LinkedHashMap<>(room.remote);
            members.forEach((id, server) -> {
                if (!server.equals(self)) {
                    if (remote.putIfAbsent(id, server) == null) {
                        String arrival = hub.peerEvent("peer-joined", name, id);
                        room.members.forEach(p -> p.out.send(arrival));
                    }
                }
            });
            room.remote = Collections.unmodifiableMap(remote);
        }
    }

    /** The servers alive now: members on any other server left (their server stopped beating). */
    void liveServers(Set<String> live) {
        for (Room room : hub.rooms.values()) {
            Set<String> dead = new HashSet<>();
            synchronized (room) {
                room.remote.forEach((id, server) -> {
                    if (!live.contains(server)) {
                        dead.add(id);
                    }
                });
                if (!dead.isEmpty()) {
                    // Out of Redis first: a join that follows the peer-left runs after it, in the free place.
                    hub.cluster.remove(room.name, dead.toArray(String[]::new));
                    forgetRemote(room, dead);
                }
            }
        }
    }

    /** Removes members on other servers and tells the members here. Holds the room's lock. */
    private void forgetRemote(Room room, Set<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, String> remote = new LinkedHashMap<>(room.remote);
        for (String id : ids) {
            if (remote.remove(id) != null) {
                String departure = hub.peerEvent("peer-left", room.name, id);
                room.members.forEach(p -> p.out.send(departure));
            }
        }
        room.remote = Collections.unmodifiableMap(remote);
    }

    /** Rooms with members on this server. */
    List<String> localRoomNames() {
        return hub.rooms.values().stream().filter(r -> !r.members.isEmpty()).map(r -> r.name).toList();
    }

    /** Ids of the room's members on this server. */
    List<String> localMembers(String name) {
        Room room = hub.rooms.get(name);
        return room == null ? List.of() : room.members.stream().map(Client::id).toList();
    }

    /** The other servers with members in the room. */
    Set<String> remoteServers(String name) {
        Room room = hub.rooms.get(name);
        return room == null ? Set.of() : servers(room.remote);
    }

    /** The servers of a room's members elsewhere (member id to server id), each once. */
    static Set<String> servers(Map<String, String> remote) {
        return remote.isEmpty() ? Set.of() : new HashSet<>(remote.values());
    }
}
