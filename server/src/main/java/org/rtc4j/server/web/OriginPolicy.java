package org.rtc4j.server.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which web pages may open the signaling WebSocket. Browsers let any page open a WebSocket to any server
 * (the same-origin policy does not cover it) but always say which page asks, in the {@code Origin} header
 * (RFC 6455 section 4.1, item 8; section 10.2 leaves the check to the server). Without a check, a hostile
 * page a person visits could join rooms on their local demo server. So: pages of the server's own origin
 * are allowed, other origins only when listed ({@code --allowed-origin}), {@code *} allows every origin.
 * Requests without {@code Origin} come from programs, not browsers (the Java client), and are allowed.
 */
public final class OriginPolicy {
    /** Every origin. */
    public static final String ANY = "*";

    private final Set<String> allowed;
    private final boolean any;

    private OriginPolicy(Set<String> allowed, boolean any) {
        this.allowed = Set.copyOf(allowed);
        this.any = any;
    }

    /** Same origin only. */
    public static OriginPolicy sameOrigin() {
        return new OriginPolicy(Set.of(), false);
    }

    /**
     * Same origin and the origins listed ({@code scheme://host[:port]}, e.g. {@code https://chat.example.com}),
     * or {@link #ANY}.
     *
     * @throws IllegalArgumentException for something that is not an origin
     */
    public static OriginPolicy allowing(Collection<String> origins) {
        Set<String> set = new LinkedHashSet<>();
        boolean any = false;
        for (String origin : origins) {
            if (ANY.equals(origin.strip())) {
                any = true;
                continue;
            }
            String normalized = normalize(origin.strip());
            if (normalized == null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port], or *): " + origin);
            }
            set.add(normalized);
        }
        return new OriginPolicy(set, any);
    }

    /**
     * Whether a WebSocket handshake may proceed.
     *
     * @param origin the request's {@code Origin} header, null when absent
     * @param secure whether the request came over TLS
     * @param host the host the request was sent to (its {@code Host} header)
     * @param port the port the request was sent to (from {@code Host}, or the scheme's default)
     */
    public boolean allows(String origin, boolean secure, String host, int port) {
        if (origin == null) {
            return true;
        }
        if (any) {
            return true;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            return false; // "null" (sandboxed frames, file: pages) and anything malformed
        }
        if (allowed.contains(normalized)) {
            return true;
        }
        String scheme = secure ? "https" : "http";
        return normalized.equals(normalize(scheme + "://" + bracketed(host) + ":" + port));
    }

    /** The origins listed (without the server's own). */
    public Set<String> allowed() {
        return allowed;
    }

    public boolean allowsAny() {
        return any;
    }

    /** {@code scheme://host:port} in lower case with the port always given, or null when not an origin. */
    static String normalize(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || uri.getRawUserInfo() != null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port < 0) {
            port = switch (scheme) {
                case "http" -> 80;
                case "https" -> 443;
                default -> -1;
            };
        }
        if (port < 0) {
            return null;
        }
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
