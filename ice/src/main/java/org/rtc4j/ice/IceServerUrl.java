package org.rtc4j.ice;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * A STUN or TURN server URL: {@code stun:host[:port]}, {@code stuns:...} (RFC 7064) and
 * {@code turn:host[:port][?transport=udp|tcp]}, {@code turns:...} (RFC 7065). The host is an IP literal
 * (IPv6 in brackets) or a name; names are resolved off the I/O thread by {@link IceServerResolver}, never by
 * the agent: {@code resolved} is the address found for a name, or null (a literal, or not resolved yet).
 */
public record IceServerUrl(Scheme scheme, String host, int port, Transport transport, InetAddress resolved) {

    /** The URL schemes of RFC 7064 and RFC 7065. */
    public enum Scheme {
        STUN("stun", 3478, false, false),
        STUNS("stuns", 5349, false, true),
        TURN("turn", 3478, true, false),
        TURNS("turns", 5349, true, true);

        private final String token;
        private final int defaultPort;
        private final boolean turn;
        private final boolean secure;

        Scheme(String token, int defaultPort, boolean turn, boolean secure) {
            this.token = token;
            this.defaultPort = defaultPort;
            this.turn = turn;
            this.secure = secure;
        }

        public String token() {
            return token;
        }

        public int defaultPort() {
            return defaultPort;
        }

        public boolean isTurn() {
            return turn;
        }

        /** Over TLS (or DTLS): {@code stuns:} and {@code turns:}. */
        public boolean isSecure() {
            return secure;
        }
    }

    public IceServerUrl {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
    }

    /** A URL as written, its name (if any) not resolved. */
    public IceServerUrl(Scheme scheme, String host, int port, Transport transport) {
        this(scheme, host, port, transport, null);
    }

    /** This URL with its host name resolved to {@code ip}. */
    public IceServerUrl resolvedTo(InetAddress ip) {
        return new IceServerUrl(scheme, host, port, transport, Objects.requireNonNull(ip, "ip"));
    }

    /** Whether the host is a name that must be resolved before the server can be used (not an IP literal). */
    public boolean needsResolution() {
        return resolved == null && literalAddress() == null;
    }

    /** The server's address: the IP literal, or the address its name resolved to; null while unresolved. */
    public TransportAddress serverAddress() {
        return resolved != null ? new TransportAddress(transport, resolved, port) : literalAddress();
    }

    /**
     * Parses a URL.
     *
     * @throws IllegalArgumentException with the reason for a malformed URL (the user's own input)
     */
    public static IceServerUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        int colon = url.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a STUN or TURN URL (no scheme): '" + url + "'");
        }
        String schemeText = url.substring(0, colon).toLowerCase(Locale.ROOT);
        Scheme scheme = null;
        for (Scheme s : Scheme.values()) {
            if (s.token.equals(schemeText)) {
                scheme = s;
            }
        }
        if (scheme == null) {
            throw new IllegalArgumentException("unknown scheme '" + schemeText + "' in '" + url
                    + "': expected stun, stuns, turn or turns");
        }
        String rest = url.substring(colon + 1);
        if (rest.startsWith("//")) {
            throw new IllegalArgumentException("STUN and TURN URLs have no '//' (RFC 7064): '" + url + "'");
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Transport transport = scheme.isSecure() && scheme.isTurn() ? Transport.TCP : Transport.UDP;
        if (query != null) {
            if (!scheme.isTurn()) {
                throw new IllegalArgumentException("a stun URL has no query (RFC 7064): '" + url + "'");
            }
            if (!query.toLowerCase(Locale.ROOT).startsWith("transport=")) {
                throw new IllegalArgumentException("expected '?transport=udp|tcp' in '" + url + "'");
            }
            String t = query.substring(10).toLowerCase(Locale.ROOT);
            transport = switch (t) {
                case "udp" -> Transport.UDP;
                case "tcp" -> Transport.TCP;
                default -> throw new IllegalArgumentException("unsupported transport '" + t + "' in '" + url + "'");
            };
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in '" + url + "'");
            }
            host = rest.substring(1, close);
            TransportAddress.parseIp(host);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected '" + after + "' in '" + url + "'");
                }
                portText = after.substring(1);
            }
        } else {
            int c = rest.indexOf(':');
            host = c < 0 ? rest : rest.substring(0, c);
            portText = c < 0 ? null : rest.substring(c + 1);
            if (host.isEmpty() || !host.chars().allMatch(
                    ch -> ch == '-' || ch == '.' || ch == '_' || Character.isLetterOrDigit(ch))) {
                throw new IllegalArgumentException("bad host '" + host + "' in '" + url + "'");
            }
        }
        int port = scheme.defaultPort();
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad port '" + portText + "' in '" + url + "'");
            }
            port = Integer.parseInt(portText);
            if (port < 1 || port > 0xFFFF) {
                throw new IllegalArgumentException("port out of 1..65535 in '" + url + "'");
            }
        }
        return new IceServerUrl(scheme, host, port, transport);
    }

    /** The server's address when the host is an IP literal, else {@code null} (a name to resolve). */
    public TransportAddress literalAddress() {
        InetAddress ip;
        try {
            ip = TransportAddress.parseIp(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new TransportAddress(transport, ip, port);
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String s = scheme.token() + ":" + h + ":" + port;
        if (scheme.isTurn() && !(scheme.isSecure() ? transport == Transport.TCP : transport == Transport.UDP)) {
            s += "?transport=" + transport.token();
        }
        return s;
    }
}
