package org.rtc4j.media.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.PageServer;

/**
 * Live WebM from another writer: Chromium's MediaRecorder (fake camera and microphone) writes a Segment and
 * Clusters of unknown size, as it streams. Our reader reads every frame ffprobe lists, and our writer remuxes
 * the recording to the same decoded pictures.
 */
class MediaRecorderFilesTest {

    @TempDir
    static Path dir;

    private static PageServer server;
    private static Chromium chromium;

    @BeforeAll
    static void launch() throws Exception {
        LoopbackNamespace.require();
        server = PageServer.start();
        server.page("/rec.html", "<!doctype html><title>recorder</title>");
        chromium = Chromium.launch();
    }

    @AfterAll
    static void shutdown() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static final String RECORD = """
            (async (mime) => {
              if (!MediaRecorder.isTypeSupported(mime)) throw new Error('not supported: ' + mime);
              const stream = await navigator.mediaDevices.getUserMedia({video: {width: 160, height: 120}, audio: true});
              const recorder = new MediaRecorder(stream, {mimeType: mime});
              const chunks = [];
              recorder.ondataavailable = e => chunks.push(e.data);
              const stopped = new Promise(r => recorder.onstop = r);
              recorder.start(250);
              await new Promise(r => setTimeout(r, 1500));
              recorder.stop();
              await stopped;
              stream.getTracks().forEach(t => t.stop());
              const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
              let s = '';
              for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
              return btoa(s);
            })""";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"video/webm;codecs=vp8,opus", "video/webm;codecs=vp9,opus", "video/webm;codecs=av1,opus",
        "video/x-matroska;codecs=avc1,opus"})
    void readsAndRemuxesMediaRecorderWebm(String mime) throws Exception {
        BrowserPage page = chromium.open(server.uri("/rec.html"));
        byte[] webm;
        try {
            webm = Base64.getDecoder().decode((String) page.evaluate(RECORD + "('" + mime + "')",
                    Duration.ofSeconds(30)));
        } finally {
            page.close();
        }
        Path file = dir.resolve(mime.replaceAll("[^a-z0-9]", "_") + (mime.contains("matroska") ? ".mkv" : ".webm"));
        Files.write(file, webm);
        byte[] unknownSize = {1, -1, -1, -1, -1, -1, -1, -1};
        byte[] segment = {0x18, 0x53, (byte) 0x80, 0x67};
        byte[] cluster = {0x1F, 0x43, (byte) 0xB6, 0x75};
        assertThat(RoundTripTest.indexOf(webm, concat(segment, unknownSize))).as("Segment of unknown size").isPositive();
        assertThat(RoundTripTest.indexOf(webm, concat(cluster, unknownSize))).as("Cluster of unknown size").isPositive();
        List<TrackFrame> frames = FfmpegFilesReadTest.assertReadAsFfprobeLists(file);
        assertThat(frames.stream().filter(f -> f.frame().codec().isVideo()).count()).isGreaterThan(10);

        if (mime.contains("avc1")) {
            FfmpegFilesReadTest.sameDecodedH264(file, frames);
        }
        Path ours = dir.resolve("remux-" + file.getFileName());
        try (MatroskaReader r = new MatroskaReader(Files.newInputStream(file));
             MatroskaWriter w = mime.contains("matroska") ? MatroskaWriter.createMatroska(ours, r.tracks())
                     : MatroskaWriter.createWebm(ours, r.tracks())) {
            for (TrackFrame f = r.read(); f != null; f = r.read()) {
                w.write(f.track(), f.frame());
            }
        }
        // A loaded machine makes Chromium's recorder give two frames one millisecond (equal times, which the
        // null muxer reports); the remux must keep what the recording has and add no error of its own.
        assertThat(errorLines(ours)).as("errors of our remux beyond the recording's own")
                .isSubsetOf(errorLines(file));
        assertThat(MediaTools.frameMd5(ours, "v:0")).isEqualTo(MediaTools.frameMd5(file, "v:0"));
    }

    /** ffmpeg's decoding complaints about a file, one per line, without the addresses that differ per run. */
    private static java.util.Set<String> errorLines(Path file) throws Exception {
        String errors = MediaTools.decodeErrors(file);
        return errors.isEmpty() ? java.util.Set.of()
                : java.util.Set.copyOf(List.of(errors.replaceAll("@ 0x[0-9a-f]+", "@").split("\\R")));
    }

    static byte[] concat(byte[] a, byte[] b) {
        return RoundTripTest.concat(a, b);
    }
}
