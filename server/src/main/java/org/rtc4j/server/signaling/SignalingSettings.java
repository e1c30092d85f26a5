package org.rtc4j.server.signaling;

/**
 * Limits of the signaling server. Every limit protects the server from a client that sends too much; the
 * defaults are safe for a public demo.
 *
 * @param roomCapacity clients a room holds (2 for a call, more for a mesh)
 * @param maxRooms rooms that may exist at once; a join that would create one more is refused
 * @param maxClients connected clients at once; more are refused at connect
 * @param maxMessageBytes largest message a client may send (UTF-8 bytes); larger ones are refused
 * @param messagesPerSecond sustained messages per second per client
 * @param burst messages a client may send at once above the sustained rate
 * @param floodDisconnect consecutive messages over the rate after which the client is disconnected
 * @param maxQueuedBytes bytes waiting to be sent to one client beyond which it is disconnected (it does not read)
 * @param maxQueuedMessages messages waiting to be sent to one client beyond which it is disconnected
 * @param maxClientsPerAddress connected clients from one IP address at once
 * @param maxRoomsPerAddress rooms that clients from one IP address created and that still exist
 */
public record SignalingSettings(
        int roomCapacity,
        int maxRooms,
        int maxClients,
        int maxMessageBytes,
        double messagesPerSecond,
        int burst,
        int floodDisconnect,
        long maxQueuedBytes,
        int maxQueuedMessages,
        int maxClientsPerAddress,
        int maxRoomsPerAddress) {

    public static final int MAX_ROOM_CAPACITY = 64;

    public SignalingSettings {
        if (roomCapacity < 2 || roomCapacity > MAX_ROOM_CAPACITY) {
            throw new IllegalArgumentException("room capacity must be 2.." + MAX_ROOM_CAPACITY + ": " + roomCapacity);
        }
        if (maxRooms < 1 || maxClients < 1 || maxMessageBytes < 256 || burst < 1 || floodDisconnect < 1) {
            throw new IllegalArgumentException("limits must be positive (message size at least 256 bytes)");
        }
        if (maxClientsPerAddress < 1 || maxRoomsPerAddress < 1) {
            throw new IllegalArgumentException("per-address limits must be positive");
        }
        if (maxQueuedBytes < maxMessageBytes || maxQueuedMessages < 1) {
            throw new IllegalArgumentException("a client's queue must hold at least one message of the largest size");
        }
        if (!(messagesPerSecond > 0)) {
            throw new IllegalArgumentException("messages per second must be positive: " + messagesPerSecond);
        }
    }

    /**
     * Rooms of two, 10,000 rooms, 20,000 clients, 64 KiB messages, 50 messages/s with bursts of 100, at most
     * 1 MiB or 1,024 messages queued for one client (a call's whole signaling is a few dozen kilobytes); from
     * one address at most 256 clients and 128 rooms (an office behind one NAT fits; one attacker cannot take
     * every slot).
     */
    public static SignalingSettings defaults() {
        return new SignalingSettings(2, 10_000, 20_000, 64 * 1024, 50, 100, 200, 1 << 20, 1024, 256, 128);
    }

    public SignalingSettings withRoomCapacity(int capacity) {
        return new SignalingSettings(capacity, maxRooms, maxClients, maxMessageBytes, messagesPerSecond, burst,
                floodDisconnect, maxQueuedBytes, maxQueuedMessages, maxClientsPerAddress, maxRoomsPerAddress);
    }

    public SignalingSettings withMaxRooms(int rooms) {
        return new SignalingSettings(roomCapacity, rooms, maxClients, maxMessageBytes, messagesPerSecond, burst,
                floodDisconnect, maxQueuedBytes, maxQueuedMessages, maxClientsPerAddress, maxRoomsPerAddress);
    }

    public SignalingSettings withMaxClients(int clients) {
        return new SignalingSettings(roomCapacity, maxRooms, clients, maxMessageBytes, messagesPerSecond, burst,
                floodDisconnect, maxQueuedBytes, maxQueuedMessages, maxClientsPerAddress, maxRoomsPerAddress);
    }

    public SignalingSettings withMaxMessageBytes(int bytes) {
        return new SignalingSettings(roomCapacity, maxRooms, maxClients, bytes, messagesPerSecond, burst,
                floodDisconnect, Math.max(maxQueuedBytes, 16L * bytes), maxQueuedMessages, maxClientsPerAddress,
                maxRoomsPerAddress);
    }

    public SignalingSettings withRate(double perSecond, int burstSize) {
        return new SignalingSettings(roomCapacity, maxRooms, maxClients, maxMessageBytes, perSecond, burstSize,
                floodDisconnect, maxQueuedBytes, maxQueuedMessages, maxClientsPerAddress, maxRoomsPerAddress);
    }

    public SignalingSettings withMaxQueued(long bytes, int messages) {
        return new SignalingSettings(roomCapacity, maxRooms, maxClients, maxMessageBytes, messagesPerSecond, burst,
                floodDisconnect, bytes, messages, maxClientsPerAddress, maxRoomsPerAddress);
    }

    public SignalingSettings withPerAddress(int clients, int rooms) {
        return new SignalingSettings(roomCapacity, maxRooms, maxClients, maxMessageBytes, messagesPerSecond, burst,
                floodDisconnect, maxQueuedBytes, maxQueuedMessages, clients, rooms);
    }
}
