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

/**
 * The JSON lines of {@code ./rtc4j peer}: one object per line; lines of other types and unknown fields are
 * ignored, and so are lines longer than a bound (they are skipped as they stream by, never held whole).
 */
final class PeerLines {

    static final ObjectMapper JSON = new ObjectMapper();
    /** An offer or answer with every candidate is a few kilobytes; SDP itself is bounded at 1 MiB (SdpLimits). */
    static final int MAX_LINE_CHARS = 2 << 20;

    private final BufferedReader in;
    private final PrintStream out;
    private final int maxLineChars;
    private final StringBuilder line = new StringBuilder();
    private long skippedLines;

    PeerLines(InputStream in, PrintStream out) {
        this(in, out, MAX_LINE_CHARS);
    }

    PeerLines(InputStream in, PrintStream out, int maxLineChars) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.maxLineChars = maxLineChars;
    }

    /** Lines skipped for being longer than the bound. */
    long skippedLines() {
        return skippedLines;
    }

    /** The next line of at most the bound, or {@code null} at end of file; longer lines are skipped unread. */
    private String readLine() throws IOException {
        while (true) {
            line.setLength(0);
            boolean tooLong = false;
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (line.length() < maxLineChars) {
                    line.append((char) c);
                } else {
                    tooLong = true;
                }
            }
            if (c < 0 && line.isEmpty() && !tooLong) {
                return null;
            }
            if (tooLong) {
                skippedLines++;
                System.err.println("peer: skipped an input line longer than " + maxLineChars + " characters");
                if (c < 0) {
                    return null;
                }
                continue;
            }
            int end = line.length();
            return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }
    }

    /** The next line of this type, or {@code null} at end of file. */
    JsonNode await(String type) throws IOException {
        for (String line; (line = readLine()) != null; ) {
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
        while (readLine() != null) {
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
