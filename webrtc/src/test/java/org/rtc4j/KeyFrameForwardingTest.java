package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
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
 * A key frame request for frames passed through goes to where they come from: pc1 pushes encoded frames, pc2
 * reflects them (its receiver's track on its sender); pc1 asks pc2 for a key frame (PLI), pc2's sender has no
 * encoder, so its receiver asks pc1 (PLI), and pc1's sender hands the request to the push source's handler.
 * Without it a forwarder's late watchers wait for the publisher's next periodic key frame.
 */
@Timeout(60)
class KeyFrameForwardingTest {

    @Test
    void aRequestForAReflectedStreamReachesTheSource() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            Semaphore asked = new Semaphore(0);
            camera.onKeyFrameRequest(asked::release);
            pc1.addTransceiver(camera.createTrack(), RTCRtpTransceiverInit.defaults()
                    .withDirection(RTCRtpTransceiverDirection.SENDRECV));
            Semaphore back = new Semaphore(0);
            RTCRtpReceiver pc1Receiver = pc1.getTransceivers().get(0).receiver();
            pc1Receiver.track().addSink(MediaSink.encoded(f -> back.release()));
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

            Random random = new Random(5);
            for (int i = 0; i < 5; i++) {
                camera.push(new EncodedFrame(Codec.VP8, SyntheticFrames.vp8(random, i == 0, i == 0 ? 6000 : 1500),
                        i * 3000L, i == 0));
                assertThat(back.tryAcquire(10, TimeUnit.SECONDS)).as("frame %d back", i).isTrue();
            }
            asked.drainPermits();   // the start's own requests, if any
            assertThat(pc1Receiver.requestKeyFrame()).isTrue();
            assertThat(asked.tryAcquire(10, TimeUnit.SECONDS)).as("the push source asked for a key frame").isTrue();
        }
    }
}
