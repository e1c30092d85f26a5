package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.server.signaling.SignalingSettings;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserException;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;

/**
 * {@code ./rtc4j call URL --video-file F --audio-file F --record DIR} as a user runs it: a process of its own
 * joining a room of three (a mesh) where two headless Chromium tabs are already in a call with each other. Both
 * tabs decode the files' frames (the video at the file's own size, beyond the file's length as it loops; the
 * audio with energy, at the file's level, far above the built-in tone's), the call records each tab's camera and
 * microphone, and SIGINT makes it leave: it exits 0 within seconds, both tabs see it go, and the four recordings
 * are complete (the WebM's duration written on close, every file decoding in ffmpeg without an error).
 */
@Timeout(300)
class CallThreeWayTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** The video file's size, unlike the test pattern's 320x240: a frame at this size came from the file. */
    private static final int WIDTH = 256;
    private static final int HEIGHT = 144;
    /** Frames in the video file (one second): decoding more shows it loops. */
    private static final int FILE_FRAMES = 30;
    /**
     * The audio level (W3C webrtc-stats audioLevel: Chromium's peak over the last 100 ms, 1 at full scale) above
     * which the audio is the file's sine at 0.9 of full scale; the built-in tone peaks at 0.5 (its beep). Not the
     * mean energy a second: on a loaded machine Chromium conceals stretches of audio, which dilutes it.
     */
    private static final double FILE_LEVEL = 0.7;

    /** What a tab receives from peer {@code %s}: video frames decoded and their size, audio energy. */
    private static final String FROM_PEER = """
            (async () => {
              const peer = window.rtc4j && window.rtc4j.peers.get(%s);
              if (!peer) return null;
              const out = { frames: 0, width: 0, height: 0, energy: 0, level: 0, sentFrames: 0 };
              (await peer.pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video')
                  Object.assign(out, { frames: s.framesDecoded || 0, width: s.frameWidth || 0,
                                       height: s.frameHeight || 0 });
                if (s.type === 'inbound-rtp' && s.kind === 'audio')
                  Object.assign(out, { energy: s.totalAudioEnergy || 0, level: s.audioLevel || 0 });
                if (s.type === 'outbound-rtp' && s.kind === 'video') out.sentFrames += s.framesSent || 0;
              });
              return out;
            })()""";

    @Test
    void aBotWithFilesJoinsTwoBrowsersAtOnceAndLeavesOnSigint(@TempDir Path dir) throws Exception {
        LoopbackNamespace.require();
        Path video = dir.resolve("counter.ivf");
        Path audio = dir.resolve("sine.ogg");
        Path recordings = dir.resolve("recorded");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=30", "-frames:v",
                String.valueOf(FILE_FRAMES), "-c:v", "libvpx", "-b:v", "300k", "-g", "30", "-auto-alt-ref", "0",
                "-deadline", "realtime", video.toString());
        ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.9*sin(2*PI*440*t):s=48000:d=2", "-c:a", "libopus", "-b:a", "96k",
                audio.toString());

        WebServerConfig config = WebServerConfig.loopback()
                .withSignaling(SignalingSettings.defaults().withRoomCapacity(3)); // --room-capacity 3
        Process call = null;
        long start = System.nanoTime();
        try (WebServer server = WebServer.start(config); Chromium chromium = Chromium.launch()) {
            String room = "three-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/r/" + room);
            BrowserPage first = chromium.open(url, DEADLINE);
            first.waitFor("the first tab waiting", "String(window.rtc4j && window.rtc4j.status).startsWith('Waiting')",
                    Boolean.TRUE::equals, DEADLINE);
            BrowserPage second = chromium.open(url, DEADLINE);
            for (BrowserPage tab : List.of(first, second)) {
                tab.waitFor("the tabs in a call", "window.rtc4j.status === 'In a call'", Boolean.TRUE::equals,
                        DEADLINE);
            }

            System.out.printf("%.1f s: two tabs in a call%n", (System.nanoTime() - start) / 1e9);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // C1 alone and the serial collector, as the launcher runs its servers: less CPU at start on 2 cores
            call = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "call", url.toString(),
                    "--video-file", video.toString(), "--audio-file", audio.toString(), "--record",
                    recordings.toString()).redirectErrorStream(true).start();
            Output output = new Output(call);
            String bot = output.await(Pattern.compile("call: joined room \\S+ as (\\S+) with 2 other")).group(1);
            System.out.printf("%.1f s: the call joined the room%n", (System.nanoTime() - start) / 1e9);

            for (BrowserPage tab : List.of(first, second)) {
                Map<String, Object> got = await(tab, "the file's video looped and its loud audio", bot, output,
                        m -> number(m, "frames") > FILE_FRAMES * 3 / 2 && number(m, "energy") > 0.5
                                && number(m, "level") > FILE_LEVEL);
                System.out.printf("%.1f s: a tab received from the call: %s%n", (System.nanoTime() - start) / 1e9,
                        got);
                assertThat(number(got, "width")).as("decoded at the file's size").isEqualTo(WIDTH);
                assertThat(number(got, "height")).isEqualTo(HEIGHT);
                // what the tab sends the call, so that the recording holds more than a moment
                await(tab, "the tab's video sent to the call", bot, output, m -> number(m, "sentFrames") >= 60);
            }

            System.out.printf("%.1f s: both tabs sent the call 60 frames%n", (System.nanoTime() - start) / 1e9);
            long signalled = System.nanoTime();
            new ProcessBuilder("kill", "-INT", String.valueOf(call.pid())).inheritIO().start().waitFor();
            assertThat(call.waitFor(15, TimeUnit.SECONDS)).as("left within 15 s: " + output).isTrue();
            System.out.printf("SIGINT: the call exited after %.2f s%n", (System.nanoTime() - signalled) / 1e9);
            output.drain();
            assertThat(call.exitValue()).as(output.toString()).isZero();
            assertThat(output.toString()).contains("call: stopping (SIGINT", "call: left (stopped by a signal)");
            for (BrowserPage tab : List.of(first, second)) {
                tab.waitFor("the call seen leaving, the other tab still there", "window.rtc4j.peerLeft === true"
                        + " && !window.rtc4j.peers.has(" + Json.quote(bot) + ") && window.rtc4j.peers.size === 1",
                        Boolean.TRUE::equals, DEADLINE);
            }
        } finally {
            if (call != null) {
                call.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        List<Path> files;
        try (var list = Files.list(recordings)) {
            files = list.sorted().toList();
        }
        // each tab's camera and microphone: one WebM and one Ogg per tab, named after the tab's id
        assertThat(files).extracting(p -> p.getFileName().toString().replaceAll(".*\\.", ""))
                .containsExactlyInAnyOrder("ogg", "webm", "ogg", "webm");
        assertThat(files.stream().map(p -> p.getFileName().toString().replaceAll("-.*", "")).distinct()).hasSize(2);
        for (Path f : files) {
            CallCommandTest.assertDecodes(f);
            // the duration a WebM gets only when it is closed; for Ogg, its last page's time
            String seconds = CallCommandTest.run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                    "csv=p=0", f.toString()).strip();
            assertThat(Double.parseDouble(seconds)).as(f + " duration").isGreaterThan(1.0);
        }
    }

    /** Polls what {@code tab} receives from {@code bot} until {@code done}; the call's output in a failure. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> await(BrowserPage tab, String what, String bot, Output output,
            java.util.function.Predicate<Map<String, Object>> done) {
        try {
            return (Map<String, Object>) tab.waitFor(what, FROM_PEER.formatted(Json.quote(bot)),
                    v -> v instanceof Map<?, ?> m && done.test((Map<String, Object>) m), DEADLINE);
        } catch (BrowserException e) {
            throw new AssertionError(e.getMessage() + "\nthe call's output:\n" + output + "\nthe tab's console: "
                    + tab.console(), e);
        }
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** A child process's output lines, read as they come. */
    private static final class Output {
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Output(Process p) {
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
        }

        Matcher await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            synchronized (lines) {
                for (int seen = 0; ; ) {
                    for (; seen < lines.size(); seen++) {
                        Matcher m = pattern.matcher(lines.get(seen));
                        if (m.find()) {
                            return m;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    assertThat(left).as("'" + pattern + "' in the call's output:\n" + this).isPositive();
                    lines.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                }
            }
        }

        void drain() throws InterruptedException {
            reader.join(5_000);
        }

        @Override
        public String toString() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }

    private static void ffmpeg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        CallCommandTest.run(command.toArray(String[]::new));
    }
}
