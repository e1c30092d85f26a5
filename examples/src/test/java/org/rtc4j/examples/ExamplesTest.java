package org.rtc4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;

/** Each example runs as a user would run it. */
@Timeout(180)
class ExamplesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String DECODED = "videoFrames().then(f => f.decoded)";
    private static final String PLI_COUNT = "videoFrames().then(f => f.pli)";

    @Test
    void twoPeersExchangeTextAndBinaryBothWays() throws Exception {
        List<String> log = TwoPeers.run();
        assertThat(log).containsExactlyInAnyOrder("pc2 got 'hello from pc1'", "pc2 got 4 bytes",
                "pc1 got 'hello from pc2'", "pc1 got 15 bytes");
    }

    @Test
    @SuppressWarnings("unchecked")
    void browserChatsWithTheJavaPeer() throws Exception {
        LoopbackNamespace.require();
        try (BrowserChat chat = BrowserChat.start(0); Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.open(chat.url());
            page.evaluate("ready.then(() => true)", Duration.ofSeconds(30));
            page.evaluate("say('hi from Chromium'); true", Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<Object> messages;
            do {
                Thread.sleep(20);
                messages = (List<Object>) page.evaluate("messages", Duration.ofSeconds(5));
            } while (!messages.contains("java: Java got: hi from Chromium") && System.nanoTime() < deadline);
            assertThat(messages).contains("(connected)", "java: hello from Java", "me: hi from Chromium",
                    "java: Java got: hi from Chromium");
            assertThat(chat.received()).containsExactly("hi from Chromium");
        }
    }

    @Test
    void twoPeersInOneJvmSendTheVp8PatternAndDecodeIt() throws Exception {
        List<Long> seen = TwoPeersMedia.run(45);
        assertThat(seen).as("frame numbers pc2 read from decoded pictures").hasSizeGreaterThan(20)
                .doesNotContain(-1L).isSorted().doesNotHaveDuplicates();
        assertThat(seen.get(seen.size() - 1)).isEqualTo(44L);
    }

    /** Chromium's fake camera into a WebM file that ffprobe reads as VP8 and ffmpeg decodes without an error. */
    @Test
    void saveToDiskRecordsTheBrowsersCamera() throws Exception {
        LoopbackNamespace.require();
        Path file = Files.createTempDirectory("save-to-disk").resolve("camera.webm");
        try (SaveToDisk sample = SaveToDisk.start(file, 0); Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.open(sample.url());
            page.evaluate("ready.then(() => true)", DEADLINE);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (sample.frames() < 60 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sample.frames()).isGreaterThanOrEqualTo(60);
        }
        assertThat(run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                file.toString()).strip()).isEqualTo("vp8");
        assertThat(run("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-")).isEmpty();
    }

    /** A VP8 IVF from ffmpeg, played into Chromium, which decodes it. */
    @Test
    void playFromDiskPlaysAFileIntoTheBrowser() throws Exception {
        LoopbackNamespace.require();
        Path ivf = Files.createTempDirectory("play-from-disk").resolve("clip.ivf");
        run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=2", "-c:v", "libvpx",
                "-deadline", "realtime", "-b:v", "300k", "-g", "15", ivf.toString());
        try (PlayFromDisk sample = PlayFromDisk.start(ivf, 0); Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.open(sample.url());
            page.evaluate("ready.then(() => true)", DEADLINE);
            page.waitFor("frames of the file decoded", DECODED, v -> ((Number) v).longValue() >= 30, DEADLINE);
        }
    }

    /** Chromium's camera comes back from Java and Chromium decodes it. */
    @Test
    void reflectSendsTheBrowsersVideoBack() throws Exception {
        LoopbackNamespace.require();
        try (Reflect sample = Reflect.start(0); Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.open(sample.url());
            page.evaluate("ready.then(() => true)", DEADLINE);
            page.waitFor("its own video decoded after the trip through Java", DECODED,
                    v -> ((Number) v).longValue() >= 30, DEADLINE);
        }
    }

    /**
     * Two watching tabs, then a publishing browser: both watchers decode the publisher's camera; then a third
     * watcher joins the running broadcast and decodes too.
     */
    @Test
    void broadcastForwardsOnePublisherToSeveralWatchers() throws Exception {
        LoopbackNamespace.require();
        try (Broadcast sample = Broadcast.start(0); Chromium watching = Chromium.launch();
             Chromium publishing = Chromium.launch()) {
            List<BrowserPage> watchers = List.of(watching.open(sample.watchUrl()), watching.open(sample.watchUrl()));
            for (BrowserPage w : watchers) {
                w.evaluate("ready.then(() => true)", DEADLINE);
            }
            BrowserPage publisher = publishing.open(sample.publishUrl());
            publisher.evaluate("ready.then(() => true)", DEADLINE);
            for (BrowserPage w : watchers) {
                w.waitFor("the publisher's video decoded", DECODED, v -> ((Number) v).longValue() >= 30, DEADLINE);
            }
            // A watcher joining a live broadcast: its key frame request goes through Java to the publisher
            // (a PLI the publisher counts), which otherwise sends its next key frame only when it chooses.
            long pli = ((Number) publisher.evaluate(PLI_COUNT, DEADLINE)).longValue();
            BrowserPage late = watching.open(sample.watchUrl());
            late.evaluate("ready.then(() => true)", DEADLINE);
            late.waitFor("the late watcher decodes", DECODED, v -> ((Number) v).longValue() >= 30, DEADLINE);
            publisher.waitFor("the late watcher's key frame request at the publisher", PLI_COUNT,
                    v -> ((Number) v).longValue() > pli, DEADLINE);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
