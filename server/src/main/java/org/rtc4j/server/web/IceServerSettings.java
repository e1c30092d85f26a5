package org.rtc4j.server.web;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code GET /api/ice-servers} hands out.
 *
 * @param publicAddress host name or address advertised in the URLs; null to use the host the browser
 *     asked for (the HTTP Host header), which is right unless the server is behind NAT
 * @param stunPort port of the STUN server, 0 for none
 * @param turnPort port of the TURN server (UDP and TCP), 0 for none
 * @param turnSecret secret shared with the TURN server for time-limited credentials
 * @param ttl how long the credentials are valid
 * @param otherTurnServers more TURN servers ({@code host:port}, UDP and TCP) sharing the secret, listed with
 *     the same credentials: the other servers of a cluster, so a browser can relay through any of them
 * @param turnsPort port of the TURN server's TLS listener ({@code turns:}, RFC 8656 section 3.1), 0 for none
 */
public record IceServerSettings(String publicAddress, int stunPort, int turnPort, byte[] turnSecret, Duration ttl,
        List<String> otherTurnServers, int turnsPort) {
    /** host:port with a DNS name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]{1,253}):[0-9]{1,5}");

    public IceServerSettings(String publicAddress, int stunPort, int turnPort, byte[] turnSecret, Duration ttl) {
        this(publicAddress, stunPort, turnPort, turnSecret, ttl, List.of(), 0);
    }

    public IceServerSettings {
        otherTurnServers = List.copyOf(otherTurnServers);
        for (String server : otherTurnServers) {
            if (!HOST_PORT.matcher(server).matches()
                    || Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)) > 65535) {
                throw new IllegalArgumentException("a TURN server is HOST:PORT: " + server);
            }
        }
        if (!otherTurnServers.isEmpty() && turnPort == 0) {
            throw new IllegalArgumentException("other TURN servers are listed beside this server's own TURN server");
        }
        if (turnPort != 0 && (turnSecret == null || turnSecret.length == 0)) {
            throw new IllegalArgumentException("a TURN server needs a shared secret");
        }
        if (turnsPort != 0 && turnPort == 0) {
            throw new IllegalArgumentException("a TURN server's TLS port is listed beside its UDP/TCP port");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the credential lifetime must be positive");
        }
    }

    public IceServerSettings withOtherTurnServers(List<String> servers) {
        return new IceServerSettings(publicAddress, stunPort, turnPort, turnSecret, ttl, servers, turnsPort);
    }

    public IceServerSettings withTurnsPort(int port) {
        return new IceServerSettings(publicAddress, stunPort, turnPort, turnSecret, ttl, otherTurnServers, port);
    }

    /** No STUN and no TURN: browsers use host candidates only. */
    public static IceServerSettings none() {
        return new IceServerSettings(null, 0, 0, null, Duration.ofDays(1));
    }
}
