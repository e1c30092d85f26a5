package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.internal.SyntheticFrames;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.sdp.SessionDescription;

/**
 * Audio and video between two connections in one JVM over real UDP sockets on loopback, through the W3C API:
 * addTrack with tracks fed by PushSources of encoded frames, the track event on the other side, every frame
 * received whole; then a renegotiation that removes the video while audio and a data channel go on.
 */
@Timeout(90)
class MediaPeersTest {

    /** What pc2's receivers got, per kind, and its track events. */
    private static final class Received {
        final List<RTCTrackEvent> events = new CopyOnWriteArrayList<>();
        final List<byte[]> audio = new CopyOnWriteArrayList<>();
        final List<byte[]> video = new CopyOnWriteArrayList<>();

        void listen(RTCPeerConnection pc) {
            pc.onTrack(e -> {
                events.add(e);
                List<byte[]> to = e.track().kind() == MediaKind.AUDIO ? audio : video;
                e.track().addSink(MediaSink.encoded(f -> to.add(f.data())));
            });
        }
    }

    @Test
    void tracksArriveWithEveryFrameThenVideoIsRemoved() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            MediaStreamTrack audioTrack = mic.createTrack();
            MediaStreamTrack videoTrack = camera.createTrack();
            MediaStream stream = new MediaStream(List.of(audioTrack, videoTrack));
            var negotiationNeeded = new LinkedBlockingQueue<Boolean>();
            pc1.onNegotiationNeeded(() -> negotiationNeeded.add(true));
            RTCRtpSender audioSender = pc1.addTrack(audioTrack, stream);
            RTCRtpSender videoSender = pc1.addTrack(videoTrack, stream);
            assertThat(negotiationNeeded.poll(5, TimeUnit.SECONDS)).isTrue();
            Received received = new Received();
            received.listen(pc2);

            PeerPair.connect(pc1, pc2);
            SessionDescription offer = SessionDescription.parse(pc1.localDescription().sdp());
            assertThat(offer.media()).extracting(m -> m.kind()).containsExactly("application", "audio", "video");
            assertThat(offer.bundleGroupOf("1")).isPresent();
            await(() -> pc1.connectionState() == RTCPeerConnectionState.CONNECTED
                    && pc2.connectionState() == RTCPeerConnectionState.CONNECTED);

            assertThat(received.events).hasSize(2);
            for (RTCTrackEvent e : received.events) {
                assertThat(e.streams()).extracting(MediaStream::id).containsExactly(stream.id());
                assertThat(e.transceiver().receiver()).isSameAs(e.receiver());
                assertThat(e.transceiver().currentDirection()).isEqualTo(RTCRtpTransceiverDirection.RECVONLY);
            }
            assertThat(pc2.getTransceivers()).hasSize(2);
            assertThat(pc1.getTransceivers()).extracting(RTCRtpTransceiver::mid).containsExactly("1", "2");
            assertThat(pc1.getTransceivers()).extracting(RTCRtpTransceiver::currentDirection)
                    .containsOnly(RTCRtpTransceiverDirection.SENDONLY);
            assertThat(videoSender.getParameters().codecs().get(0).codec().mimeType()).isEqualTo("video/VP8");
            assertThat(audioSender.getParameters().codecs().get(0).codec().mimeType()).isEqualTo("audio/opus");

            Random random = new Random(7);
            List<byte[]> audioSent = new ArrayList<>();
            List<byte[]> videoSent = new ArrayList<>();
            sendFrames(mic, camera, random, audioSent, videoSent, 0, 150);
            await(() -> received.audio.size() >= audioSent.size() && received.video.size() >= videoSent.size());
            assertSame("audio", audioSent, received.audio);
            assertSame("video", videoSent, received.video);

            // Renegotiation: the video is removed; audio and a new data channel go on over the same transport.
            pc1.removeTrack(videoSender);
            assertThat(negotiationNeeded.poll(5, TimeUnit.SECONDS)).isTrue();
            RTCDataChannel chat = pc1.createDataChannel("chat");
            var messages = new LinkedBlockingQueue<String>();
            pc2.onDataChannel(ch -> ch.onMessage(m -> messages.add(m.text())));
            PeerPair.connect(pc1, pc2);
            RTCRtpTransceiver video = pc1.getTransceivers().get(1);
            assertThat(video.direction()).isEqualTo(RTCRtpTransceiverDirection.RECVONLY);
            assertThat(video.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.INACTIVE);
            assertThat(videoSender.track()).isNull();
            TwoPeersTest.awaitOpen(chat);
            chat.send("after renegotiation");
            assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("after renegotiation");

            int audioBefore = received.audio.size();
            int videoBefore = received.video.size();
            sendFrames(mic, camera, random, audioSent, videoSent, 150, 50);
            await(() -> received.audio.size() >= audioSent.size());
            assertSame("audio", audioSent, received.audio);
            assertThat(received.video).as("no video after removeTrack").hasSize(videoBefore);
            assertThat(audioBefore).isEqualTo(150);
        }
    }

    /** {@code count} audio frames (20 ms) from {@code first}, a video frame (30 a second) with every third. */
    private static void sendFrames(PushSource mic, PushSource camera, Random random, List<byte[]> audio,
                                   List<byte[]> video, int first, int count) throws InterruptedException {
        for (int i = first; i < first + count; i++) {
            byte[] a = SyntheticFrames.opus(random, 80 + random.nextInt(80));
            audio.add(a);
            mic.push(new EncodedFrame(Codec.OPUS, a, i * 960L, true));
            if (i % 3 == 0) {
                boolean key = i == 0;
                byte[] v = SyntheticFrames.vp8(random, key, key ? 6000 : 500 + random.nextInt(2500));
                if (first == 0) {
                    video.add(v);
                }
                camera.push(new EncodedFrame(Codec.VP8, v, i / 3 * 3000L, key));
            }
            Thread.sleep(2);
        }
    }

    private static void assertSame(String kind, List<byte[]> sent, List<byte[]> received) {
        assertThat(received).as("%s frames", kind).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(Arrays.equals(received.get(i), sent.get(i))).as("%s frame %d", kind, i).isTrue();
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within 20 s").isTrue();
    }
}
