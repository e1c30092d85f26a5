package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.TestCertificate;
import org.rtc4j.turn.TurnStats;
import picocli.CommandLine;

/**
 * {@code ./rtc4j turn-server} against coturn's clients: {@code turnutils_uclient} allocates, binds
 * channels and relays through our server to {@code turnutils_peer}, over UDP and over TCP, and must lose
 * nothing.
 */
class TurnServerCommandTest {

    private static final Pattern SENT = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");

    private Thread server;
    private Process peer;
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() throws InterruptedException {
        if (peer != null) {
            peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.interrupt();
            server.join(10_000);
            assertThat(server.isAlive()).isFalse();
        }
    }

    /** The line said on the way out names every counter, and the error codes sent in order. */
    @Test
    void stoppedReportListsCountersAndErrorCodesInOrder() {
        TurnStats stats = new TurnStats(2, 7, 11, 1100, 13, 1300, 3, 5, 17, Map.of(438, 4L, 401, 9L, 403, 1L));
        assertThat(TurnServerCommand.stoppedReport(stats, 19)).isEqualTo("rtc4j turn-server: stopped; allocations 2"
                + " (7 created), relayed to peers 11 packets 1100 bytes, to clients 13 packets 1300 bytes; auth failures"
                + " 3, malformed 5, dropped 17, send buffer drops 19, errors sent 401=9 403=1 438=4");
        TurnStats none = new TurnStats(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());
        assertThat(TurnServerCommand.stoppedReport(none, 0)).endsWith("send buffer drops 0, errors sent none");
    }

    @Test
    void coturnClientRelaysOverUdpWithoutLoss() throws Exception {
        relay(false);
    }

    @Test
    void coturnClientRelaysOverTcpWithoutLoss() throws Exception {
        relay(true);
    }

    /** TURN over TLS (RFC 8656 section 3.1): coturn's client with -S against --tls-listen, PEM from OpenSSL. */
    @Test
    void coturnClientRelaysOverTlsWithoutLoss(@TempDir Path dir) throws Exception {
        LoopbackNamespace.require();
        TestCertificate cert = TestCertificate.generate(dir, "IP:127.0.0.1,DNS:localhost");
        start("--listen", "127.0.0.1:3478", "--tls-listen", "127.0.0.1:5349", "--tls-cert",
                cert.certificatePem().toString(), "--tls-key", cert.keyPem().toString(), "--realm", "test",
                "--user", "alice:secret", "--allow-loopback-peers", "--min-port", "50000", "--max-port", "50999");
        assertThat(err.toString()).contains("127.0.0.1:5349/tls");
        startPeer("127.0.0.1");
        // -E: the client checks our certificate against it (coturn's client verifies only when given a CA file).
        assertLossless(run(List.of("turnutils_uclient", "-t", "-S", "-E", cert.certificatePem().toString(),
                "-u", "alice", "-w", "secret", "-e", "127.0.0.1", "-r", "3480", "-p", "5349",
                "-m", "5", "-n", "50", "-l", "200", "-z", "5", "127.0.0.1")), 250);
    }

    @Test
    void tlsNeedsItsCertificateAndKey() {
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(cli.execute("turn-server", "--listen", "127.0.0.1:0", "--user", "alice:secret",
                "--tls-listen", "127.0.0.1:0")).isEqualTo(2);
        assertThat(cli.execute("turn-server", "--listen", "127.0.0.1:0", "--user", "alice:secret",
                "--tls-cert", "cert.pem", "--tls-key", "key.pem")).isEqualTo(2);
    }

    /** Send and Data indications, IPv6 relays, dual allocations, and TURN REST API credentials. */
    @Test
    void coturnClientRelaysIpv6WithIndicationsAndRestCredentials() throws Exception {
        LoopbackNamespace.require();
        // Both families: requests without REQUESTED-ADDRESS-FAMILY get IPv4 relays (RFC 8656 section 7.2).
        start("--listen", "[::1]:3478", "--listen", "127.0.0.1:3478", "--realm", "test", "--auth-secret", "sharedsecret",
                "--allow-loopback-peers", "--min-port", "50000", "--max-port", "50999");
        startPeer("::1", "127.0.0.1");
        assertLossless(run(List.of("turnutils_uclient", "-s", "-x", "-W", "sharedsecret", "-u", "bob", "-e", "::1",
                "-r", "3480", "-m", "2", "-n", "50", "-l", "200", "-z", "5", "::1")), 100);
        // Dual allocation (ADDITIONAL-ADDRESS-FAMILY, under the draft type coturn's client sends).
        assertLossless(run(List.of("turnutils_uclient", "-Z", "-W", "sharedsecret", "-u", "bob", "-e", "127.0.0.1",
                "-r", "3480", "-m", "2", "-n", "50", "-l", "200", "-z", "5", "127.0.0.1")), 100);
    }

    private void relay(boolean tcp) throws Exception {
        LoopbackNamespace.require();
        // Users from the command line over UDP, from a file over TCP.
        Path users = Files.createTempFile("turn-users", ".txt");
        Files.writeString(users, "# name:password\nbob:other\nalice:secret\n");
        users.toFile().deleteOnExit();
        start("--listen", "127.0.0.1:3478", "--realm", "test", tcp ? "--users" : "--user",
                tcp ? users.toString() : "alice:secret", "--allow-loopback-peers", "--min-port", "50000",
                "--max-port", "50999");
        startPeer("127.0.0.1");
        List<String> command = new ArrayList<>(List.of("turnutils_uclient"));
        if (tcp) {
            command.add("-t");
        }
        command.addAll(List.of("-u", "alice", "-w", "secret", "-e", "127.0.0.1", "-r", "3480",
                "-m", "5", "-n", "50", "-l", "200", "-z", "5", "127.0.0.1"));
        assertLossless(run(command), 250);
    }

    private void startPeer(String... ips) throws IOException {
        List<String> command = new ArrayList<>(List.of("turnutils_peer", "-p", "3480"));
        for (String ip : ips) {
            command.addAll(List.of("-L", ip));
        }
        peer = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void assertLossless(String output, int atLeast) {
        // The last totals line is the final one.
        long sent = -1;
        long received = -1;
        for (Matcher m = SENT.matcher(output); m.find(); ) {
            sent = Long.parseLong(m.group(1));
            received = Long.parseLong(m.group(2));
        }
        assertThat(sent).as(output).isGreaterThanOrEqualTo(atLeast);
        assertThat(received).as(output).isEqualTo(sent);
        assertThat(output).contains("Total lost packets 0 (");
    }

    @Test
    void credentialsAndRelayAddressAreRequired() {
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(cli.execute("turn-server", "--listen", "127.0.0.1:0")).isEqualTo(2);
        assertThat(cli.execute("turn-server", "--user", "alice:secret")).isEqualTo(2); // 0.0.0.0 needs a relay address
        assertThat(cli.execute("turn-server", "--listen", "127.0.0.1:0", "--user", "alice")).isEqualTo(2);
    }

    private void start(String... args) throws InterruptedException {
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        List<String> command = new ArrayList<>(List.of("turn-server"));
        command.addAll(List.of(args));
        server = new Thread(() -> cli.execute(command.toArray(String[]::new)), "turn-server-command");
        server.start();
        for (int i = 0; i < 200; i++) {
            if (err.toString().contains("listening on")) {
                return;
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start: " + err);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
