package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.SyntheticAudio;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.DecodingSink;
import org.rtc4j.rtp.Codec;

/**
 * Raw tracks between two connections in one JVM over loopback sockets: pictures of the synthetic pattern and
 * a tone pushed as raw frames are encoded by the senders with the negotiated codec (H.264, and Opus or G.711),
 * and decoded on the other side through a {@link DecodingSink}; the pattern's frame counters come back in order.
 * A key frame request from the receiver (PLI) makes the encoder send a key frame; {@code setParameters}
 * maxBitrate becomes the encoder's target.
 */
@Timeout(120)
class RawMediaPeersTest {

    private static final int W = 320;
    private static final int H = 240;

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({"video/H264, audio/opus", "video/H264, audio/PCMU", "video/VP8, audio/PCMA"})
    void rawTracksAreEncodedAndDecodedBack(String videoCodec, String audioCodec) throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
            MediaStream stream = new MediaStream(List.of());
            RTCRtpSender videoSender = pc1.addTrack(camera.createTrack(), stream);
            RTCRtpSender audioSender = pc1.addTrack(mic.createTrack(), stream);
            prefer(pc1.getTransceivers().get(0), videoCodec, videoCodec.equals("video/H264")
                    ? "packetization-mode=1;profile-level-id=42e01f" : "");
            prefer(pc1.getTransceivers().get(1), audioCodec, "");

            List<Long> counters = new CopyOnWriteArrayList<>();
            AtomicInteger keyFrames = new AtomicInteger();
            AtomicInteger audioFrames = new AtomicInteger();
            List<Double> levels = new CopyOnWriteArrayList<>();
            List<Codec> codecs = new CopyOnWriteArrayList<>();
            List<RTCRtpReceiver> receivers = new CopyOnWriteArrayList<>();
            pc2.onTrack(e -> {
                receivers.add(e.receiver());
                e.track().addSink(MediaSink.encoded(f -> {
                    if (!codecs.contains(f.codec())) {
                        codecs.add(f.codec());
                    }
                    keyFrames.addAndGet(f.codec().isVideo() && f.keyFrame() ? 1 : 0);
                }));
                e.track().addSink(new DecodingSink(new MediaSink() {
                    @Override
                    public void onVideoFrame(VideoFrame f) {
                        counters.add(SyntheticVideo.readFrameCounter(f));
                    }

                    @Override
                    public void onAudioFrame(AudioFrame f) {
                        audioFrames.incrementAndGet();
                        levels.add(rms(f));
                    }
                }));
            });
            PeerPair.connect(pc1, pc2);
            MediaPeersTest.await(() -> pc1.connectionState() == RTCPeerConnectionState.CONNECTED
                    && pc2.connectionState() == RTCPeerConnectionState.CONNECTED);

            SyntheticVideo pattern = new SyntheticVideo(W, H, 30);
            SyntheticAudio tone = new SyntheticAudio(48_000, 1, 440);
            int sent = push(camera, mic, pattern, tone, 0, 60);
            MediaPeersTest.await(() -> counters.size() >= 50);
            assertThat(codecs).containsExactlyInAnyOrder(Codec.byName(videoCodec), Codec.byName(audioCodec));
            // Frames pushed before SRTP was keyed went nowhere; from the first key frame on, every one arrives.
            assertThat(counters).doesNotContain(-1L).isSorted().doesNotHaveDuplicates();
            long first = counters.get(0);
            assertThat(counters.get(counters.size() - 1) - first + 1).isEqualTo(counters.size());
            assertThat(audioFrames.get()).isGreaterThan(20);
            assertThat(levels.subList(levels.size() / 2, levels.size())).allMatch(l -> l > 1000,
                    "the tone's level (about 2300)");
            // Our packets carry the level of the samples they were encoded from (RFC 6464), reported by the
            // receiver's synchronization source (W3C section 5.4: -23 dBov, a sine at a tenth of full scale, is
            // about 0.07 on the linear scale)
            RTCRtpReceiver audioReceiver = receivers.stream().filter(r -> r.track().kind() == MediaKind.AUDIO)
                    .findFirst().orElseThrow();
            assertThat(audioReceiver.getSynchronizationSources()).singleElement()
                    .satisfies(src -> assertThat(src.audioLevel()).isNotNull().isBetween(0.05, 0.6));

            // What the audio receiver's track played out (webrtc-stats 8.13): no gap in the tone
            RTCStatsReport in = audioReceiver.getStats().join();
            RTCStats playout = in.get((String) in.ofType("inbound-rtp").get(0).get("playoutId"));
            System.out.println("media-playout: " + playout.members());
            assertThat(playout.type()).isEqualTo("media-playout");
            double played = (double) playout.get("totalSamplesDuration");
            assertThat(played).as("seconds of audio played out").isGreaterThan(0.4);
            assertThat((long) playout.get("totalSamplesCount"))
                    .isEqualTo(Math.round(played * (audioCodec.equals("audio/opus") ? 48_000 : 8_000)));
            assertThat((double) playout.get("synthesizedSamplesDuration")).isLessThan(played / 10);

            // A key frame request from the receiver: the next picture is a key frame.
            int keysBefore = keyFrames.get();
            RTCRtpReceiver videoReceiver = receivers.stream().filter(r -> r.track().kind() == MediaKind.VIDEO)
                    .findFirst().orElseThrow();
            assertThat(videoReceiver.requestKeyFrame()).isTrue();
            MediaPeersTest.await(() -> {
                try {
                    push(camera, mic, pattern, tone, counters.size() + 100, 1);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return keyFrames.get() > keysBefore;
            });

            // What the encoder did (webrtc-stats 8.4)
            RTCStats out = videoSender.getStats().join().ofType("outbound-rtp").get(0);
            System.out.println("outbound-rtp: " + out.members());
            assertThat(out.members()).containsEntry("frameWidth", (long) W).containsEntry("frameHeight", (long) H)
                    .containsKey("encoderImplementation");
            assertThat((long) out.get("framesEncoded")).isGreaterThanOrEqualTo((long) out.get("framesSent"))
                    .isGreaterThanOrEqualTo(50);
            assertThat((long) out.get("keyFramesEncoded")).isGreaterThanOrEqualTo(2);
            assertThat((double) out.get("totalEncodeTime")).isPositive();
            assertThat((double) out.get("framesPerSecond")).isPositive();
            assertThat((long) out.get("totalEncodedBytesTarget")).isPositive();
            assertThat(out.members().containsKey("qpSum")).isEqualTo(videoCodec.equals("video/H264"));
            // maxBitrate becomes the encoders' target.
            RTCRtpSendParameters p = videoSender.getParameters();
            videoSender.setParameters(p.withEncodings(List.of(new RTCRtpEncodingParameters(null, true, 150_000, 0,
                    1)))).join();
            push(camera, mic, pattern, tone, 1000, 2);
            assertThat(videoSender.encoder.videoTargetBitrate()).isEqualTo(150_000);
            assertThat(videoSender.encoder.dropped()).as("pictures not encoded").isLessThan(sent);
            assertThat(audioSender.encoder.dropped()).isLessThan(sent * 2);
        }
    }

    /** Pictures {@code first..first+count-1} and 33 ms of tone with each, pushed at about 30 a second. */
    private static int push(PushSource camera, PushSource mic, SyntheticVideo pattern, SyntheticAudio tone,
                            long first, int count) throws InterruptedException {
        for (long i = first; i < first + count; i++) {
            camera.push(pattern.frame(i));
            for (int k = 0; k < 3; k++) {   // 10 ms frames, as the synthetic microphone gives them
                long n = (i * 3 + k) * 480;
                AudioFrame a = tone.frame(n, 480);
                mic.push(a);
            }
            Thread.sleep(30);
        }
        return count;
    }

    static double rms(AudioFrame f) {
        double sum = 0;
        for (short s : f.samples()) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / Math.max(1, f.samples().length));
    }

    /** setCodecPreferences with the codec of {@code mimeType} whose fmtp line has each of {@code fmtp}'s parts. */
    static void prefer(RTCRtpTransceiver t, String mimeType, String fmtp) {
        String kind = mimeType.substring(0, mimeType.indexOf('/'));
        RTCRtpCodec codec = RTCRtpReceiver.getCapabilities(kind).codecs().stream()
                .filter(c -> c.mimeType().equalsIgnoreCase(mimeType)
                        && java.util.Arrays.stream(fmtp.split(";")).allMatch(c.sdpFmtpLine()::contains))
                .findFirst().orElseThrow();
        t.setCodecPreferences(List.of(codec));
    }
}
