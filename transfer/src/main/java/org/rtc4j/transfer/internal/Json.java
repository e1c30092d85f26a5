package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.rtc4j.transfer.TransferException;

/** The JSON of the control messages: {@code {"t": type, ...}}, parsed with bounds. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** No control message is larger (a manifest part of 256 paths of at most 1 KiB fits). */
    public static final int MAX_MESSAGE = 512 * 1024;
    static final HexFormat HEX = HexFormat.of();

    private Json() {
    }

    /** A new message of type {@code type}. */
    public static ObjectNode message(String type) {
        return MAPPER.createObjectNode().put("t", type);
    }

    /** Parses a control message: a JSON object with a text {@code t}. */
    public static JsonNode parse(String text) throws TransferException {
        if (text.length() > MAX_MESSAGE) {
            throw protocol("a control message of " + text.length() + " characters");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (Exception e) {
            throw protocol("a control message that is not JSON");
        }
        if (n == null || !n.isObject() || !n.path("t").isTextual()) {
            throw protocol("a control message without a type");
        }
        return n;
    }

    /** The message's type. */
    public static String type(JsonNode message) {
        return message.path("t").asText();
    }

    /** A required text field of at most {@code max} characters. */
    public static String text(JsonNode message, String field, int max) throws TransferException {
        JsonNode f = message.get(field);
        if (f == null || !f.isTextual() || f.asText().length() > max) {
            throw protocol("field '" + field + "' of '" + type(message) + "' missing or too long");
        }
        return f.asText();
    }

    /** A required hex field decoded, of at most {@code maxBytes} bytes. */
    public static byte[] hex(JsonNode message, String field, int maxBytes) throws TransferException {
        String s = text(message, field, 2 * maxBytes);
        try {
            return HEX.parseHex(s);
        } catch (IllegalArgumentException e) {
            throw protocol("field '" + field + "' is not hex");
        }
    }

    /** A required whole number in {@code [min, max]}. */
    public static long number(JsonNode message, String field, long min, long max) throws TransferException {
        JsonNode f = message.get(field);
        if (f == null || !f.canConvertToLong() || !f.isIntegralNumber() || f.asLong() < min || f.asLong() > max) {
            throw protocol("field '" + field + "' of '" + type(message) + "' missing or out of range");
        }
        return f.asLong();
    }

    public static TransferException protocol(String what) {
        return new TransferException(TransferException.Reason.PROTOCOL, "the peer broke the protocol: " + what);
    }
}
