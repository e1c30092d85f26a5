package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.internal.SyntheticFrames;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * The rest of the RTP API between two connections on loopback (W3C sections 5.2 and 5.3): getStats of a sender
 * and a receiver, transport, synchronization sources, jitterBufferTarget, and the media-source stats.
 */
@Timeout(60)
class RtpApiTest {

    @Test
    void statsTransportSourcesAndJitterBufferTarget() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
            MediaStreamTrack track = mic.createTrack();
            RTCRtpSender sender = pc1.addTrack(track);
            assertThat(sender.transport()).as("before negotiation").isNull();
            PeerPair.connect(pc1, pc2);
            MediaPeersTest.await(() -> pc1.connectionState() == RTCPeerConnectionState.CONNECTED);
            RTCRtpReceiver receiver = pc2.getReceivers().get(0);
            Random random = new Random(9);
            for (int i = 0; i < 60; i++) {
                mic.push(new EncodedFrame(Codec.OPUS, SyntheticFrames.opus(random, 60), i * 960L, true));
                Thread.sleep(5);
            }
            MediaPeersTest.await(() -> !receiver.getSynchronizationSources().isEmpty()
                    && !receiver.getStats().join().ofType("inbound-rtp").isEmpty());

            RTCStatsReport out = sender.getStats().join();
            RTCStats outbound = out.ofType("outbound-rtp").get(0);
            assertThat(out.ofType("inbound-rtp")).isEmpty();
            RTCStats source = out.get((String) outbound.members().get("mediaSourceId"));
            assertThat(source.type()).isEqualTo("media-source");
            assertThat(source.members()).containsEntry("trackIdentifier", track.id()).containsEntry("kind", "audio");
            assertThat(out.get((String) outbound.members().get("codecId")).members()).containsEntry("mimeType", "audio/opus");
            long ssrc = (Long) outbound.members().get("ssrc");

            RTCStatsReport in = receiver.getStats().join();
            assertThat(in.ofType("outbound-rtp")).isEmpty();
            assertThat(in.ofType("inbound-rtp")).singleElement()
                    .satisfies(s -> assertThat(s.members()).containsEntry("ssrc", ssrc));
            assertThat(receiver.getSynchronizationSources()).singleElement().satisfies(s -> {
                assertThat(s.source()).isEqualTo(ssrc);
                assertThat(s.rtpTimestamp()).as("the packets' own, with the sender's random offset")
                        .isBetween(0L, 0xFFFF_FFFFL);
                assertThat(s.timestamp()).isPositive();
            });
            assertThat(receiver.getContributingSources()).isEmpty();

            assertThat(sender.transport()).isNotNull();
            assertThat(receiver.transport()).isNotNull();
            assertThat(sender.transport().state()).isEqualTo(RTCDtlsTransportState.CONNECTED);

            assertThat(receiver.jitterBufferTarget()).isNull();
            receiver.setJitterBufferTarget(250.0);
            assertThat(receiver.jitterBufferTarget()).isEqualTo(250.0);
            assertThatThrownBy(() -> receiver.setJitterBufferTarget(4001.0)).isInstanceOf(RangeError.class);
            assertThatThrownBy(() -> receiver.setJitterBufferTarget(-1.0)).isInstanceOf(RangeError.class);
        }
    }
}
