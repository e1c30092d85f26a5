package org.rtc4j.server.signaling;

import java.util.Map;

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

    /** Removes members from the shared room, without waiting; the room goes when it is empty. */
    void remove(String room, String... clientIds);

    /** Sends one message to another server, after every message this server sent it before. */
    void send(String serverId, String message);

    /** Clients connected to the other live servers, as they last reported it (for the cluster-wide limit). */
    int remoteClients();

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
