package org.rtc4j.server.web;

import java.time.Duration;

/**
 * What {@code GET /api/ice-servers} hands out.
 *
 * @param publicAddress host name or address advertised in the URLs; null to use the host the browser
 *     asked for (the HTTP Host header), which is right unless the server is behind NAT
 * @param stunPort port of the STUN server, 0 for none
 * @param turnPort port of the TURN server (UDP and TCP), 0 for none
 * @param turnSecret secret shared with the TURN server for time-limited credentials
 * @param ttl how long the credentials are valid
 */
public record IceServerSettings(String publicAddress, int stunPort, int turnPort, byte[] turnSecret, Duration ttl) {

    public IceServerSettings {
        if (turnPort != 0 && (turnSecret == null || turnSecret.length == 0)) {
            throw new IllegalArgumentException("a TURN server needs a shared secret");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the credential lifetime must be positive");
        }
    }

    /** No STUN and no TURN: browsers use host candidates only. */
    public static IceServerSettings none() {
        return new IceServerSettings(null, 0, 0, null, Duration.ofDays(1));
    }
}
