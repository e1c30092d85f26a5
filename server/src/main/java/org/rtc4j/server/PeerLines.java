package org.rtc4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The JSON lines of {@code ./rtc4j peer}: one object per line; lines of other types and unknown fields are ignored. */
final class PeerLines {

    static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedReader in;
    private final PrintStream out;

    PeerLines(InputStream in, PrintStream out) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
    }

    /** The next line of this type, or {@code null} at end of file. */
    JsonNode await(String type) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && n.isObject() && type.equals(n.path("type").asText())) {
                    return n;
                }
            } catch (IOException e) {
                // not JSON: ignored like any other line
            }
        }
        return null;
    }

    /** Reads until end of file (the peer's stdin closed). */
    void drain() throws IOException {
        while (in.readLine() != null) {
            // ignored
        }
    }

    void write(ObjectNode node) {
        synchronized (out) {
            out.println(node.toString());
            out.flush();
        }
    }

    void description(String type, String sdp) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("sdp", sdp);
        write(n);
    }
}
