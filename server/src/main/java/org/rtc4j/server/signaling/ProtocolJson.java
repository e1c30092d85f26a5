package org.rtc4j.server.signaling;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON of the signaling protocol (README, "Signaling protocol"): the strict parser of what clients send
 * and the messages the hub writes. Apart from the hub so its rules read without the JSON around them.
 */
final class ProtocolJson {
    private final ObjectMapper json;
    private final int roomCapacity;

    /** Clients are untrusted: duplicate keys, NaN and trailing tokens are errors; depth and lengths are bounded. */
    ProtocolJson(SignalingSettings settings) {
        this.roomCapacity = settings.roomCapacity();
        this.json = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxStringLength(settings.maxMessageBytes())
                .maxNumberLength(64)
                .build());
    }

    /** One client message as a tree, whatever its shape (the hub checks it, and takes any exception as bad JSON). */
    JsonNode read(String text) throws JsonProcessingException {
        return json.readTree(text);
    }

    String joined(String room, Client c, List<Client> local, Iterable<String> remote) {
        ObjectNode joined = json.createObjectNode();
        joined.put("type", "joined");
        joined.put("room", room);
        joined.put("id", c.id());
        ArrayNode peers = joined.putArray("peers");
        local.forEach(p -> peers.add(p.id()));
        remote.forEach(peers::add);
        joined.put("capacity", roomCapacity);
        return joined.toString();
    }

    /** A relayed message as its recipients see it: who sent it, and its data as given (null when absent). */
    String relayed(String type, Client from, JsonNode data) {
        ObjectNode out = json.createObjectNode();
        out.put("type", type);
        out.put("from", from.id());
        out.set("data", data == null ? out.nullNode() : data);
        return out.toString();
    }

    String error(ErrorCode code, String request, String message) {
        ObjectNode e = json.createObjectNode();
        e.put("type", "error");
        e.put("code", code.wireName());
        e.put("message", message);
        if (request != null) {
            e.put("request", request);
        }
        return e.toString();
    }

    static String peerEvent(String type, String room, String id) {
        return "{\"type\":\"" + type + "\",\"room\":" + quote(room) + ",\"id\":" + quote(id) + "}";
    }

    static String left(String room) {
        return "{\"type\":\"left\",\"room\":" + quote(room) + "}";
    }

    /** Room names and ids are restricted to characters that need no escaping. */
    private static String quote(String safe) {
        return '"' + safe + '"';
    }
}
