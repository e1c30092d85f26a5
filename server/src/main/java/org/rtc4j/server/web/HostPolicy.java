package org.rtc4j.server.web;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which names the server answers to, against DNS rebinding. A hostile page at {@code http://rebind.evil:8080}
 * can make its own name resolve to 127.0.0.1 a moment after it loaded: the browser then sends the page's
 * requests, same-origin as far as it knows, to our server, with {@code Host: rebind.evil:8080}. The Origin
 * check cannot see it (Origin and Host agree), so the Host header is checked first, on every request
 * (answered 421 Misdirected Request, RFC 9110 section 15.5.20).
 *
 * <p>Allowed: IP literals (an attacker's page cannot have one as its own name and still rebind it),
 * {@code localhost} and names under it (RFC 6761 section 6.3: they always mean this machine), the public
 * address the server advertises, and the names listed ({@code --allowed-host}); {@code *} allows any name.
 */
public final class HostPolicy {
    /** Every name. */
    public static final String ANY = "*";

    private final Set<String> names;
    private final boolean any;

    private HostPolicy(Set<String> names, boolean any) {
        this.names = Set.copyOf(names);
        this.any = any;
    }

    /** Loopback names and IP literals only. */
    public static HostPolicy loopbackAndAddresses() {
        return new HostPolicy(Set.of(), false);
    }

    /**
     * The default names and those listed (host names, without port), or {@link #ANY}.
     *
     * @throws IllegalArgumentException for something that is not a host name
     */
    public static HostPolicy allowing(Collection<String> hosts) {
        Set<String> set = new LinkedHashSet<>();
        boolean any = false;
        for (String h : hosts) {
            String name = h.strip();
            if (ANY.equals(name)) {
                any = true;
            } else if (name.isEmpty() || name.contains(":") && !isIpv6(name) || name.contains("/")) {
                throw new IllegalArgumentException("not a host name (give it without scheme or port): " + h);
            } else {
                set.add(normalize(name));
            }
        }
        return new HostPolicy(set, any);
    }

    /** The policy plus one more name (the advertised public address), when not null. */
    public HostPolicy with(String host) {
        if (host == null || host.isBlank()) {
            return this;
        }
        Set<String> more = new LinkedHashSet<>(names);
        more.add(normalize(host.strip()));
        return new HostPolicy(more, any);
    }

    /** Whether a request sent to {@code host} (the Host header's name, without port) is for this server. */
    public boolean allows(String host) {
        if (any) {
            return true;
        }
        if (host == null || host.isEmpty()) {
            return false; // HTTP/1.1 requires Host (RFC 9112 section 3.2); a browser always sends it
        }
        String h = normalize(host);
        return h.equals("localhost") || h.endsWith(".localhost") || isIpv4(h) || isIpv6(h) || names.contains(h);
    }

    /** Lower case, without IPv6 brackets and without the root label's trailing dot. */
    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isIpv4(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String h) {
        String s = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        int pct = s.indexOf('%');
        if (pct >= 0) {
            s = s.substring(0, pct);
        }
        return s.indexOf(':') >= 0 && s.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0);
    }
}
