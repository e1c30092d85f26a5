package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.DecodingSink;
import org.rtc4j.media.codec.MediaCodecs;
import org.rtc4j.media.codec.VideoEncoder;
import org.rtc4j.rtp.Codec;

/**
 * A codec switch loses no frame (RFC 3264 section 8.3.2): the send stream changes codec with the first frame of
 * the new one, so what was encoded before still goes in the old, and the receiver moves from one to the other.
 * Between two connections in one JVM: the pattern encoded in VP8, then H.264 first by setCodecPreferences and a
 * renegotiation, then a pre-encoded VP8 source by replaceTrack (no renegotiation). The frame counters drawn in
 * the pattern come back decoded, with none missing from the first key frame on.
 */
@Timeout(120)
class CodecSwitchPeersTest {

    @Test
    void vp8ToH264AndBackByReplaceTrackLosesNoFrame() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            RTCRtpSender sender = pc1.addTrack(camera.createTrack());
            RTCRtpTransceiver t = pc1.getTransceivers().get(0);
            t.setCodecPreferences(preferring("video/VP8"));
            List<Long> counters = new CopyOnWriteArrayList<>();
            List<Codec> codecs = new CopyOnWriteArrayList<>();
            pc2.onTrack(e -> {
                e.track().addSink(MediaSink.encoded(f -> codecs.add(f.codec())));
                e.track().addSink(new DecodingSink(new MediaSink() {
                    @Override
                    public void onVideoFrame(VideoFrame f) {
                        counters.add(SyntheticVideo.readFrameCounter(f));
                    }
                }));
            });
            PeerPair.connect(pc1, pc2);
            MediaPeersTest.await(() -> pc1.connectionState() == RTCPeerConnectionState.CONNECTED);

            SyntheticVideo pattern = new SyntheticVideo(320, 240, 30);
            AtomicLong next = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread pictures = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    camera.push(pattern.frame(next.getAndIncrement()));
                    sleep(33);
                }
            });
            try {
                MediaPeersTest.await(() -> counters.size() >= 20);
                // H.264 first, VP8 still negotiated: frames already encoded in VP8 still go
                t.setCodecPreferences(preferring("video/H264"));
                pc1.setLocalDescription().join();
                pc2.setRemoteDescription(pc1.localDescription()).join();
                pc2.setLocalDescription().join();
                pc1.setRemoteDescription(pc2.localDescription()).join();
                int before = counters.size();
                MediaPeersTest.await(() -> codecs.contains(Codec.H264) && counters.size() >= before + 20);
            } finally {
                running.set(false);
                pictures.join();
            }
            // a source of pre-encoded VP8 by replaceTrack, no renegotiation: VP8 is negotiated, so it goes
            PushSource file = new PushSource(MediaKind.VIDEO, "pre-encoded");
            sender.replaceTrack(file.createTrack()).join();
            VideoEncoder vp8 = MediaCodecs.videoEncoder(Codec.VP8, 300_000);
            int h264Frames = counters.size();
            long first = next.get() + 100;
            for (long i = first; i < first + 20; i++) {
                file.push(vp8.encode(pattern.frame(i)));
                sleep(33);
            }
            MediaPeersTest.await(() -> counters.size() >= h264Frames + 20);

            System.out.println("codecs received: " + runs(codecs));
            assertThat(runs(codecs)).startsWith(Codec.VP8, Codec.H264, Codec.VP8);
            assertThat(counters).doesNotContain(-1L).doesNotHaveDuplicates().isSorted();
            List<Long> camerasFrames = counters.subList(0, h264Frames);
            assertThat(camerasFrames.get(h264Frames - 1) - camerasFrames.get(0) + 1)
                    .as("the camera's frames from the first key frame on, across the switch").isEqualTo(h264Frames);
            assertThat(counters.subList(h264Frames, counters.size()))
                    .as("every frame of the replaced source").hasSize(20).startsWith(first);
        }
    }

    /** The codecs in the order they came, each run once. */
    private static List<Codec> runs(List<Codec> codecs) {
        List<Codec> out = new ArrayList<>();
        for (Codec c : codecs) {
            if (out.isEmpty() || out.get(out.size() - 1) != c) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every video codec, those of {@code mimeType} first (H.264: packetization-mode 1 first). */
    private static List<RTCRtpCodec> preferring(String mimeType) {
        List<RTCRtpCodec> first = new ArrayList<>();
        List<RTCRtpCodec> rest = new ArrayList<>();
        for (RTCRtpCodec c : RTCRtpReceiver.getCapabilities("video").codecs()) {
            boolean wanted = c.mimeType().equalsIgnoreCase(mimeType)
                    && !c.sdpFmtpLine().contains("packetization-mode=0");
            (wanted ? first : rest).add(c);
        }
        first.addAll(rest);
        return first;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
