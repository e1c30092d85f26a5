package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.ChromiumCodecsTest.T;
import static org.rtc4j.ChromiumCodecsTest.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaDevices;
import org.rtc4j.media.MediaSettings;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamConstraints;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.SyntheticDevices;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Json;

/**
 * The rest of the RTP API against headless Chromium (a peer we did not write): what each side's receivers report
 * of the other's sources (W3C section 5.4, audio levels of RFC 6464 both ways).
 */
@Timeout(150)
class ChromiumApiTest {

    @AutoClose
    private static ChromiumPeers chromium;

    @BeforeAll
    static void launch() throws Exception {
        chromium = ChromiumPeers.start("media-codecs.html");
    }

    /**
     * Our synthetic microphone's tone (a sine at a tenth of full scale, -23 dBov, and a beep at half each second)
     * encoded to Opus carries its level, which Chromium's receiver reports; Chromium's fake microphone's level
     * reaches our receiver's synchronization source.
     */
    @Test
    void audioLevelsReachEachSidesSynchronizationSources() throws Exception {
        MediaStream local = new MediaDevices(MediaSettings.defaults().withSyntheticDevices(SyntheticDevices.ONLY))
                .getUserMedia(MediaStreamConstraints.of(true, false)).get(10, TimeUnit.SECONDS);
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            pc.addTrack(local.getTracks().get(0), local);
            ChromiumPeers.setLocalAndGather(pc);
            String answer = (String) page.evaluate("answer(" + Json.quote(pc.localDescription().sdp()) + ", true)",
                    T);
            pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
            RTCRtpReceiver ours = pc.getReceivers().get(0);
            await(() -> !ours.getSynchronizationSources().isEmpty() && theirAudioLevel(page) != null, 30);
            Thread.sleep(1500);   // past the first packets, and across a beep of ours
            double max = 0;
            double theirs = 0;
            for (int i = 0; i < 40; i++) {
                Double level = theirAudioLevel(page);
                max = Math.max(max, level == null ? -1 : level);
                Double ourLevel = ours.getSynchronizationSources().get(0).audioLevel();
                theirs = Math.max(theirs, ourLevel == null ? -1 : ourLevel);
                Thread.sleep(50);
            }
            System.out.printf("Chromium's receiver: our level up to %.3f; ours: Chromium's up to %.3f%n", max, theirs);
            assertThat(max).as("our tone's level as Chromium reports it").isBetween(0.05, 0.7);
            assertThat(theirs).as("Chromium's microphone's level as we report it").isPositive().isLessThanOrEqualTo(1);
            assertThat(ours.getSynchronizationSources().get(0).source())
                    .isEqualTo(number(inboundSsrc(pc)));
            for (MediaStreamTrack t : local.getTracks()) {
                t.stop();
            }
        } finally {
            page.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Double theirAudioLevel(BrowserPage page) {
        try {
            Map<String, Object> all = (Map<String, Object>) page.evaluate("sources()", T);
            List<Map<String, Object>> audio = (List<Map<String, Object>>) all.get("audio");
            if (audio == null || audio.isEmpty() || audio.get(0).get("audioLevel") == null) {
                return null;
            }
            return ((Number) audio.get(0).get("audioLevel")).doubleValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object inboundSsrc(RTCPeerConnection pc) {
        return pc.getStats().join().ofType("inbound-rtp").get(0).get("ssrc");
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }
}
