package org.rtc4j.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.server.signaling.RedisCluster;
import org.rtc4j.server.web.PemKeyStore;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Run the demo: the video-chat web app and signaling server (http://localhost:8080),",
            "with a STUN/TURN server on --turn-port (UDP and TCP) whose time-limited credentials",
            "/api/ice-servers hands out."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    WebOptions web;

    @CommandLine.Option(names = "--redis", paramLabel = "URL", description = {
        "Share rooms with every server on this Redis: redis://[:PASSWORD@]HOST:PORT, or rediss:// for TLS.",
        "Without it the server is alone and needs nothing else."})
    String redis;

    @CommandLine.Option(names = "--redis-prefix", paramLabel = "PREFIX", defaultValue = "rtc4j:",
            description = "Prefix of every Redis key and channel, to share one Redis (default: ${DEFAULT-VALUE}).")
    String redisPrefix;

    @CommandLine.Option(names = "--redis-ca", paramLabel = "FILE", description = {
        "PEM file of the CA certificates that sign the rediss:// server's certificate",
        "(default: the JVM's trusted CAs)."})
    java.nio.file.Path redisCa;

    @CommandLine.Option(names = "--turn-server", paramLabel = "HOST:PORT", description = {
        "Another TURN server sharing this one's secret (--turn-secret, or the one kept in Redis),",
        "listed in /api/ice-servers with the same credentials; repeat for several."})
    List<String> otherTurnServers = new java.util.ArrayList<>();

    @CommandLine.Option(names = "--turns-port", paramLabel = "PORT", description = {
        "Also serve TURN over TLS (turns:, RFC 8656 section 3.1) on this port, with the certificate of",
        "--tls-cert and --tls-key, and list it in /api/ice-servers; 0 picks a free port (default: none)."})
    Integer turnsPort;

    @Mixin
    TcpOptions tcpOptions;

    @CommandLine.Option(names = "--internals-token", paramLabel = "TOKEN", description = {
        "The operator page /internals (rooms, participants, TURN allocations and traffic over time) answers",
        "to this token, 16 characters or more (default: one made at start and printed with the page's",
        "address); off: no operator page."})
    String internalsToken;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            web.checkTlsFiles();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (internalsToken != null && !internalsToken.equals("off") && internalsToken.length() < 16) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--internals-token needs 16 characters or more (or off)");
        }
        InetAddress bind;
        try {
            bind = web.host == null ? InetAddress.getByAddress(new byte[4]) : TransportAddress.parseIp(web.host);
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--host: " + e.getMessage());
        }
        RedisCluster cluster;
        try {
            cluster = redis == null ? null : RedisCluster.connect(redis, redisPrefix, redisCa);
        } catch (IllegalArgumentException e) {
            err.println("rtc4j demo: " + e.getMessage());
            err.flush();
            return 1;
        }
        try (cluster) {
            if (cluster != null && web.turnSecret == null) {
                // Every server's TURN accepts every server's credentials: one secret, kept in Redis.
                web.turnSecret = cluster.sharedTurnSecret(web.turnSecret());
            }
            return run(err, bind, cluster);
        }
    }

    private int run(PrintWriter err, InetAddress bind, RedisCluster cluster) throws InterruptedException {
        if (turnsPort != null && web.tlsCert == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--turns-port needs --tls-cert and --tls-key");
        }
        TcpLimits limits = tcpOptions.limits(spec.commandLine());
        InetAddress relay = relayAddress(bind);
        TurnServerConfig.Builder turnConfig = TurnServerConfig.builder()
                .realm("rtc4j")
                .authSecret(new String(web.turnSecret(), StandardCharsets.UTF_8))
                .relayAddress(relay)
                // On a machine with nothing but loopback, loopback peers are the only peers there are.
                .allowLoopbackPeers(relay.isLoopbackAddress());
        if (web.publicAddress != null && isIpv4Literal(web.publicAddress)) {
            turnConfig.externalAddress(TransportAddress.parseIp(web.publicAddress));
        }
        TurnServerConfig config = turnConfig.build();
        TurnServer[] engine = new TurnServer[1];
        List<InetSocketAddress> tlsListen = turnsPort == null ? List.of() : List.of(new InetSocketAddress(bind, turnsPort));
        try (EngineRunner turn = Listeners.start(List.of(new InetSocketAddress(bind, web.turnPort)), tlsListen,
                turnsPort == null ? null : PemKeyStore.serverContext(web.tlsCert, web.tlsKey), limits,
                () -> engine[0] = new TurnServer(config))) {
            // /api/ice-servers advertises the ports TURN got (--turn-port 0 picks one).
            web.turnPort = turn.localAddresses().get(0).port();
            WebServerConfig webConfig = web.config(true, true);
            webConfig = webConfig.withIceServers(webConfig.iceServers().withOtherTurnServers(otherTurnServers)
                    .withTurnsPort(turn.tlsAddresses().isEmpty() ? 0 : turn.tlsAddresses().get(0).port()));
            WebServer server = WebServer.start(webConfig, cluster);
            StopSignals signals = StopSignals.install("rtc4j demo", server::close);
            try (server; signals) {
                TurnMetrics.bind(server.metrics(), engine[0]);
                Gauge.builder("rtc4j.turn.tcp.connections", turn, EngineRunner::tcpConnections)
                        .description("TCP and TLS connections of TURN clients").register(server.metrics());
                FunctionCounter.builder("rtc4j.turn.tcp.refused", turn, EngineRunner::refusedConnections)
                        .description("TURN TCP and TLS connections reset at accept: over the limit in all or per address")
                        .register(server.metrics());
                err.println("rtc4j demo: TURN relays from " + relay.getHostAddress() + "; STUN/TURN listening on "
                        + Listeners.describe(turn));
                err.println("rtc4j demo: open " + server.url() + " (signaling at "
                        + server.url().resolve("/ws").toString().replaceFirst("^http", "ws") + ")");
                if (!"off".equals(internalsToken)) {
                    String token = internalsToken != null ? internalsToken : WebOptions.randomHex(16);
                    server.enableInternals(token);
                    err.println("rtc4j demo: operator page " + server.url().resolve("/internals") + "#token=" + token);
                }
                err.flush();
                server.join(); // until a signal closes it (WebSockets told 1001, going away) or the thread is interrupted
            } finally {
                turn.close(); // the relays' sockets close with it: every allocation ends here
                err.println("rtc4j demo: stopped; " + engine[0].stats().allocations() + " TURN allocations ended");
                err.flush();
            }
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("rtc4j demo: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** Relays bind to the --host address, or with every interface bound, to the first non-loopback IPv4. */
    private static InetAddress relayAddress(InetAddress bind) {
        if (!bind.isAnyLocalAddress()) {
            return bind;
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return address;
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return InetAddress.getLoopbackAddress();
    }

    private static boolean isIpv4Literal(String text) {
        try {
            return TransportAddress.parseIp(text) instanceof Inet4Address;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
