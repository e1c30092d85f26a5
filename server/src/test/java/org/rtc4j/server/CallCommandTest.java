package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import picocli.CommandLine;

/**
 * {@code ./rtc4j call} in a room of the demo with headless Chromium tabs (fake camera and microphone) running
 * the web app: one there before the call (the call offers), then, after it hangs up, one that arrives after the
 * call (it offers, the call answers). Each browser decodes the VP8 pattern we send (the first also hears the tone), and what each sends is
 * recorded into a WebM and an Ogg file that ffprobe reads and ffmpeg decodes without an error.
 */
@Timeout(240)
class CallCommandTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    /** The video frames the page's first peer connection decoded (0 before there is one). */
    private static final String FRAMES_DECODED = """
            (async () => {
              const peer = window.rtc4j && window.rtc4j.peers.values().next().value;
              if (!peer) return 0;
              let frames = 0;
              (await peer.pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded || 0;
              });
              return frames;
            })()""";

    /** The audio energy the page's first peer connection received (webrtc-stats totalAudioEnergy), 0 before. */
    private static final String AUDIO_ENERGY = """
            (async () => {
              const peer = window.rtc4j && window.rtc4j.peers.values().next().value;
              if (!peer) return 0;
              let energy = 0;
              (await peer.pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'audio') energy = s.totalAudioEnergy || 0;
              });
              return energy;
            })()""";

    @Test
    void joinsARoomSendsThePatternAndRecordsEachBrowser() throws Exception {
        LoopbackNamespace.require();
        Path dir = Files.createTempDirectory("call-record");
        try (WebServer server = WebServer.start(WebServerConfig.loopback()); Chromium chromium = Chromium.launch()) {
            String room = "call-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/r/" + room);
            BrowserPage page = chromium.open(url, DEADLINE);
            page.waitFor("the page in its room", "!!window.rtc4j && String(window.rtc4j.status).startsWith('Waiting')",
                    Boolean.TRUE::equals, DEADLINE);

            CallCommand call = new CallCommand();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(call)
                    .execute(url.toString(), "--record", dir.toString()));
            awaitOurVideo(page, call);
            // The tone (a sine peaking at 0.5) gives about 0.125 of energy a second; silence or comfort noise none.
            page.waitFor("the Java call's tone heard", AUDIO_ENERGY, v -> ((Number) v).doubleValue() > 0.1, DEADLINE);
            awaitRecorded(call, exit, 200);

            // The first browser hangs up; a second one arrives: it is the newcomer and offers, the call answers.
            page.evaluate("document.getElementById('hangup').click(); true", DEADLINE);
            BrowserPage second = chromium.open(url, DEADLINE);
            awaitOurVideo(second, call);
            awaitRecorded(call, exit, call.recorder().frames() + 200);

            call.leave("the test is over"); // what Ctrl-C does (the shutdown hook)
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
            second.waitFor("the browser sees the call leave", "!!window.rtc4j.peerLeft", Boolean.TRUE::equals,
                    DEADLINE);
        }
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString().replaceAll(".*\\.", ""))
                .containsExactlyInAnyOrder("ogg", "webm", "ogg", "webm");
        for (Path f : files) {
            assertDecodes(f);
            String frames = run("ffprobe", "-v", "error", "-count_packets", "-show_entries", "stream=nb_read_packets",
                    "-of", "csv=p=0", f.toString()).strip();
            assertThat(Long.parseLong(frames)).as(f + " packets").isGreaterThan(20);
        }
    }

    private static void awaitOurVideo(BrowserPage page, CallCommand call) throws Exception {
        try {
            page.waitFor("video frames from the Java call decoded", FRAMES_DECODED,
                    v -> ((Number) v).longValue() >= 30, DEADLINE);
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nthe call's peers: " + call.peers().get(5, TimeUnit.SECONDS)
                    .stream().map(p -> p.connection().signalingState() + " " + p.connection().connectionState())
                    .toList() + "\nthe page's console: " + page.console(), e);
        }
    }

    private static void awaitRecorded(CallCommand call, CompletableFuture<Integer> exit, long frames)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (call.recorder() == null || call.recorder().frames() < frames) {
            assertThat(System.nanoTime()).as("the browser's frames recorded").isLessThan(deadline);
            assertThat(exit).isNotDone();
            Thread.sleep(100);
        }
    }

    /** A recording holds VP8 (WebM) or Opus (Ogg) that ffmpeg decodes without an error. */
    static void assertDecodes(Path f) throws Exception {
        String codec = f.toString().endsWith(".webm") ? "vp8" : "opus";
        assertThat(run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                f.toString()).strip()).as(f.toString()).isEqualTo(codec);
        // Decoded in the file's own time base: ffmpeg's default rounds times to a frame rate it guesses, and
        // two frames of a burst closer than one such period would then look out of order.
        assertThat(run("ffmpeg", "-v", "error", "-i", f.toString(), "-enc_time_base", "-1", "-fps_mode",
                "passthrough", "-f", "null", "-")).as(f.toString()).isEmpty();
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
