package org.rtc4j.server.signaling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A room: its members in order of arrival. The member list is replaced, never changed, under the hub's lock,
 * so relaying reads a consistent snapshot without a lock. With a {@link Cluster}, {@code members} are this
 * server's members and {@code remote} the others'.
 */
final class Room {
    final String name;
    /** The address of the client that created it, counted against its per-address limit; may be null. */
    final String creator;
    volatile List<Client> members = List.of();
    /** Members on other servers (client id to server id), replaced under this room's lock. */
    volatile Map<String, String> remote = Map.of();
    /** Local joins waiting for the cluster's answer, under the hub's lock: the room stays while any wait. */
    int pending;
    /**
     * The same joins by client id, under this room's lock, with the relays from other servers that reached
     * them before they became members (Redis admitted them, and told the others, first): delivered after
     * their {@code joined}, not dropped.
     */
    final Map<String, List<Relayed>> joining = new HashMap<>();

    /** A relay from a member on another server ({@code from}) to a client here. */
    record Relayed(String from, String text) {
    }

    Room(String name, String creator) {
        this.name = name;
        this.creator = creator;
    }

    void add(Client c) {
        List<Client> next = new ArrayList<>(members);
        next.add(c);
        members = Collections.unmodifiableList(next);
    }

    void remove(Client c) {
        List<Client> next = new ArrayList<>(members);
        next.remove(c);
        members = Collections.unmodifiableList(next);
    }

    Client member(String id) {
        for (Client c : members) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }
}
