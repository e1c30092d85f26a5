package org.rtc4j.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.rtc4j.server.signaling.SignalingSettings;
import org.rtc4j.server.web.HostPolicy;
import org.rtc4j.server.web.IceServerSettings;
import org.rtc4j.server.web.OriginPolicy;
import org.rtc4j.server.web.WebServerConfig;
import picocli.CommandLine.Option;

/** Flags of the web server (signaling and the web app) and of what it hands out as ICE servers. */
final class WebOptions {
    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (default: every interface).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP(S) port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM): serve HTTPS and WSS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--turn-port", paramLabel = "PORT", defaultValue = "3478", description = "STUN/TURN port to advertise (default: ${DEFAULT-VALUE}).")
    int turnPort;

    @Option(names = "--turn-secret", paramLabel = "SECRET",
            description = "Secret shared with the TURN server for time-limited credentials (default: generated).")
    String turnSecret;

    @Option(names = "--public-address", paramLabel = "HOST",
            description = "Host or address advertised in STUN/TURN URLs when behind NAT (default: the host the browser used).")
    String publicAddress;

    @Option(names = "--room-capacity", paramLabel = "N", defaultValue = "2", description = "Clients per room (default: ${DEFAULT-VALUE}; more for mesh calls).")
    int roomCapacity;

    @Option(names = "--max-rooms", paramLabel = "N", defaultValue = "10000", description = "Rooms at once (default: ${DEFAULT-VALUE}).")
    int maxRooms;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "20000", description = "Connected clients at once (default: ${DEFAULT-VALUE}).")
    int maxClients;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES", defaultValue = "65536", description = "Largest signaling message (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--max-message-rate", paramLabel = "PER_SECOND", defaultValue = "50", description = "Messages per second per client (default: ${DEFAULT-VALUE}).")
    double maxMessageRate;

    @Option(names = "--max-clients-per-address", paramLabel = "N", defaultValue = "256",
            description = "Signaling clients from one IP address at once (default: ${DEFAULT-VALUE}).")
    int maxClientsPerAddress;

    @Option(names = "--max-rooms-per-address", paramLabel = "N", defaultValue = "128",
            description = "Rooms that clients from one IP address created and that exist (default: ${DEFAULT-VALUE}).")
    int maxRoomsPerAddress;

    @Option(names = "--max-connections-per-address", paramLabel = "N", defaultValue = "100",
            description = "Open HTTP and WebSocket connections from one IP address (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--http-request-timeout", paramLabel = "SECONDS", defaultValue = "20",
            description = {"Close an HTTP connection whose request is not answered this long after its first byte,",
                    "however slowly its bytes come (default: ${DEFAULT-VALUE})."})
    long httpRequestTimeout;

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
            description = {"Another web origin (scheme://host[:port]) whose pages may use the signaling WebSocket;",
                    "repeatable, * for any (default: only pages served by this server)."})
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = {"A name people reach this server by, besides localhost, IP addresses and --public-address",
                    "(requests with another name in their Host header are refused, against DNS rebinding);",
                    "repeatable, * for any."})
    List<String> allowedHosts = new ArrayList<>();

    /**
     * Checks the TLS files before anything starts, naming the file and why it cannot be used.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    void checkTlsFiles() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException(tlsCert == null ? "--tls-key needs --tls-cert (the certificate it goes with)"
                    : "--tls-cert needs --tls-key (the certificate's private key)");
        }
        checkReadable("--tls-cert", tlsCert);
        checkReadable("--tls-key", tlsKey);
    }

    private static void checkReadable(String flag, Path file) {
        if (file == null) {
            return;
        }
        String why = !Files.exists(file) ? "no such file"
                : Files.isDirectory(file) ? "a directory, not a PEM file"
                : !Files.isReadable(file) ? "not readable by this user (permission denied)" : null;
        if (why != null) {
            throw new IllegalArgumentException(flag + " " + file.toAbsolutePath() + ": " + why);
        }
    }

    /** {@code bytes} random bytes in hex, for secrets made at start. */
    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The TURN secret: the one given, or one generated for this run. */
    byte[] turnSecret() {
        if (turnSecret == null) {
            turnSecret = randomHex(24);
        }
        return turnSecret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The web server's configuration. {@code stun} and {@code turn} say which servers run on --turn-port, so
     * that /api/ice-servers advertises only what answers.
     */
    WebServerConfig config(boolean stun, boolean turn) {
        SignalingSettings signaling = SignalingSettings.defaults()
                .withRoomCapacity(roomCapacity)
                .withMaxRooms(maxRooms)
                .withMaxClients(maxClients)
                .withMaxMessageBytes(maxMessageBytes)
                .withRate(maxMessageRate, (int) Math.max(10, Math.ceil(maxMessageRate * 2)))
                .withPerAddress(maxClientsPerAddress, maxRoomsPerAddress);
        IceServerSettings ice = new IceServerSettings(publicAddress, stun ? turnPort : 0, turn ? turnPort : 0,
                turn ? turnSecret() : null, Duration.ofDays(1));
        return new WebServerConfig(host, port, tlsCert, tlsKey, signaling, ice, OriginPolicy.allowing(allowedOrigins),
                HostPolicy.allowing(allowedHosts).with(publicAddress), maxConnectionsPerAddress,
                Duration.ofSeconds(httpRequestTimeout));
    }
}
