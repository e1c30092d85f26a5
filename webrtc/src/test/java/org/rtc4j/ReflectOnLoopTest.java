package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.internal.SyntheticFrames;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * A reflector (a receiver's track sent back on its own transceiver, as {@code ./rtc4j peer answer} does): each
 * received frame is in the RTP session of the sender before the receiving pump returns, with no task queued on
 * the loop between (issue 17, performance: the receive path and the send path on one loop turn).
 */
@Timeout(60)
class ReflectOnLoopTest {

    @Test
    void aReceivedFrameIsSentBackInTheSamePump() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            pc1.addTransceiver(camera.createTrack(), RTCRtpTransceiverInit.defaults()
                    .withDirection(RTCRtpTransceiverDirection.SENDRECV));
            Semaphore back = new Semaphore(0);
            pc1.getTransceivers().get(0).receiver().track().addSink(MediaSink.encoded(f -> back.release()));
            CompletableFuture<Void> up = new CompletableFuture<>();
            pc1.onConnectionStateChange(s -> {
                if (s == RTCPeerConnectionState.CONNECTED) {
                    up.complete(null);
                }
            });
            pc1.onIceCandidate(pc2::addIceCandidate);
            pc2.onIceCandidate(pc1::addIceCandidate);
            pc1.setLocalDescription().join();
            pc2.setRemoteDescription(pc1.localDescription()).join();
            RTCRtpTransceiver reflector = pc2.getTransceivers().get(0);
            reflector.setDirection(RTCRtpTransceiverDirection.SENDRECV);
            reflector.sender().replaceTrack(reflector.receiver().track()).join();
            // After the sender's own sink: what the sender's stream holds when the frame has gone through it.
            List<long[]> seen = new CopyOnWriteArrayList<>();
            long[] received = {0};
            reflector.receiver().track().addSink(MediaSink.encoded(f ->
                    seen.add(new long[] {++received[0], reflector.sender().framesSent()})));
            pc2.setLocalDescription().join();
            pc1.setRemoteDescription(pc2.localDescription()).join();
            up.get(30, TimeUnit.SECONDS);

            Random random = new Random(17);
            for (int i = 0; i < 30; i++) {
                camera.push(new EncodedFrame(Codec.VP8, SyntheticFrames.vp8(random, i == 0, i == 0 ? 6000 : 1500),
                        i * 3000L, i == 0));
                assertThat(back.tryAcquire(10, TimeUnit.SECONDS)).as("frame %d back", i).isTrue();
            }
            assertThat(seen).hasSize(30).allSatisfy(s -> assertThat(s[1]).isEqualTo(s[0]));
        }
    }
}
