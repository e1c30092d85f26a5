package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.SyntheticAudio;
import org.rtc4j.sdp.ExtensionNegotiation;
import org.rtc4j.sdp.HeaderExtension;
import org.rtc4j.sdp.SessionDescription;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Json;

/**
 * Header extensions negotiated by a renegotiation, against headless Chromium (a peer we did not write): a call
 * that starts with video alone, audio added later, by either side's offer. The audio section's ssrc-audio-level
 * (RFC 6464) is used from then on: Chromium's receiver reports our tone's level, and ours reports its
 * microphone's; the ids of the first negotiation keep their meaning (RFC 8285 section 6).
 */
@Timeout(120)
class ChromiumExtensionRenegotiationTest {

    private static final Duration T = Duration.ofSeconds(30);

    @AutoClose
    private static ChromiumPeers chromium;

    @BeforeAll
    static void launch() throws Exception {
        chromium = ChromiumPeers.start("renegotiation-peer.html");
    }

    /** We offer video, then audio in a second offer; Chromium's receiver reads our tone's level. */
    @Test
    void ourAudioAddedAfterVideoCarriesItsLevelToChromium() throws Exception {
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            pc.addTransceiver("video", RTCRtpTransceiverInit.defaults());
            ChromiumPeers.offerGathered(pc, page, "answer");
            var first = idsInUse(pc.remoteDescription());
            assertThat(first).doesNotContainValue(HeaderExtension.AUDIO_LEVEL);

            PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
            pc.addTrack(mic.createTrack());
            pc.setLocalDescription().join();
            String answer = (String) page.evaluate("answer(" + Json.quote(pc.localDescription().sdp()) + ")", T);
            pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
            assertThat(idsInUse(pc.remoteDescription())).containsAllEntriesOf(first)
                    .containsValue(HeaderExtension.AUDIO_LEVEL);
            double level = whileTalking(mic, () -> {
                MediaPeersTest.await(() -> chromiumLevel(page) > 0);
                Thread.sleep(1000);   // across a beep of ours
                double max = 0;
                for (int i = 0; i < 30; i++) {
                    max = Math.max(max, chromiumLevel(page));
                    Thread.sleep(50);
                }
                return max;
            });
            System.out.printf("Chromium's receiver: our tone's level up to %.3f%n", level);
            // a sine at a tenth of full scale, -23 dBov: about 0.07 on the W3C linear scale
            assertThat(level).isBetween(0.05, 0.7);
        } finally {
            page.close();
        }
    }

    /**
     * Chromium offers its camera, then its microphone in a second offer with its own ids; our receiver reads the
     * microphone's level, and our answer keeps Chromium's ids.
     */
    @Test
    void chromiumsAudioAddedAfterVideoCarriesItsLevelToUs() throws Exception {
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            pc.setRemoteDescription(RTCSessionDescription.offer((String) page.evaluate("offerVideo()", T))).join();
            assertThat(ChromiumPeers.answerGathered(page, pc)).isEqualTo("stable");
            assertThat(idsInUse(pc.localDescription())).doesNotContainValue(HeaderExtension.AUDIO_LEVEL);

            String offer = (String) page.evaluate("addMicrophone()", T);
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
            pc.setLocalDescription().join();
            assertThat(ChromiumPeers.accept(page, pc)).isEqualTo("stable");
            var theirs = idsInUse(new RTCSessionDescription(RTCSdpType.OFFER, offer));
            assertThat(theirs).containsAllEntriesOf(idsInUse(pc.localDescription()));
            assertThat(idsInUse(pc.localDescription())).containsValue(HeaderExtension.AUDIO_LEVEL);

            RTCRtpReceiver audio = pc.getReceivers().stream().filter(r -> r.track().kind() == MediaKind.AUDIO)
                    .findFirst().orElseThrow();
            MediaPeersTest.await(() -> audio.getSynchronizationSources().stream().anyMatch(s -> s.audioLevel() != null));
            double max = 0;
            for (int i = 0; i < 60; i++) {   // its fake microphone beeps now and then
                Double level = audio.getSynchronizationSources().get(0).audioLevel();
                max = Math.max(max, level == null ? -1 : level);
                Thread.sleep(50);
            }
            System.out.println("our receiver: Chromium's microphone's level up to " + max);
            assertThat(max).isPositive().isLessThanOrEqualTo(1);
        } finally {
            page.close();
        }
    }

    private static java.util.Map<Integer, String> idsInUse(RTCSessionDescription d) throws Exception {
        return ExtensionNegotiation.idsInUse(SessionDescription.parse(d.sdp()));
    }

    /** The greatest level Chromium's audio receivers report, 0 for none yet. */
    @SuppressWarnings("unchecked")
    private static double chromiumLevel(BrowserPage page) {
        try {
            return ((List<Object>) page.evaluate("audioLevels()", T)).stream()
                    .filter(o -> o instanceof Number).mapToDouble(o -> ((Number) o).doubleValue()).max().orElse(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Check<V> {
        V run() throws Exception;
    }

    /** Runs {@code check} while our synthetic tone (raw, 10 ms a frame, a beep each second) goes to {@code mic}. */
    private static <V> V whileTalking(PushSource mic, Check<V> check) throws Exception {
        AtomicBoolean talking = new AtomicBoolean(true);
        SyntheticAudio tone = new SyntheticAudio(48_000, 1, 440);
        Thread t = Thread.ofVirtual().start(() -> {
            for (long n = 0; talking.get(); n += 480) {
                mic.push(tone.frame(n, 480));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            return check.run();
        } finally {
            talking.set(false);
            t.join();
        }
    }
}
