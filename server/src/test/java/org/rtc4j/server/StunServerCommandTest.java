package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.LoopbackNamespace;
import picocli.CommandLine;

/** {@code ./rtc4j stun-server} against a client we did not write: coturn's turnutils_stunclient. */
class StunServerCommandTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (.*)");

    private Thread server;
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.interrupt();
            server.join(10_000);
            assertThat(server.isAlive()).isFalse();
        }
    }

    @Test
    void coturnStunClientGetsItsMappedAddressOverUdp() throws Exception {
        LoopbackNamespace.require();
        start("--listen", "127.0.0.1:3478");
        String output = run("turnutils_stunclient", "127.0.0.1");
        assertThat(output).containsPattern("IPv4\\. UDP reflexive addr: 127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void portZeroPrintsTheBoundAddressesAndIpv6Works() throws Exception {
        LoopbackNamespace.require();
        List<String> bound = start("--listen", "127.0.0.1:0", "--listen", "[::1]:0");
        assertThat(bound).hasSize(4);
        assertThat(bound.get(0)).matches("127\\.0\\.0\\.1:\\d+/udp");
        assertThat(bound.get(1)).isEqualTo(bound.get(0).replace("/udp", "/tcp"));
        assertThat(bound.get(2)).matches("\\[[0:]+1]:\\d+/udp");
        String v4Port = bound.get(0).replaceAll(".*:(\\d+)/udp", "$1");
        String v6Port = bound.get(2).replaceAll(".*:(\\d+)/udp", "$1");
        assertThat(run("turnutils_stunclient", "-p", v4Port, "127.0.0.1"))
                .containsPattern("UDP reflexive addr: 127\\.0\\.0\\.1:\\d+");
        assertThat(run("turnutils_stunclient", "-p", v6Port, "::1"))
                .containsPattern("IPv6\\. UDP reflexive addr: ::1:\\d+");
    }

    @Test
    void theDemoRunsTheStunServerOnItsDefaultPort() throws Exception {
        LoopbackNamespace.require();
        List<String> bound = startCommand("demo");
        assertThat(bound).containsExactly("0.0.0.0:3478/udp", "0.0.0.0:3478/tcp");
        assertThat(run("turnutils_stunclient", "127.0.0.1"))
                .containsPattern("UDP reflexive addr: 127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void aBadListenAddressIsAUsageError() {
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(cli.execute("stun-server", "--listen", "localhost:3478")).isEqualTo(2);
        assertThat(cli.execute("stun-server", "--listen", "127.0.0.1:99999")).isEqualTo(2);
    }

    private List<String> start(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("stun-server"));
        command.addAll(List.of(args));
        return startCommand(command.toArray(String[]::new));
    }

    /** Runs a command on a thread, as ./rtc4j would, and returns the addresses it printed. */
    private List<String> startCommand(String... command) throws InterruptedException {
        var cli = new CommandLine(new Main());
        PrintWriter writer = new PrintWriter(err, true);
        cli.setErr(writer);
        server = new Thread(() -> cli.execute(command), "stun-server-command");
        server.start();
        for (int i = 0; i < 200; i++) {
            Matcher m = LISTENING.matcher(err.toString());
            if (m.find()) {
                return List.of(m.group(1).trim().split(" "));
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start: " + err);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
