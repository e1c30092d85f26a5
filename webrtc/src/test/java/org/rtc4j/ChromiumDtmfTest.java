package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.internal.SyntheticFrames;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;

/**
 * DTMF with headless Chromium (W3C section 7, RFC 4733), a peer we did not write: Chromium's RTCDTMFSender to
 * rtc4j delivers each tone with its duration; rtc4j's RTCDTMFSender to Chromium, whose telephone-event packets
 * Chromium counts on the audio stream (it does not surface received DTMF).
 */
@Timeout(120)
class ChromiumDtmfTest {

    private static final Duration T = Duration.ofSeconds(30);
    @AutoClose
    private static ChromiumPeers chromium;

    @BeforeAll
    static void launch() throws Exception {
        chromium = ChromiumPeers.start("dtmf-peer.html", Chromium.FAKE_MEDIA_DEVICES);
    }


    @Test
    void chromiumTonesReachUsWithTheirDurations() throws Exception {
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            List<RTCReceivedDtmfTone> tones = new CopyOnWriteArrayList<>();
            pc.onTrack(e -> e.receiver().onDtmf(tones::add));
            pc.setRemoteDescription(RTCSessionDescription.offer((String) page.evaluate("offerMicrophone()", T))).join();
            assertThat(ChromiumPeers.answerGathered(page, pc)).isEqualTo("stable");
            MediaPeersTest.await(() -> pc.connectionState() == RTCPeerConnectionState.CONNECTED
                    && !pc.getStats().join().ofType("inbound-rtp").isEmpty());

            @SuppressWarnings("unchecked")
            Map<String, Object> played = (Map<String, Object>) page.evaluate("dtmf('19#A', 120, 60)", T);
            assertThat(played.get("changes")).isEqualTo(List.of("1", "9", "#", "A", ""));
            @SuppressWarnings("unchecked")
            // Chromium ends a tone on an audio frame boundary (60 ms frames here): durations are multiples of 60
            Map<String, Object> longer = (Map<String, Object>) page.evaluate("dtmf('*', 360, 50)", T);
            assertThat(longer.get("changes")).isEqualTo(List.of("*", ""));
            MediaPeersTest.await(() -> tones.size() >= 5);
            System.out.println("from Chromium: " + tones);
            assertThat(tones).extracting(RTCReceivedDtmfTone::tone).containsExactly("1", "9", "#", "A", "*");
            for (int i = 0; i < 5; i++) {
                long asked = i < 4 ? 120 : 360;
                assertThat(tones.get(i).duration().toMillis()).as("tone %d", i).isBetween(asked - 20, asked + 20);
            }
        } finally {
            page.close();
        }
    }

    @Test
    void ourTonesReachChromium() throws Exception {
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
            RTCRtpSender sender = pc.addTrack(mic.createTrack(), new MediaStream());
            ChromiumPeers.offerGathered(pc, page, "answerAudio");
            MediaPeersTest.await(() -> pc.connectionState() == RTCPeerConnectionState.CONNECTED);
            Random random = new Random(5);
            for (int i = 0; i < 50; i++) {
                mic.push(new EncodedFrame(Codec.OPUS, SyntheticFrames.opus(random, 60), i * 960L, true));
                Thread.sleep(20);
            }
            Thread.sleep(500);
            long before = packets(page);
            assertThat(before).isPositive();
            assertThat(sender.dtmf().canInsertDTMF()).isTrue();
            CompletableFuture<Void> done = new CompletableFuture<>();
            sender.dtmf().onToneChange(e -> {
                if (e.tone().isEmpty()) {
                    done.complete(null);
                }
            });
            // 3 tones of 100 ms: each a first report, an update and three final reports (RFC 4733 section 2.5.1)
            sender.dtmf().insertDTMF("123", 100, 50);
            done.get(10, TimeUnit.SECONDS);
            Thread.sleep(500);
            long after = packets(page);
            System.out.printf("Chromium's audio packetsReceived %d -> %d over the DTMF%n", before, after);
            assertThat(after - before).as("telephone-event packets Chromium counted").isEqualTo(15);
        } finally {
            page.close();
        }
    }

    private static long packets(BrowserPage page) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> in = (Map<String, Object>) page.evaluate("audioIn()", T);
        System.out.println("Chromium audio in: " + in);
        Object p = in.get("packetsReceived");
        return p == null ? 0 : ((Number) p).longValue();
    }

}
