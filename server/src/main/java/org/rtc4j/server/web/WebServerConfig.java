package org.rtc4j.server.web;

import java.nio.file.Path;
import java.time.Duration;
import org.rtc4j.server.signaling.SignalingSettings;

/**
 * How the web server runs.
 *
 * @param host address to bind, null or empty for every interface
 * @param port TCP port, 0 for any free one
 * @param tlsCert PEM certificate chain for HTTPS and WSS, or null for plain HTTP
 * @param tlsKey PEM PKCS#8 private key of the certificate, or null
 * @param signaling limits of the signaling rooms
 * @param iceServers what {@code /api/ice-servers} hands out
 * @param origins which web pages may open the signaling WebSocket
 * @param hosts which names in the Host header the server answers to (DNS rebinding)
 * @param maxConnectionsPerAddress open TCP connections (HTTP and WebSocket) from one IP address
 * @param requestTimeout the longest an HTTP request may take from its first byte (or the connection's opening,
 *     TLS handshake included) to its answer, however its bytes trickle in (slowloris)
 */
public record WebServerConfig(
        String host, int port, Path tlsCert, Path tlsKey, SignalingSettings signaling, IceServerSettings iceServers,
        OriginPolicy origins, HostPolicy hosts, int maxConnectionsPerAddress, Duration requestTimeout) {

    /** Pages and API answers are small: 20 s is slow for any of them on a working link. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

    /** A browser opens about six connections per server; 100 leave room for a household behind one NAT. */
    public static final int DEFAULT_CONNECTIONS_PER_ADDRESS = 100;

    public WebServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (origins == null) {
            origins = OriginPolicy.sameOrigin();
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("connections per address must be positive: " + maxConnectionsPerAddress);
        }
        if (hosts == null) {
            hosts = HostPolicy.loopbackAndAddresses();
        }
        if (requestTimeout == null) {
            requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive: " + requestTimeout);
        }
    }

    public WebServerConfig(String host, int port, Path tlsCert, Path tlsKey, SignalingSettings signaling,
            IceServerSettings iceServers, OriginPolicy origins, HostPolicy hosts, int maxConnectionsPerAddress) {
        this(host, port, tlsCert, tlsKey, signaling, iceServers, origins, hosts, maxConnectionsPerAddress, null);
    }

    /** Loopback, a free port, plain HTTP, default limits, no ICE servers, same origin only: for tests. */
    public static WebServerConfig loopback() {
        return new WebServerConfig("127.0.0.1", 0, null, null, SignalingSettings.defaults(), IceServerSettings.none(),
                OriginPolicy.sameOrigin(), HostPolicy.loopbackAndAddresses(), DEFAULT_CONNECTIONS_PER_ADDRESS);
    }

    public WebServerConfig withSignaling(SignalingSettings s) {
        return new WebServerConfig(host, port, tlsCert, tlsKey, s, iceServers, origins, hosts,
                maxConnectionsPerAddress, requestTimeout);
    }

    public WebServerConfig withIceServers(IceServerSettings i) {
        return new WebServerConfig(host, port, tlsCert, tlsKey, signaling, i, origins, hosts,
                maxConnectionsPerAddress, requestTimeout);
    }

    public WebServerConfig withTls(Path cert, Path key) {
        return new WebServerConfig(host, port, cert, key, signaling, iceServers, origins, hosts,
                maxConnectionsPerAddress, requestTimeout);
    }

    public WebServerConfig withOrigins(OriginPolicy o) {
        return new WebServerConfig(host, port, tlsCert, tlsKey, signaling, iceServers, o, hosts,
                maxConnectionsPerAddress, requestTimeout);
    }

    public WebServerConfig withHosts(HostPolicy h) {
        return new WebServerConfig(host, port, tlsCert, tlsKey, signaling, iceServers, origins, h,
                maxConnectionsPerAddress, requestTimeout);
    }

    public WebServerConfig withMaxConnectionsPerAddress(int n) {
        return new WebServerConfig(host, port, tlsCert, tlsKey, signaling, iceServers, origins, hosts,
                n, requestTimeout);
    }

    public WebServerConfig withRequestTimeout(Duration d) {
        return new WebServerConfig(host, port, tlsCert, tlsKey, signaling, iceServers, origins, hosts,
                maxConnectionsPerAddress, d);
    }

    boolean tls() {
        return tlsCert != null;
    }
}
