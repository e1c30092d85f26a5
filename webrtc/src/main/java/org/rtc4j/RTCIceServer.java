package org.rtc4j;

import java.util.List;
import java.util.Objects;

/**
 * A STUN or TURN server (W3C section 4.2.2): {@code stun:host[:port]}, {@code turn:host[:port][?transport=udp|tcp]}
 * URLs, with the username and credential TURN needs.
 */
public record RTCIceServer(List<String> urls, String username, String credential) {

    public RTCIceServer {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new SyntaxError("an ICE server needs at least one URL");
        }
    }

    /** A server without credentials (STUN). */
    public static RTCIceServer of(String... urls) {
        return new RTCIceServer(List.of(urls), null, null);
    }

    /** A server with credentials (TURN). */
    public static RTCIceServer withCredentials(String username, String credential, String... urls) {
        return new RTCIceServer(List.of(urls), Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(credential, "credential"));
    }
}
