package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.DecodingSink;
import org.rtc4j.media.codec.Vp8Encoder;
import org.rtc4j.media.container.ContainerTrack;
import org.rtc4j.media.container.IvfWriter;
import org.rtc4j.media.container.Y4mWriter;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;

/**
 * rtc4j's own VP8 codec (module codec-vp8, through media's {@link DecodingSink} and {@link Vp8Encoder}) against
 * headless Chromium, both ways, with the synthetic test pattern whose bar code carries the frame number:
 * Chromium's camera (fed the pattern as a Y4M file) encoded by Chromium's libvpx and decoded here, the frame
 * numbers read back from our pictures, which are bit for bit those ffmpeg's libvpx decodes; and our encoder's
 * frames decoded by Chromium, counted by its getStats, the picture its video element shows read back through a
 * canvas (frame number, PSNR), and a screenshot kept.
 */
@Timeout(180)
class ChromiumVp8Test {

    private static final Duration T = Duration.ofSeconds(30);
    private static final int W = 640;
    private static final int H = 480;
    private static final int FPS = 30;
    /** Frames in Chromium's camera file, which it plays in a loop. */
    private static final int LOOP = 90;
    /** The video element's current picture as BT.601 limited-range luma, base64 (as the pattern was coded). */
    private static final String SHOWN_LUMA = """
            (() => {
              const v = document.querySelector('video');
              const c = document.createElement('canvas');
              c.width = v.videoWidth;
              c.height = v.videoHeight;
              const g = c.getContext('2d', { willReadFrequently: true });
              g.drawImage(v, 0, 0);
              const rgba = g.getImageData(0, 0, c.width, c.height).data;
              const y = new Uint8Array(c.width * c.height);
              for (let i = 0; i < y.length; i++) {
                const l = 16 + (65.481 * rgba[4 * i] + 128.553 * rgba[4 * i + 1] + 24.966 * rgba[4 * i + 2]) / 255;
                y[i] = Math.round(Math.min(235, Math.max(16, l)));
              }
              let s = '';
              for (let i = 0; i < y.length; i += 8192) s += String.fromCharCode.apply(null, y.subarray(i, i + 8192));
              return { w: c.width, h: c.height, luma: btoa(s) };
            })()""";

    @TempDir
    static Path dir;
    @AutoClose
    private static ChromiumPeers chromium;

    @BeforeAll
    static void launch() throws Exception {
        LoopbackNamespace.require();
        Path camera = dir.resolve("pattern.y4m");
        SyntheticVideo pattern = new SyntheticVideo(W, H, FPS);
        try (Y4mWriter y4m = Y4mWriter.create(camera, FPS)) {
            for (int i = 0; i < LOOP; i++) {
                y4m.write(pattern.frame(i));
            }
        }
        chromium = ChromiumPeers.start("media-peer.html", "--use-file-for-fake-video-capture=" + camera);
    }


    @Test
    void chromiumsCameraDecodesHereWithItsFrameNumbers() throws Exception {
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            List<EncodedFrame> received = new CopyOnWriteArrayList<>();
            pc.onTrack(e -> e.track().addSink(MediaSink.encoded(f -> {
                if (f.codec() == Codec.VP8) {
                    received.add(f);
                }
            })));
            String offer = (String) page.evaluate("offerCamera(false)", T);
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
            assertThat(ChromiumPeers.answerGathered(page, pc)).isEqualTo("stable");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (received.size() < 120 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            page.evaluate("stopSending()", T);

            // Decoded after the call, in arrival order, by the same sink an application uses.
            List<VideoFrame> pictures = new ArrayList<>();
            DecodingSink sink = new DecodingSink(new MediaSink() {
                @Override
                public void onVideoFrame(VideoFrame frame) {
                    pictures.add(frame);
                }
            });
            List<EncodedFrame> frames = List.copyOf(received);
            frames.forEach(sink::onEncodedFrame);
            List<Long> counters = pictures.stream().map(SyntheticVideo::readFrameCounter).toList();
            System.out.printf("Chromium's camera: %d VP8 frames (%d key), %d decoded, sizes %s, counters %s%n",
                    frames.size(), frames.stream().filter(EncodedFrame::keyFrame).count(), pictures.size(),
                    pictures.stream().map(p -> p.width() + "x" + p.height()).distinct().toList(), counters);
            assertThat(frames).hasSizeGreaterThanOrEqualTo(120);
            assertThat(frames.get(0).keyFrame()).isTrue();
            assertThat(sink.dropped()).as("frames that failed to decode").isZero();
            assertThat(pictures).hasSameSizeAs(frames);
            long readable = counters.stream().filter(c -> c >= 0).count();
            assertThat(readable).as("pictures whose frame number reads back").isGreaterThanOrEqualTo(
                    pictures.size() * 9L / 10);
            // The numbers go forward through the camera's loop: Chromium may skip frames when loaded, or repeat one
            // (its file camera does at the loop's end), never go back.
            long previous = -1;
            int forward = 0;
            for (long c : counters) {
                if (c < 0) {
                    continue;
                }
                assertThat(c).isLessThan(LOOP);
                if (previous >= 0) {
                    long step = Math.floorMod(c - previous, LOOP);
                    assertThat(step).as("from frame %d to %d", previous, c).isBetween(0L, LOOP / 3L);
                    forward += step > 0 ? 1 : 0;
                }
                previous = c;
            }
            assertThat(forward).isGreaterThanOrEqualTo(100);

            // And they are the pictures libvpx (in ffmpeg) decodes from the same frames, bit for bit.
            Path ivf = dir.resolve("chromium.ivf");
            try (IvfWriter file = IvfWriter.create(ivf, ContainerTrack.video(Codec.VP8, W, H), FPS)) {
                for (EncodedFrame f : frames) {
                    file.write(0, f);
                }
            }
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            assertThat(pictures.stream().map(p -> HexFormat.of().formatHex(md5.digest(p.toPacked()))).toList())
                    .isEqualTo(libvpxMd5s(ivf));
        } finally {
            page.close();
        }
    }

    @Test
    void ourEncoderIsDecodedByChromiumAndItsPictureReadsBack() throws Exception {
        // Encoded before the call, so that a loaded machine does not slow the frames down; a key frame every third
        // of a second stands in for answering PLIs (the sender's API does not pass them up), so that a packet lost
        // on a loaded machine costs a few frames only.
        int count = 4 * FPS;
        SyntheticVideo pattern = new SyntheticVideo(W, H, FPS);
        Vp8Encoder encoder = new Vp8Encoder(1_000_000);
        List<EncodedFrame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % (FPS / 3) == 0) {
                encoder.requestKeyFrame();
            }
            frames.add(encoder.encode(pattern.frame(i)));
        }
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "rtc4j VP8");
            pc.addTrack(camera.createTrack(), new MediaStream());
            ChromiumPeers.offerGathered(pc, page, "answerMedia");
            MediaPeersTest.await(() -> pc.connectionState() == RTCPeerConnectionState.CONNECTED);
            assertThat(pc.getTransceivers().get(0).currentDirection()).isEqualTo(RTCRtpTransceiverDirection.SENDONLY);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                camera.push(frames.get(i));
                long next = start + TimeUnit.MILLISECONDS.toNanos(1000L * (i + 1) / FPS);
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
            }
            Map<String, Object> video = Map.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long stable = 0;
            // Until Chromium has decoded what it received and shown the last frame for half a second.
            while (System.nanoTime() < deadline && stable < 3) {
                @SuppressWarnings("unchecked")
                Map<String, Object> now = (Map<String, Object>) page.evaluateObject("inbound()", T).get("video");
                stable = now.equals(video) ? stable + 1 : 0;
                video = now;
                Thread.sleep(250);
            }
            System.out.printf("sent %d frames of our VP8; Chromium: %s%n", count, video);
            assertThat(((Number) video.get("framesDecoded")).intValue()).as("Chromium's framesDecoded")
                    .isGreaterThanOrEqualTo(count * 9 / 10);
            assertThat(((Number) video.get("frameWidth")).intValue()).isEqualTo(W);

            // What the page shows: the video element's picture drawn on a canvas, back to luma, and its frame number;
            // and a screenshot of the page, kept beside the test's reports.
            Map<String, Object> shown = page.evaluateObject(SHOWN_LUMA, T);
            int w = ((Number) shown.get("w")).intValue();
            int h = ((Number) shown.get("h")).intValue();
            byte[] y = Base64.getDecoder().decode((String) shown.get("luma"));
            byte[] grey = new byte[((w + 1) / 2) * ((h + 1) / 2)];
            Arrays.fill(grey, (byte) 128);
            VideoFrame picture = new VideoFrame(w, h, y, grey, grey.clone(), 0);
            long number = SyntheticVideo.readFrameCounter(picture);
            double psnr = number < 0 ? 0 : lumaPsnr(pattern.frame(number), picture);
            Path shot = Path.of("target", "ChromiumVp8Test-screenshot.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, page.screenshot(T));
            System.out.printf("the page shows frame %d (%dx%d), luma PSNR against the pattern %.1f dB; screenshot %s%n",
                    number, w, h, psnr, shot.toAbsolutePath());
            assertThat(number).as("frame number the page shows").isBetween(count - 10L, count - 1L);
            assertThat(psnr).as("luma PSNR of the page's picture against the pattern").isGreaterThan(25);
        } finally {
            page.close();
        }
    }

    /** The MD5 of each picture ffmpeg's libvpx decoder shows, at the size it was coded (no scaling). */
    private static List<String> libvpxMd5s(Path ivf) throws Exception {
        Path md5 = dir.resolve(ivf.getFileName() + ".md5");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-xerror", "-c:v", "libvpx", "-i", ivf.toString(),
                "-autoscale", "0", "-f", "framemd5", "-y", md5.toString()).inheritIO().start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0).as("ffmpeg decodes").isTrue();
        return Files.readAllLines(md5).stream().filter(l -> !l.startsWith("#"))
                .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
    }

    private static double lumaPsnr(VideoFrame a, VideoFrame b) {
        double sum = 0;
        for (int r = 0; r < a.height(); r++) {
            for (int x = 0; x < a.width(); x++) {
                double d = a.lumaAt(x, r) - b.lumaAt(x, r);
                sum += d * d;
            }
        }
        double mse = Math.max(sum / ((double) a.width() * a.height()), 1e-10);
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
