package org.rtc4j.server.signaling;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the hub needs from the servers it shares rooms with: an atomic admission to a room, removals, and
 * an ordered message channel to each other server. {@link RedisCluster} is the one implementation; without
 * it the hub is alone and decides everything itself.
 */
interface Cluster {

    /** This server's id, unique among the servers sharing rooms. */
    String serverId();

    /**
     * Admits {@code clientId} to {@code room} if it has room for one more, atomically across servers.
     * Blocks for at most the cluster's command timeout.
     *
     * @return the members present before it (client id to server id), in no particular order
     * @throws Refused when the room is full or a room limit is reached
     * @throws Unavailable when the shared state cannot be reached
     */
    Map<String, String> admit(String room, String clientId, String address, SignalingSettings limits)
            throws Refused, Unavailable;

    /** Removes members from the shared room, queued (see {@link #flush}); the room goes when it is empty. */
    void remove(String room, String... clientIds);

    /**
     * Sends one message to another server, after every message this server sent it before: queued in the
     * order of the calls, sent by {@link #flush}.
     */
    void send(String serverId, String message);

    /** Rewrites this server's members of the room in the shared state and re-reads the others. */
    void resync(String room);

    /**
     * Counts one more client of this server (from {@code address}; null: not counted by address) if the
     * clients of every live server, and those from that address, stay within the limits: one atomic step
     * however many servers race. Queued: the hub calls it, {@link #removeClient} and {@link #rewriteClients}
     * under its lock, so the counts change in Redis in the order they change here, and {@link #flush}
     * after releasing it.
     */
    CompletableFuture<String> addClient(String address, SignalingSettings limits);

    /**
     * Waits for {@link #addClient}'s answer: null when counted, or why not. Null too when Redis is out of
     * reach: the local limits then apply alone, and the counts are rewritten when it returns.
     */
    String refusal(CompletableFuture<String> added, SignalingSettings limits);

    /** One client of this server from {@code address} (null: not counted by address) is gone. */
    void removeClient(String address);

    /** Replaces this server's counts in the cluster: {@code total} clients, and those by address. */
    void rewriteClients(int total, Map<String, Integer> byAddress);

    /** Sends the queued commands (counts, removals, messages), in order. Call it after releasing the locks. */
    void flush();

    /** The room is full or a room limit is reached; {@link #code} says which. */
    final class Refused extends Exception {
        final ErrorCode code;

        Refused(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** The shared state is out of reach (Redis down, or slower than the timeout). */
    final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
