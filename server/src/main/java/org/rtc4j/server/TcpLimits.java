package org.rtc4j.server;

import java.time.Duration;

/**
 * Bounds on the TCP and TLS connections of a STUN or TURN server ({@link EngineRunner}).
 *
 * @param maxConnections open connections in all
 * @param maxConnectionsPerAddress open connections from one client IP address, so that one address cannot
 *     hold every connection (and the file descriptors and buffers behind them)
 * @param idleTimeout a connection that brings no whole STUN message or ChannelData frame for this long is
 *     closed, unless it carries a TURN allocation; bytes that trickle in without completing a frame (and a TLS
 *     handshake that never ends) do not count
 */
public record TcpLimits(int maxConnections, int maxConnectionsPerAddress, Duration idleTimeout) {

    /** Each TCP or TLS allocation holds a connection: as many as the TURN server's default per-address quota. */
    public static final int DEFAULT_PER_ADDRESS = 128;

    public TcpLimits {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive");
        }
    }

    public static TcpLimits defaults() {
        return new TcpLimits(4096, DEFAULT_PER_ADDRESS, Duration.ofSeconds(60));
    }

    public TcpLimits withPerAddress(int n) {
        return new TcpLimits(maxConnections, n, idleTimeout);
    }

    public TcpLimits withIdleTimeout(Duration d) {
        return new TcpLimits(maxConnections, maxConnectionsPerAddress, d);
    }
}
