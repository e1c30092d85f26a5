package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;

/**
 * Chromium's congestion controller (GoogCC) grows its sending rate on the transport-wide feedback rtc4j sends
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01) about the packets of Chromium's camera at 1280x720, a
 * picture that wants more than 1 Mbit/s: from its start (300 kbit/s) its estimate, the selected candidate pair's
 * availableOutgoingBitrate, climbs to more than twice that within 15 seconds, and the video rtc4j receives follows.
 * Without that feedback Chromium's estimate sinks below its start (to 84 kbit/s within 9 s when measured) and its
 * video with it.
 *
 * <p>The bounds hold on a loaded machine, where GoogCC's first probes (3 and 6 times its start) fail (measured:
 * the packets of a probe reach our loop too late or in one batch for its receive rate) and its estimate grows by
 * its steady 8 % a second alone (about 870 kbit/s after 15 s); on a quiet one a probe succeeds and its estimate
 * passes 3 Mbit/s within seconds.
 */
@Timeout(120)
class ChromiumBandwidthTest {

    private static final Duration T = Duration.ofSeconds(30);
    private static final int SECONDS = 15;
    /** Chromium's start bitrate (GoogCC's default), which its estimate must leave well behind. */
    private static final long START_BITRATE = 300_000;

    @TempDir
    static Path dir;
    @AutoClose
    private static ChromiumPeers chromium;

    /**
     * Chromium's camera plays a second of noisy 1280x720 pictures (ffmpeg's testsrc2 with temporal noise) in a loop:
     * unlike its own fake camera's picture, which compresses to little whatever the rate allowed, these take every
     * bit the encoder is given, so the rate received shows the rate Chromium allows itself.
     */
    @BeforeAll
    static void launch() throws Exception {
        LoopbackNamespace.require();
        Path camera = dir.resolve("noise.y4m");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=1280x720:rate=30,noise=alls=30:allf=t", "-t", "1", "-pix_fmt", "yuv420p", "-y",
                camera.toString()).inheritIO().start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0).as("ffmpeg").isTrue();
        chromium = ChromiumPeers.start("bandwidth-peer.html", "--use-file-for-fake-video-capture=" + camera);
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static long videoBytesReceived(RTCPeerConnection pc) {
        return pc.getStats().join().ofType("inbound-rtp").stream()
                .filter(s -> "video".equals(s.get("kind")))
                .mapToLong(s -> ((Number) s.get("bytesReceived")).longValue()).sum();
    }

    @Test
    void chromiumsEstimateClimbsOnOurFeedbackAndTheVideoFollows() throws Exception {
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            String offer = (String) page.evaluate("offerCamera()", T);
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
            assertThat(ChromiumPeers.answerGathered(page, pc)).isEqualTo("stable");
            MediaPeersTest.await(() -> pc.connectionState() == RTCPeerConnectionState.CONNECTED);

            List<Long> estimates = new ArrayList<>();
            List<Long> received = new ArrayList<>();
            long lastBytes = videoBytesReceived(pc);
            long lastTime = System.nanoTime();
            Map<String, Object> sending = Map.of();
            for (int s = 1; s <= SECONDS; s++) {
                Thread.sleep(Math.max(0, lastTime + 1_000_000_000L - System.nanoTime()) / 1_000_000);
                sending = page.evaluateObject("sending()", T);
                long bytes = videoBytesReceived(pc);
                long now = System.nanoTime();
                long rate = (bytes - lastBytes) * 8 * 1_000_000_000L / Math.max(1, now - lastTime);
                lastBytes = bytes;
                lastTime = now;
                estimates.add(number(sending, "availableOutgoingBitrate"));
                received.add(rate);
                System.out.printf("t=%2d s  Chromium: estimate %,d bit/s, video target %,d bit/s, %dpx wide, %s;"
                        + " rtc4j receives %,d bit/s%n", s, estimates.getLast(), number(sending, "targetBitrate"),
                        number(sending, "frameWidth"), sending.get("qualityLimitationReason"), rate);
            }
            page.evaluate("stopSending()", T);

            long estimate = estimates.getLast();
            long receivedLast5 = received.subList(SECONDS - 5, SECONDS).stream().mapToLong(Long::longValue).sum() / 5;
            System.out.printf("Chromium's estimate after %d s: %,d bit/s; rtc4j received %,d bit/s over the last 5 s;"
                    + " %s%n", SECONDS, estimate, receivedLast5, sending);
            assertThat(estimate).as("Chromium's availableOutgoingBitrate after %d s", SECONDS)
                    .isGreaterThan(2 * START_BITRATE);
            assertThat(receivedLast5).as("video bit rate received over the last 5 s")
                    .isGreaterThan(3 * START_BITRATE / 2);
        } finally {
            page.close();
        }
    }
}
