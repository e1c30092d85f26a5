package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.LoopbackNamespace;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void aTakenPortIsAClearErrorNotAStackTrace() throws Exception {
        PrintStream saved = System.err;
        var err = new ByteArrayOutputStream();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run("demo", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(code).isEqualTo(1);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("rtc4j demo: cannot listen on 127.0.0.1:", "already in use", "--port 0");
    }

    @Test
    void badSettingsAreRefused() {
        PrintStream saved = System.err;
        var err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(Main.run("demo", "--port", "0", "--room-capacity", "1")).isEqualTo(1);
            assertThat(Main.run("demo", "--port", "0", "--tls-cert", "x.pem")).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("room capacity", "--tls-cert needs --tls-key");
    }

    /** A TLS file that is not there, or not a file: the error names the flag, the file and why, before anything starts. */
    @Test
    void aMissingTlsFileIsNamedWithTheReason() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("demo-tls");
        java.nio.file.Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"), "not read");
        PrintStream saved = System.err;
        var err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(Main.run("demo", "--port", "0", "--tls-cert", cert.toString(), "--tls-key",
                    dir.resolve("key.pem").toString())).isEqualTo(2);
            assertThat(Main.run("demo", "--port", "0", "--tls-cert", dir.toString(), "--tls-key", cert.toString()))
                    .isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "rtc4j demo: --tls-key " + dir.resolve("key.pem").toAbsolutePath() + ": no such file",
                "Run 'rtc4j demo --help' for its options.",
                "rtc4j demo: --tls-cert " + dir.toAbsolutePath() + ": a directory, not a PEM file",
                "Run 'rtc4j demo --help' for its options.");
    }

    /**
     * The whole demo in one process: the credentials /api/ice-servers hands out are accepted by the demo's own
     * TURN server, which coturn's client then relays through without loss, and /metrics counts it.
     */
    @Test
    void theDemoTurnServerAcceptsTheCredentialsItHandsOut() throws Exception {
        LoopbackNamespace.require();
        StringWriter err = new StringWriter();
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        Thread demo = new Thread(() -> cli.execute("demo", "--host", "127.0.0.1", "--port", "0", "--turn-port", "0"),
                "demo-command");
        demo.start();
        Process peer = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", "3480")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI url = awaitUrl(err, demo);
            HttpClient http = HttpClient.newHttpClient();
            JsonNode ice = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(url.resolve("/api/ice-servers"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode turn = null;
            for (JsonNode server : ice.get("iceServers")) {
                if (server.has("username")) {
                    turn = server;
                }
            }
            assertThat(turn).as(ice.toString()).isNotNull();
            // --turn-port 0: the port advertised must be the one the TURN server got.
            Matcher advertised = Pattern.compile("turn:127\\.0\\.0\\.1:(\\d+)").matcher(turn.get("urls").toString());
            assertThat(advertised.find()).as(turn.toString()).isTrue();
            String turnPort = advertised.group(1);
            assertThat(err.toString()).contains("STUN/TURN listening on 127.0.0.1:" + turnPort + "/udp");

            Process client = new ProcessBuilder("turnutils_uclient", "-u", turn.get("username").asText(),
                    "-w", turn.get("credential").asText(), "-e", "127.0.0.1", "-r", "3480", "-m", "2", "-n", "20",
                    "-l", "200", "-z", "5", "-p", turnPort, "127.0.0.1").redirectErrorStream(true).start();
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).contains("Total lost packets 0 (");
            assertThat(client.exitValue()).as(output).isZero();

            String metrics = http.send(HttpRequest.newBuilder(url.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher created = Pattern.compile("(?m)^rtc4j_turn_allocations_opened_total (\\S+)").matcher(metrics);
            assertThat(created.find()).as(metrics).isTrue();
            assertThat(Double.parseDouble(created.group(1))).isGreaterThanOrEqualTo(2);
            assertMetricsForDashboards(metrics);
        } finally {
            peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            demo.interrupt();
            demo.join(10_000);
        }
        assertThat(demo.isAlive()).isFalse();
    }

    /**
     * What a dashboard needs, each with its HELP text: TURN allocations and traffic per direction, requests
     * refused by reason, the signaling hub, and Micrometer's JVM and process meters.
     */
    private static void assertMetricsForDashboards(String metrics) {
        Matcher types = Pattern.compile("(?m)^# TYPE (rtc4j_turn_\\w+) ").matcher(metrics);
        int turnMetrics = 0;
        while (types.find()) {
            turnMetrics++;
            assertThat(metrics).as(types.group(1)).containsPattern("(?m)^# HELP " + types.group(1) + " \\S");
        }
        assertThat(turnMetrics).isGreaterThanOrEqualTo(8);
        assertThat(value(metrics, "rtc4j_turn_relayed_bytes_total{direction=\"to_peer\"}")).isPositive();
        assertThat(value(metrics, "rtc4j_turn_relayed_packets_total{direction=\"to_client\"}")).isPositive();
        // coturn's client asks without credentials first: the 401 that starts long-term authentication
        assertThat(value(metrics, "rtc4j_turn_rejected_requests_total{code=\"401\",reason=\"unauthenticated\"}"))
                .isPositive();
        assertThat(value(metrics, "rtc4j_turn_rejected_requests_total{code=\"486\",reason=\"allocation_quota_reached\"}"))
                .isZero();
        assertThat(metrics).contains("rtc4j_signaling_rooms ", "rtc4j_signaling_clients ",
                "rtc4j_signaling_messages_received_total ", "jvm_memory_used_bytes{", "jvm_threads_live_threads ",
                "jvm_gc_", "process_cpu_usage ", "process_uptime_seconds ", "process_files_open_files ",
                "jvm_classes_loaded_classes ");
    }

    /** The value of one sample line, by its name and labels as printed. */
    private static double value(String metrics, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(sample + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    static URI awaitUrl(StringWriter err, Thread demo) throws InterruptedException {
        Pattern open = Pattern.compile("rtc4j demo: open (\\S+)");
        for (int i = 0; i < 400; i++) {
            Matcher m = open.matcher(err.toString());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (!demo.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the demo did not start: " + err);
    }
}
