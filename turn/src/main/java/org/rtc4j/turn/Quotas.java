package org.rtc4j.turn;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Allocation quotas per user name and per client address (486, RFC 8656 section 7.2). Both, because REST
 * credentials are free to get: one address asking for many user names must not hold every relay. A slot is
 * held by an allocation, by an Allocate waiting for its ports and by a reserved port (EVEN-PORT), each
 * counted against the user and the address that made it.
 */
final class Quotas {

    private final int perUser;
    private final int perAddress;
    private final Map<String, Integer> users = new HashMap<>();
    private final Map<InetAddress, Integer> addresses = new HashMap<>();

    Quotas(int perUser, int perAddress) {
        this.perUser = perUser;
        this.perAddress = perAddress;
    }

    /** Whether {@code slots} more fit both quotas. */
    boolean allows(String user, InetAddress client, int slots) {
        return users.getOrDefault(user, 0) + slots <= perUser
                && addresses.getOrDefault(client, 0) + slots <= perAddress;
    }

    void take(String user, InetAddress client, int slots) {
        users.merge(user, slots, Integer::sum);
        addresses.merge(client, slots, Integer::sum);
    }

    void release(String user, InetAddress client, int slots) {
        users.computeIfPresent(user, (u, n) -> n <= slots ? null : n - slots);
        addresses.computeIfPresent(client, (a, n) -> n <= slots ? null : n - slots);
    }
}
