package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.internal.SyntheticFrames;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.session.FrameSources;

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

    /**
     * A mixer's frames (W3C section 5.4): each CSRC becomes a contributing source with its RFC 6465 level on the
     * W3C scale, the SSRC a synchronization source with its RFC 6464 level; entries older than 10 s are gone.
     */
    @Test
    void contributingSourcesFromAMixersCsrcsAndLevels() {
        try (var pc = new RTCPeerConnection()) {
            RTCRtpReceiver receiver = pc.addTransceiver("audio", RTCRtpTransceiverInit.defaults()).receiver();
            // The loop's clock (monotonic, anchored to the wall clock once): it drifts from the wall clock when
            // the machine's clock is stepped, so the wall clock would age the entries wrongly here.
            double now = IoLoop.CLOCK.now().toEpochMilli();
            receiver.sourceSeen(0x1111, 960, now - 11_000, new FrameSources(new int[] {5}, 20, new int[] {0}));
            receiver.sourceSeen(0x1111, 1920, now, new FrameSources(new int[] {7, 0xFFFF_FFF0}, 0,
                    new int[] {20, -1}));
            assertThat(receiver.getContributingSources()).extracting(RTCRtpContributingSource::source)
                    .containsExactlyInAnyOrder(7L, 0xFFFF_FFF0L);
            RTCRtpContributingSource seven = receiver.getContributingSources().stream().filter(c -> c.source() == 7)
                    .findFirst().orElseThrow();
            assertThat(seven.audioLevel()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(seven.rtpTimestamp()).isEqualTo(1920);
            assertThat(seven.timestamp()).isEqualTo(now);
            assertThat(receiver.getContributingSources().stream().filter(c -> c.source() != 7)
                    .findFirst().orElseThrow().audioLevel()).isNull();
            assertThat(receiver.getSynchronizationSources()).singleElement()
                    .satisfies(s -> assertThat(s.audioLevel()).isEqualTo(1.0));
        }
    }
}
