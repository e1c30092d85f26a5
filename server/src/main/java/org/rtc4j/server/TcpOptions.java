package org.rtc4j.server;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags that bound a STUN or TURN server's TCP and TLS connections ({@link TcpLimits}). */
final class TcpOptions {
    @Option(names = "--max-tcp-connections", paramLabel = "N", defaultValue = "4096",
            description = "STUN/TURN: open TCP and TLS connections in all (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-tcp-per-address", paramLabel = "N", defaultValue = "" + TcpLimits.DEFAULT_PER_ADDRESS,
            description = "STUN/TURN: open TCP and TLS connections from one client IP address (default: ${DEFAULT-VALUE}).")
    int maxPerAddress;

    @Option(names = "--tcp-idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = {"STUN/TURN: close a TCP or TLS connection that brings no whole message for this long, unless it holds",
                "an allocation; a trickle of bytes does not count (default: ${DEFAULT-VALUE})."})
    long idleSeconds;

    TcpLimits limits(CommandLine commandLine) {
        try {
            return limits();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    /** The limits, or an IllegalArgumentException that says what is wrong with them. */
    TcpLimits limits() {
        return new TcpLimits(maxConnections, maxPerAddress, Duration.ofSeconds(idleSeconds));
    }
}
