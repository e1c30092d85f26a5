package org.rtc4j.bench.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;
import org.rtc4j.testkit.browser.PageServer;

/**
 * The media scenario side by side (issue 17, "Performance"): {@code ./rtc4j peer offer --scenario media} with a
 * VP8 IVF passed through, against {@code ./rtc4j peer answer} (two processes, piped to each other as the README
 * shows), then two Chromium processes running the same scenario (c2c-media.html: the answerer sends back the
 * tracks it receives; time from just after getUserMedia resolves). Then the CPU of passing one 2 Mbit/s video
 * and one Opus stream through, both directions, for {@code cpuSeconds}, minus the same process idle as long.
 *
 * <p>Run it inside the loopback namespace, after {@code ./rtc4j build}:
 * {@code build/netns/bin/java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.rtc4j.bench.webrtc.MediaPeerBench}
 * (system properties: {@code runs} 5, {@code cpuSeconds} 60, {@code cpuRuns} 1 (the CPU run repeated),
 * {@code chromium} true (false: rtc4j only), {@code offerJavaOptions} options for the offering JVM, split at
 * spaces (a flight recording, say), {@code ivf} a file instead of one made with ffmpeg, {@code serverClasspath}
 * the command's class path). Each CPU run prints the load average before it: the machine may be shared.
 */
public final class MediaPeerBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(120);

    private MediaPeerBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 5);
        int cpuSeconds = Integer.getInteger("cpuSeconds", 60);
        int cpuRuns = Integer.getInteger("cpuRuns", 1);
        boolean withChromium = Boolean.parseBoolean(System.getProperty("chromium", "true"));
        Path ivf = System.getProperty("ivf") != null ? Path.of(System.getProperty("ivf")) : makeIvf();
        String classpath = System.getProperty("serverClasspath", "server/target/rtc4j-server.jar:server/target/lib/*");

        List<Double> java = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            JsonNode r = javaRun(classpath, ivf, "3", "0");
            java.add(r.path("setup_ms").asDouble());
            System.out.println("java " + r);
        }
        List<Double> chromium = new ArrayList<>();
        double chromiumCpu = Double.NaN;
        if (withChromium) {
            try (PageServer server = PageServer.start(); Chromium offerer = Chromium.launch();
                 Chromium answerer = Chromium.launch()) {
                server.classpath("/c2c-media.html", MediaPeerBench.class, "c2c-media.html");
                URI url = server.uri("/c2c-media.html");
                for (int i = 0; i < runs; i++) {
                    double ms = chromiumRun(offerer, answerer, url, 0);
                    chromium.add(ms);
                    System.out.printf("chromium media first_reflected_frame_ms=%.1f%n", ms);
                }
                if (cpuSeconds > 0) {
                    chromiumCpu = chromiumRun(offerer, answerer, url, cpuSeconds);
                }
            }
        }
        if (runs > 0) {
            double javaMedian = ChromiumPeerBench.median(java);
            double chromiumMedian = withChromium ? ChromiumPeerBench.median(chromium) : Double.NaN;
            System.out.printf("first reflected frame, median of %d: java %.1f ms (%s), chromium %.1f ms (%s): %.2f "
                    + "of Chromium's (goal at most 1/3)%n", runs, javaMedian, java, chromiumMedian, chromium,
                    javaMedian / chromiumMedian);
        }
        for (int i = 0; cpuSeconds > 0 && i < cpuRuns; i++) {
            System.out.println("load average before the CPU run: " + loadAverage());
            JsonNode r = javaRun(classpath, ivf, Integer.toString(cpuSeconds), Integer.toString(cpuSeconds));
            JsonNode d = r.path("details");
            double media = d.path("media_cpu_s").asDouble() / d.path("media_s").asDouble();
            double idle = d.path("idle_cpu_s").asDouble() / d.path("idle_s").asDouble();
            System.out.println("java cpu run " + r);
            System.out.printf("pass-through CPU, offering process, %d s: %.2f %% of a core with media, %.2f %% idle: "
                    + "%.2f %% for the streams (goal under 2 %%); video frames %d sent, %d back; Chromium's two "
                    + "processes, camera encoded, decoded and re-encoded: %.1f %% of a core; load average after: "
                    + "%s%n", cpuSeconds, 100 * media, 100 * idle, 100 * (media - idle),
                    d.path("video_frames_sent").asLong(), d.path("video_frames_received").asLong(), chromiumCpu,
                    loadAverage());
        }
    }

    /** The first three fields of /proc/loadavg (1, 5 and 15 minutes), or "?" where there is none. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** A 640x480, 30 fps, 2 Mbit/s VP8 IVF of ffmpeg's test pattern, 10 s, a key frame every 2 s. */
    private static Path makeIvf() throws IOException, InterruptedException {
        Path ivf = Files.createTempDirectory("media-bench").resolve("2mbps.ivf");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=640x480:rate=30:duration=10", "-c:v", "libvpx", "-deadline", "realtime",
                "-cpu-used", "8", "-b:v", "2M", "-minrate", "2M", "-maxrate", "2M", "-g", "60", ivf.toString())
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("ffmpeg could not make the VP8 file");
        }
        return ivf;
    }

    /**
     * One {@code peer offer --scenario media} against {@code peer answer}, each a process, stdout of each into
     * stdin of the other; the offerer starts once the answerer is ready (after its warm-up). The result line.
     */
    private static JsonNode javaRun(String classpath, Path ivf, String seconds, String idleSeconds)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process answer = new ProcessBuilder(java, "-cp", classpath, "org.rtc4j.server.Main", "peer", "answer").start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> lines(answer.getErrorStream(), l -> {
            if (l.contains("peer answer ready")) {
                ready.complete(null);
            }
        }));
        ready.get(300, TimeUnit.SECONDS);
        List<String> command = new ArrayList<>(List.of(java));
        String options = System.getProperty("offerJavaOptions", "").trim();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split(" +")));
        }
        command.addAll(List.of("-cp", classpath, "org.rtc4j.server.Main", "peer", "offer", "--scenario", "media",
                "--video-file", ivf.toString(), "--seconds", seconds, "--idle-seconds", idleSeconds));
        Process offer = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            OutputStream toOffer = offer.getOutputStream();
            lines(answer.getInputStream(), l -> {
                toOffer.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                toOffer.flush();
            });
        });
        Thread.ofVirtual().start(() -> {
            OutputStream toAnswer = answer.getOutputStream();
            lines(offer.getInputStream(), l -> {
                try {
                    toAnswer.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                    toAnswer.flush();
                    JsonNode n = JSON.readTree(l);
                    if ("result".equals(n.path("type").asText())) {
                        result.complete(n);
                    }
                } catch (IOException e) {
                    // the answerer is gone; the result line still counts
                }
            });
            try {
                toAnswer.close(); // the end of the answerer's stdin: it exits
            } catch (IOException ignored) {
                // already gone
            }
        });
        try {
            return result.get(Long.parseLong(seconds) + Long.parseLong(idleSeconds) + 300, TimeUnit.SECONDS);
        } finally {
            offer.waitFor(30, TimeUnit.SECONDS);
            answer.waitFor(30, TimeUnit.SECONDS);
            offer.destroyForcibly();
            answer.destroyForcibly();
        }
    }

    /**
     * One Chromium-to-Chromium call: the time to the first reflected frame, or, with {@code cpuSeconds}, the CPU
     * of both browsers' process trees over that many seconds of the call, as a percentage of one core.
     */
    private static double chromiumRun(Chromium offerer, Chromium answerer, URI url, int cpuSeconds)
            throws InterruptedException {
        BrowserPage a = answerer.open(url);
        BrowserPage o = offerer.open(url);
        try {
            String offer = (String) o.evaluate("offer()", T);
            String answer = (String) a.evaluate("answer(" + Json.quote(offer) + ")", T);
            double ms = ((Number) o.evaluate("accept(" + Json.quote(answer) + ")", T)).doubleValue();
            if (cpuSeconds == 0) {
                return ms;
            }
            double before = ChromiumPeerBench.cpu(offerer) + ChromiumPeerBench.cpu(answerer);
            long start = System.nanoTime();
            Thread.sleep(cpuSeconds * 1000L);
            double cpu = ChromiumPeerBench.cpu(offerer) + ChromiumPeerBench.cpu(answerer) - before;
            System.out.println("chromium cpu run: " + o.evaluate("video()", T));
            return 100 * cpu / ((System.nanoTime() - start) / 1e9);
        } finally {
            o.evaluate("close()", T);
            o.close();
            a.close();
        }
    }

    private interface LineConsumer {
        void accept(String line) throws IOException;
    }

    private static void lines(InputStream in, LineConsumer each) {
        try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                each.accept(l);
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
