package org.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What the signaling server tells a client. */
public sealed interface SignalingEvent {

    /** This client joined {@code room} as {@code id}; {@code peers} were there already. */
    record Joined(String room, String id, List<String> peers, int capacity) implements SignalingEvent {
    }

    /** Another client arrived in the room. */
    record PeerJoined(String room, String id) implements SignalingEvent {
    }

    /** Another client left the room or disconnected. */
    record PeerLeft(String room, String id) implements SignalingEvent {
    }

    /** This client left its room (the answer to {@link SignalingClient#leave()}). */
    record Left(String room) implements SignalingEvent {
    }

    /**
     * An offer, answer, candidate or application message from a peer in the room.
     *
     * @param type {@code offer}, {@code answer}, {@code candidate} or {@code message}
     * @param data the JSON the peer sent (a JSON null when it sent none)
     */
    record Relayed(String type, String from, JsonNode data) implements SignalingEvent {
    }

    /** The server refused a message; {@code code} is one of the README's error codes, such as {@code room-full}. */
    record Error(String code, String message, String request) implements SignalingEvent {
    }

    /** The connection closed (code 1006 when it broke without a close frame). */
    record Closed(int code, String reason) implements SignalingEvent {
    }
}
