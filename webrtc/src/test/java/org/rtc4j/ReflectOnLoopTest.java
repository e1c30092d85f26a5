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
 * A reflector (a receiver's track sent back on its own transceiver, as {@code ./rtc4j peer answer} does): pc1
 * pushes encoded frames, pc2 sends each back as it arrives.
 */
@Timeout(60)
class ReflectOnLoopTest {

    /**
     * Each received frame is in the RTP session of the sender before the receiving pump returns, with no task
     * queued on the loop between (issue 17, performance: the receive path and the send path on one loop turn).
     */
    @Test
    void aReceivedFrameIsSentBackInTheSamePump() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            Semaphore back = new Semaphore(0);
            RTCRtpTransceiver reflector = connect(pc1, pc2, camera, back);
            List<long[]> seen = new CopyOnWriteArrayList<>();
            long[] received = {0};
            // After the sender's own sink: what the sender's stream holds when the frame has gone through it.
            reflector.receiver().track().addSink(MediaSink.encoded(f ->
                    seen.add(new long[] {++received[0], reflector.sender().framesSent()})));
            pushAndAwaitBack(camera, back, 30);
            assertThat(seen).hasSize(30).allSatisfy(s -> assertThat(s[1]).isEqualTo(s[0]));
        }
    }

    /**
     * A key frame request for the reflected stream goes to where its frames come from: pc1 asks pc2 (PLI), pc2's
     * sender has no encoder, so its receiver asks pc1 (PLI), and pc1's sender hands the request to the push
     * source's handler. Without it a forwarder's late watchers wait for the publisher's next key frame.
     */
    @Test
    void aKeyFrameRequestForTheReflectedStreamReachesTheSource() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            Semaphore asked = new Semaphore(0);
            camera.onKeyFrameRequest(asked::release);
            Semaphore back = new Semaphore(0);
            connect(pc1, pc2, camera, back);
            pushAndAwaitBack(camera, back, 5);
            asked.drainPermits();   // the start's own requests, if any
            assertThat(pc1.getTransceivers().get(0).receiver().requestKeyFrame()).isTrue();
            assertThat(asked.tryAcquire(10, TimeUnit.SECONDS)).as("the push source asked for a key frame").isTrue();
        }
    }

    /** pc1 sends {@code camera} and releases {@code back} per frame it gets back; pc2's transceiver reflects. */
    private static RTCRtpTransceiver connect(RTCPeerConnection pc1, RTCPeerConnection pc2, PushSource camera,
            Semaphore back) throws Exception {
        pc1.addTransceiver(camera.createTrack(), RTCRtpTransceiverInit.defaults()
                .withDirection(RTCRtpTransceiverDirection.SENDRECV));
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
        pc2.setLocalDescription().join();
        pc1.setRemoteDescription(pc2.localDescription()).join();
        up.get(30, TimeUnit.SECONDS);
        return reflector;
    }

    private static void pushAndAwaitBack(PushSource camera, Semaphore back, int frames) throws Exception {
        Random random = new Random(17);
        for (int i = 0; i < frames; i++) {
            camera.push(new EncodedFrame(Codec.VP8, SyntheticFrames.vp8(random, i == 0, i == 0 ? 6000 : 1500),
                    i * 3000L, i == 0));
            assertThat(back.tryAcquire(10, TimeUnit.SECONDS)).as("frame %d back", i).isTrue();
        }
    }
}
