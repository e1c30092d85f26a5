package org.rtc4j.ice;

import java.util.List;
import java.util.Objects;

/**
 * A STUN or TURN server the agent gathers from, as in the W3C {@code RTCIceServer}: one or more URLs and,
 * for TURN, the long-term credentials (RFC 8489 section 9.2).
 */
public record IceServer(List<IceServerUrl> urls, String username, String credential) {

    public IceServer {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server has at least one URL");
        }
        for (IceServerUrl url : urls) {
            if (url.scheme().isTurn() && (username == null || credential == null)) {
                throw new IllegalArgumentException("a TURN server needs a username and a credential: " + url);
            }
        }
    }

    /** A STUN server (no credentials). */
    public static IceServer stun(String... urls) {
        return new IceServer(parse(urls), null, null);
    }

    /** A server with credentials (TURN; STUN URLs among them ignore them). */
    public static IceServer of(String username, String credential, String... urls) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(credential, "credential");
        return new IceServer(parse(urls), username, credential);
    }

    private static List<IceServerUrl> parse(String... urls) {
        return java.util.Arrays.stream(urls).map(IceServerUrl::parse).toList();
    }
}
