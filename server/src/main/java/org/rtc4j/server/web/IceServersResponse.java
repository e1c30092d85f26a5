package org.rtc4j.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/** Builds the RTCConfiguration-shaped body of {@code GET /api/ice-servers}. */
final class IceServersResponse {
    private final IceServerSettings settings;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();

    IceServersResponse(IceServerSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /** The body for a request that reached us under {@code requestHost}, at time {@code now}. */
    String body(String requestHost, Instant now) {
        String host = urlHost(settings.publicAddress() != null ? settings.publicAddress() : requestHost);
        ObjectNode root = json.createObjectNode();
        ArrayNode servers = root.putArray("iceServers");
        if (settings.stunPort() != 0) {
            servers.addObject().putArray("urls").add("stun:" + host + ":" + settings.stunPort());
        }
        if (settings.turnPort() != 0) {
            byte[] tag = new byte[6];
            random.nextBytes(tag);
            long expiry = now.getEpochSecond() + settings.ttl().toSeconds();
            TurnCredentials creds = TurnCredentials.issue(settings.turnSecret(), "rtc4j-" + HexFormat.of().formatHex(tag), expiry);
            ObjectNode turn = servers.addObject();
            turn.putArray("urls")
                    .add("turn:" + host + ":" + settings.turnPort() + "?transport=udp")
                    .add("turn:" + host + ":" + settings.turnPort() + "?transport=tcp");
            if (settings.turnsPort() != 0) { // TLS over TCP, the only transport of turns: (RFC 7065 section 3)
                turn.withArray("urls").add("turns:" + host + ":" + settings.turnsPort());
            }
            for (String other : settings.otherTurnServers()) { // one secret: the same credentials work there
                turn.withArray("urls").add("turn:" + other + "?transport=udp").add("turn:" + other + "?transport=tcp");
            }
            turn.put("username", creds.username());
            turn.put("credential", creds.password());
        }
        root.put("ttl", settings.ttl().toSeconds());
        return root.toString();
    }

    /** IPv6 literals go in brackets in a STUN or TURN URI (RFC 7064 section 3.1, RFC 7065 section 3.1). */
    static String urlHost(String host) {
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            return "[" + host + "]";
        }
        return host;
    }
}
