package org.rtc4j.server.signaling;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Relayed messages ({@code offer}, {@code answer}, {@code candidate}, {@code message}): checked, then sent to
 * one member or to every other member of the sender's room, here or through the servers of its members
 * elsewhere. Apart from {@link RoomMembership} because a relay never takes the hub's lock, only its room's.
 */
final class RoomRelay {
    private static final int MAX_ID_LENGTH = 64;

    private final SignalingHub hub;

    RoomRelay(SignalingHub hub) {
        this.hub = hub;
    }

    void relay(Client c, String type, JsonNode msg) {
        Room room = c.room;
        if (room == null) {
            hub.reject(c, ErrorCode.NOT_IN_ROOM, type, "join a room first");
            return;
        }
        JsonNode to = msg.get("to");
        if (to != null && !to.isNull() && (!to.isTextual() || to.asText().length() > MAX_ID_LENGTH)) {
            hub.reject(c, ErrorCode.BAD_MESSAGE, type, "\"to\" is a client id");
            return;
        }
        JsonNode data = msg.get("data");
        if (("offer".equals(type) || "answer".equals(type)) && (data == null || !data.isObject())) {
            hub.reject(c, ErrorCode.BAD_MESSAGE, type, "\"data\" of an " + type + " is a session description object");
            return;
        }
        if ("candidate".equals(type) && data != null && !data.isObject() && !data.isNull()) {
            hub.reject(c, ErrorCode.BAD_MESSAGE, type, "\"data\" of a candidate is an object or null");
            return;
        }
        String text = hub.protocol.relayed(type, c, data);
        synchronized (room) { // ordered with joins and leaves of this room (see RoomMembership); sends never block
            if (c.room != room) {
                return; // left while this message was being read
            }
            if (!deliver(c, type, room, to, text)) {
                return;
            }
        }
        if (hub.cluster != null) {
            hub.cluster.flush();
        }
        hub.stats.relayed.increment();
    }

    /** Sends a relayed message to its recipients; false when {@code to} names no other member (refused). */
    private boolean deliver(Client c, String type, Room room, JsonNode to, String text) {
        SignalingStats stats = hub.stats;
        if (to != null && !to.isNull()) {
            Client target = room.member(to.asText());
            String server = target == null ? room.remote.get(to.asText()) : null;
            if (server != null) {
                hub.cluster.send(server, "M\n" + room.name + "\n" + to.asText() + "\n" + c.id() + "\n" + text);
                stats.delivered.increment();
                return true;
            }
            if (target == null || target == c) {
                hub.reject(c, ErrorCode.UNKNOWN_PEER, type, "no other client with that id in room '" + room.name + "'");
                return false;
            }
            target.out.send(text);
            stats.delivered.increment();
        } else {
            for (Client p : room.members) {
                if (p != c) {
                    p.out.send(text);
                    stats.delivered.increment();
                }
            }
            if (!room.remote.isEmpty()) {
                for (String server : ClusterRooms.servers(room.remote)) {
                    hub.cluster.send(server, "M\n" + room.name + "\n\n" + c.id() + "\n" + text);
                }
                stats.delivered.add(room.remote.size());
            }
        }
        return true;
    }
}
