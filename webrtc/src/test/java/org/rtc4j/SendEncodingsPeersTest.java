package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.SyntheticAudio;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.DecodingSink;

/**
 * The sendEncodings given to addTransceiver take effect between two connections over loopback sockets (W3C
 * section 4.4.1.8 and 5.2): the video's maxBitrate is the encoder's target, its pictures reach the other side
 * at half size and half rate; an inactive audio encoding sends nothing until setParameters makes it active.
 */
@Timeout(120)
class SendEncodingsPeersTest {

    private static final int W = 320;
    private static final int H = 240;

    @Test
    void sendEncodingsOfAddTransceiverTakeEffect() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
            var init = RTCRtpTransceiverInit.defaults();
            RTCRtpSender video = pc1.addTransceiver(camera.createTrack(), init.withSendEncodings(
                    RTCRtpEncodingParameters.defaults().withMaxBitrate(150_000).withScaleResolutionDownBy(2)
                            .withMaxFramerate(15))).sender();
            RTCRtpSender audio = pc1.addTransceiver(mic.createTrack(), init.withSendEncodings(
                    RTCRtpEncodingParameters.defaults().withActive(false))).sender();
            RawMediaPeersTest.prefer(pc1.getTransceivers().get(0), "video/VP8", "");

            List<Integer> widths = new CopyOnWriteArrayList<>();
            List<Long> counters = new CopyOnWriteArrayList<>();
            AtomicInteger audioFrames = new AtomicInteger();
            pc2.onTrack(e -> e.track().addSink(new DecodingSink(new MediaSink() {
                @Override
                public void onVideoFrame(VideoFrame f) {
                    widths.add(f.width());
                    counters.add(SyntheticVideo.readFrameCounter(f));
                }

                @Override
                public void onAudioFrame(AudioFrame f) {
                    audioFrames.incrementAndGet();
                }
            })));
            PeerPair.connect(pc1, pc2);
            MediaPeersTest.await(() -> pc1.connectionState() == RTCPeerConnectionState.CONNECTED
                    && pc2.connectionState() == RTCPeerConnectionState.CONNECTED);

            SyntheticVideo pattern = new SyntheticVideo(W, H, 30);
            SyntheticAudio tone = new SyntheticAudio(48_000, 1, 440);
            long[] next = {0};
            MediaPeersTest.await(() -> push(camera, mic, pattern, tone, next) && counters.size() >= 20);
            assertThat(widths).containsOnly(W / 2);
            // every second picture of the 30 a second dropped before the encoder: the counters step by two
            for (int i = 1; i < counters.size(); i++) {
                assertThat(counters.get(i) - counters.get(i - 1)).as("counters " + counters).isEqualTo(2);
            }
            assertThat(video.encoder.framerateDropped()).isGreaterThanOrEqualTo(counters.size());
            assertThat(video.encoder.videoTargetBitrate()).isEqualTo(150_000);
            RTCStats out = video.getStats().join().ofType("outbound-rtp").get(0);
            assertThat(out.members()).containsEntry("frameWidth", (long) W / 2).containsEntry("frameHeight",
                    (long) H / 2);

            // the inactive audio encoding: no packet left, none arrived, until it is made active
            assertThat(audio.framesSent()).isZero();
            assertThat(audioFrames.get()).isZero();
            RTCRtpSendParameters p = audio.getParameters();
            audio.setParameters(p.withEncodings(List.of(p.encodings().get(0).withActive(true)))).join();
            MediaPeersTest.await(() -> push(camera, mic, pattern, tone, next) && audioFrames.get() >= 10);
            assertThat(audio.framesSent()).isPositive();
        }
    }

    /** One picture of the pattern and 30 ms of tone, then about a frame's time; true, for await's condition. */
    private static boolean push(PushSource camera, PushSource mic, SyntheticVideo pattern, SyntheticAudio tone,
                                long[] next) {
        long i = next[0]++;
        camera.push(pattern.frame(i));
        for (int k = 0; k < 3; k++) {
            mic.push(tone.frame((i * 3 + k) * 480, 480));
        }
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
