package org.rtc4j.server.signaling;

/**
 * One connected client of a {@link SignalingHub}. Its messages must reach the hub one at a time (as a
 * WebSocket delivers them); different clients may call the hub concurrently.
 */
public final class Client {
    private final String id;
    /** The remote IP address, for the per-address limits; null when unknown (not counted). */
    final String address;
    final Outbound out;
    final TokenBucket bucket;
    /** Messages dropped in a row for being over the rate. */
    int overRate;
    /** The room this client is in, or null; written under the hub's lock. */
    volatile Room room;
    volatile boolean connected = true;
    /** Waiting for the cluster to admit it to a room; under the hub's lock. */
    boolean joining;

    Client(String id, String address, Outbound out, TokenBucket bucket) {
        this.id = id;
        this.address = address;
        this.out = out;
        this.bucket = bucket;
    }

    /** The id the server assigned; peers address this client by it. */
    public String id() {
        return id;
    }

    /** The name of the room this client is in, or null. */
    public String roomName() {
        Room r = room;
        return r == null ? null : r.name;
    }
}
