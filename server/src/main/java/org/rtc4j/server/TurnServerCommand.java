package org.rtc4j.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.server.web.PemKeyStore;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;
import org.rtc4j.turn.TurnStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "turn-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a TURN server (RFC 8656: UDP relays for clients over UDP, TCP and TLS) until stopped.",
            "Binding requests are answered without credentials; TURN requests need long-term credentials."})
final class TurnServerCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "IP:PORT",
            description = "Answer on this address over UDP and TCP; repeatable; IPv6 as [::1]:3478. "
                    + "Port 0 picks a free port. Default: " + StunServerCommand.DEFAULT_LISTEN + ".")
    List<String> listen = new ArrayList<>();

    @Option(names = "--tls-listen", paramLabel = "IP:PORT",
            description = "Answer TLS over TCP here (turns:, RFC 8656 section 3.1; 5349 is its usual port); repeatable; "
                    + "needs --tls-cert and --tls-key.")
    List<String> tlsListen = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM) for --tls-listen.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--realm", paramLabel = "REALM", description = "The realm of the long-term credentials (default: ${DEFAULT-VALUE}).")
    String realm = "rtc4j";

    @Option(names = "--user", paramLabel = "NAME:PASSWORD", description = "A user; repeatable.")
    List<String> users = new ArrayList<>();

    @Option(names = "--users", paramLabel = "FILE", description = "Users, one NAME:PASSWORD a line (# comments).")
    Path usersFile;

    @Option(names = "--auth-secret", paramLabel = "SECRET",
            description = "TURN REST API: user names 'expiry:user', passwords base64(HMAC-SHA1(SECRET, name)).")
    String authSecret;

    @Option(names = "--relay-address", paramLabel = "IP",
            description = "Bind relays here (one IPv4, one IPv6); default: the --listen addresses.")
    List<String> relayAddresses = new ArrayList<>();

    @Option(names = "--external-address", paramLabel = "IP",
            description = "The IPv4 address to advertise for relays when behind a NAT.")
    String externalAddress;

    @Option(names = "--min-port", paramLabel = "PORT", description = "Lowest relay port (default: ${DEFAULT-VALUE}).")
    int minPort = 49152;

    @Option(names = "--max-port", paramLabel = "PORT", description = "Highest relay port (default: ${DEFAULT-VALUE}).")
    int maxPort = 65535;

    @Option(names = "--allow-loopback-peers", description = "Allow relaying to 127.0.0.0/8 and ::1 (for tests).")
    boolean allowLoopbackPeers;

    @Option(names = "--user-quota", paramLabel = "N", description = "Allocations per user (default: ${DEFAULT-VALUE}).")
    int userQuota = 64;

    @Option(names = "--address-quota", paramLabel = "N",
            description = "Allocations per client IP address, whatever the user names (default: ${DEFAULT-VALUE}).")
    int addressQuota = 128;

    @Option(names = "--total-quota", paramLabel = "N", description = "Allocations in total (default: ${DEFAULT-VALUE}).")
    int totalQuota = 4096;

    @Option(names = "--max-bps", paramLabel = "BYTES", description = "Bytes per second per allocation and direction, 0 = no cap "
            + "(default: ${DEFAULT-VALUE}).")
    long maxBytesPerSecond = 5_000_000;

    @CommandLine.Mixin
    TcpOptions tcpOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            return cannotReadUsers(err, e);
        }
        return serve(settings, err);
    }

    /**
     * Runs the usual command line without picocli ({@link ServerArgs}); null when picocli must read it (help,
     * version, anything unusual or wrong: picocli then says what).
     */
    static Integer runFast(String[] args, PrintWriter err) {
        TurnServerCommand c = readFast(args);
        if (c == null) {
            return null;
        }
        Settings settings;
        try {
            settings = c.settings();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return null;
        } catch (IOException e) {
            return cannotReadUsers(err, e);
        }
        return c.serve(settings, err);
    }

    /** The options of the usual command line read without picocli ({@link ServerArgs}), or null. */
    static TurnServerCommand readFast(String[] args) {
        TurnServerCommand c = new TurnServerCommand();
        return fastOptions(c).parse(args) ? c : null;
    }

    /** The options, each setting its field of {@code c} (defaults as picocli's). */
    static ServerArgs fastOptions(TurnServerCommand c) {
        c.tcpOptions = new TcpOptions();
        return new ServerArgs().tcpOptions(c.tcpOptions)
                .repeatable("--listen", c.listen::add)
                .repeatable("--tls-listen", c.tlsListen::add)
                .option("--tls-cert", v -> c.tlsCert = Path.of(v))
                .option("--tls-key", v -> c.tlsKey = Path.of(v))
                .option("--realm", v -> c.realm = v)
                .repeatable("--user", c.users::add)
                .option("--users", v -> c.usersFile = Path.of(v))
                .option("--auth-secret", v -> c.authSecret = v)
                .repeatable("--relay-address", c.relayAddresses::add)
                .option("--external-address", v -> c.externalAddress = v)
                .number("--min-port", n -> c.minPort = Math.toIntExact(n))
                .number("--max-port", n -> c.maxPort = Math.toIntExact(n))
                .flag("--allow-loopback-peers", () -> c.allowLoopbackPeers = true)
                .number("--user-quota", n -> c.userQuota = Math.toIntExact(n))
                .number("--address-quota", n -> c.addressQuota = Math.toIntExact(n))
                .number("--total-quota", n -> c.totalQuota = Math.toIntExact(n))
                .number("--max-bps", n -> c.maxBytesPerSecond = n);
    }

    /** What the options say, checked, before anything starts. */
    private record Settings(List<InetSocketAddress> addresses, List<InetSocketAddress> tlsAddresses, TcpLimits limits,
            TurnServerConfig config) {
    }

    private Settings settings() throws IOException {
        List<InetSocketAddress> addresses = Listeners.parse(listen, StunServerCommand.DEFAULT_LISTEN);
        List<InetSocketAddress> tlsAddresses = tlsListen.isEmpty() ? List.of() : Listeners.parse(tlsListen, null);
        if (!tlsAddresses.isEmpty() != (tlsCert != null && tlsKey != null) || (tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-listen, --tls-cert and --tls-key go together");
        }
        TcpLimits limits = tcpOptions.limits();
        return new Settings(addresses, tlsAddresses, limits, config(addresses));
    }

    private static int cannotReadUsers(PrintWriter err, IOException e) {
        err.println("rtc4j turn-server: cannot read --users: " + e.getMessage());
        err.flush();
        return 1;
    }

    private Integer serve(Settings settings, PrintWriter err) {
        TurnServerConfig config = settings.config();
        EngineRunner runner;
        TurnServer[] engine = new TurnServer[1];
        try {
            SSLContext tls = tlsCert == null ? null : PemKeyStore.serverContext(tlsCert, tlsKey);
            runner = Listeners.start(settings.addresses(), settings.tlsAddresses(), tls, settings.limits(), () -> engine[0] = new TurnServer(config));
        } catch (IOException e) {
            err.println("rtc4j turn-server: " + e.getMessage());
            err.flush();
            return 1;
        }
        // On the way out (Ctrl-C, kill), say what was relayed and dropped; racy reads of counters are fine here.
        Thread report = new Thread(() -> {
            err.println(stoppedReport(engine[0].stats(), runner.sendDrops()));
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(report);
        try (runner) {
            err.println("rtc4j turn-server: listening on " + Listeners.describe(runner) + ", relaying from "
                    + String.join(" ", config.relayAddresses().stream().map(InetAddress::getHostAddress).toList())
                    + " ports " + config.minPort() + "-" + config.maxPort());
            err.flush();
            runner.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped by the caller
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(report);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }
        return 0;
    }

    /**
     * The line said on the way out. Built with a StringBuilder on purpose: a record's {@code toString} and a
     * {@code +} concatenation are linked by bootstrap methods at their first call, and at shutdown, where
     * nothing had called them, that spun some 55 classes and cost the process 0.1 s of CPU (issue 23).
     */
    static String stoppedReport(TurnStats s, long sendDrops) {
        StringBuilder b = new StringBuilder("rtc4j turn-server: stopped; allocations ").append(s.allocations())
                .append(" (").append(s.allocationsCreated()).append(" created), relayed to peers ")
                .append(s.packetsToPeers()).append(" packets ").append(s.bytesToPeers()).append(" bytes, to clients ")
                .append(s.packetsToClients()).append(" packets ").append(s.bytesToClients())
                .append(" bytes; auth failures ").append(s.authFailures()).append(", malformed ").append(s.malformed())
                .append(", dropped ").append(s.dropped()).append(", send buffer drops ").append(sendDrops)
                .append(", errors sent");
        // In order without a sort (whose first call links a lambda): the codes are 300 to 699, RFC 8489 section 14.8.
        for (int code = 300; code < 700; code++) {
            long n = s.rejected(code);
            if (n > 0) {
                b.append(' ').append(code).append('=').append(n);
            }
        }
        return b.append(s.rejected().isEmpty() ? " none" : "").toString();
    }

    private TurnServerConfig config(List<InetSocketAddress> addresses) throws IOException {
        TurnServerConfig.Builder b = TurnServerConfig.builder().realm(realm).authSecret(authSecret)
                .ports(minPort, maxPort).allowLoopbackPeers(allowLoopbackPeers)
                .maxAllocationsPerUser(userQuota).maxAllocationsPerAddress(addressQuota)
                .maxAllocations(totalQuota).maxBytesPerSecond(maxBytesPerSecond);
        List<String> lines = new ArrayList<>(users);
        if (usersFile != null) {
            for (String line : Files.readAllLines(usersFile, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed);
                }
            }
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a user is NAME:PASSWORD, not '" + line + "'");
            }
            b.user(line.substring(0, colon), line.substring(colon + 1));
        }
        if (lines.isEmpty() && authSecret == null) {
            throw new IllegalArgumentException("give credentials: --user, --users or --auth-secret");
        }
        List<InetAddress> relays = new ArrayList<>();
        for (String text : relayAddresses) {
            relays.add(TransportAddress.parseIp(text));
        }
        if (relays.isEmpty()) {
            for (InetSocketAddress address : addresses) {
                InetAddress ip = address.getAddress();
                if (ip.isAnyLocalAddress()) {
                    throw new IllegalArgumentException("listening on " + ip.getHostAddress()
                            + ": say which address relays use with --relay-address");
                }
                if (relays.stream().noneMatch(r -> r.getClass() == ip.getClass())) {
                    relays.add(ip);
                }
            }
        }
        relays.forEach(b::relayAddress);
        if (externalAddress != null) {
            InetAddress external = TransportAddress.parseIp(externalAddress);
            if (!(external instanceof Inet4Address)) {
                throw new IllegalArgumentException("--external-address is an IPv4 address");
            }
            b.externalAddress(external);
        }
        return b.build();
    }
}
