package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.signaling.SignalingEvent;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * The demo as a user stops it: a real process, a real SIGTERM or SIGINT, with a browser-like client in a room
 * and coturn's TURN client holding an allocation. It closes the WebSocket with 1001, ends the allocation,
 * says it stopped, and exits 0 within a few seconds.
 */
class DemoShutdownTest {

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    @Timeout(120)
    void aSignalStopsTheDemoInOrderWithStatusZero(String signal) throws Exception {
        LoopbackNamespace.require();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "demo", "--host", "127.0.0.1", "--port", "0", "--turn-port", "0").redirectErrorStream(true).start();
        BlockingQueue<String> output = new LinkedBlockingQueue<>();
        StringBuilder all = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        Process peer = null;
        Process client = null;
        try {
            URI url = URI.create(await(output, all, Pattern.compile("rtc4j demo: open (\\S+)")).group(1));
            BlockingQueue<SignalingEvent> events = new LinkedBlockingQueue<>();
            SignalingClient ws = SignalingClient.connect(URI.create(url.toString().replaceFirst("^http", "ws") + "ws"),
                    events::add).get(20, TimeUnit.SECONDS);
            ws.join("shutdown").get(20, TimeUnit.SECONDS);

            HttpClient http = HttpClient.newHttpClient();
            JsonNode turn = null;
            for (JsonNode s : new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(url.resolve("/api/ice-servers"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).get("iceServers")) {
                turn = s.has("username") ? s : turn;
            }
            Matcher port = Pattern.compile("turn:127\\.0\\.0\\.1:(\\d+)").matcher(turn.get("urls").toString());
            assertThat(port.find()).isTrue();
            int peerPort = 20000 + (int) (ProcessHandle.current().pid() % 10000);
            peer = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", String.valueOf(peerPort))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // One allocation that keeps sending for minutes: alive when the signal comes.
            client = new ProcessBuilder("turnutils_uclient", "-u", turn.get("username").asText(),
                    "-w", turn.get("credential").asText(), "-e", "127.0.0.1", "-r", String.valueOf(peerPort),
                    "-m", "1", "-n", "100000", "-l", "100", "-z", "20", "-p", port.group(1), "127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitAllocation(http, url, all);

            long signalled = System.nanoTime();
            new ProcessBuilder("kill", "-" + signal, String.valueOf(demo.pid())).inheritIO().start().waitFor();
            assertThat(demo.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s: " + all).isTrue();
            double seconds = (System.nanoTime() - signalled) / 1e9;
            reader.join(5_000);
            for (String line; (line = output.poll()) != null; ) {
                all.append(line).append('\n');
            }
            assertThat(demo.exitValue()).as(all.toString()).isZero();
            SignalingEvent closed = events.poll(5, TimeUnit.SECONDS);
            while (closed != null && !(closed instanceof SignalingEvent.Closed)) {
                closed = events.poll(5, TimeUnit.SECONDS);
            }
            assertThat(closed).as(all.toString()).isInstanceOf(SignalingEvent.Closed.class);
            assertThat(((SignalingEvent.Closed) closed).code()).isEqualTo(1001);
            assertThat(all.toString()).contains("rtc4j demo: stopping (SIG" + signal,
                    "closed 1 signaling WebSockets: going away (1001)");
            // coturn's client holds more than one allocation (its RTP and RTCP pair): those alive are ended
            Matcher ended = Pattern.compile("rtc4j demo: stopped; (\\d+) TURN allocations ended").matcher(all);
            assertThat(ended.find()).as(all.toString()).isTrue();
            assertThat(Integer.parseInt(ended.group(1))).isPositive();
            System.out.printf("SIG%s: the demo exited 0 after %.2f s%n", signal, seconds);
        } finally {
            for (Process p : new Process[] {client, peer, demo}) {
                if (p != null) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Waits for /metrics to count one allocation alive. */
    private static void awaitAllocation(HttpClient http, URI url, StringBuilder all) throws Exception {
        Pattern alive = Pattern.compile("(?m)^rtc4j_turn_allocations (\\S+)");
        for (int i = 0; i < 200; i++) {
            Matcher m = alive.matcher(http.send(HttpRequest.newBuilder(url.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (m.find() && Double.parseDouble(m.group(1)) >= 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no TURN allocation: " + all);
    }

    private static Matcher await(BlockingQueue<String> output, StringBuilder all, Pattern pattern)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String line = output.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                all.append(line).append('\n');
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
        }
        throw new AssertionError("not seen: " + pattern + " in " + all);
    }
}
