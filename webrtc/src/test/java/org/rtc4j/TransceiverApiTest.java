package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.PushSource;
import org.rtc4j.sdp.Direction;
import org.rtc4j.sdp.MediaDescription;
import org.rtc4j.sdp.SessionDescription;

/** The transceiver API on one connection (W3C section 5): what offers say of it, and the spec's errors. */
@Timeout(30)
class TransceiverApiTest {

    @Test
    void addTransceiverDirectionsPreferencesAndStop() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            RTCRtpTransceiver audio = pc.addTransceiver("audio",
                    RTCRtpTransceiverInit.defaults().withDirection(RTCRtpTransceiverDirection.RECVONLY));
            PushSource camera = new PushSource(MediaKind.VIDEO, "camera");
            MediaStream stream = new MediaStream();
            RTCRtpTransceiver video = pc.addTransceiver(camera.createTrack(),
                    RTCRtpTransceiverInit.defaults().withStreams(stream));
            assertThat(audio.mid()).isNull();
            assertThat(audio.currentDirection()).isNull();
            assertThat(pc.getSenders()).hasSize(2);
            assertThat(pc.getReceivers()).extracting(r -> r.track().kind()).containsExactly(MediaKind.AUDIO,
                    MediaKind.VIDEO);
            RTCRtpCodec pcmu = RTCRtpReceiver.getCapabilities("audio").codecs().stream()
                    .filter(c -> c.mimeType().equals("audio/PCMU")).findFirst().orElseThrow();
            audio.setCodecPreferences(List.of(pcmu));

            SessionDescription offer = SessionDescription.parse(pc.createOffer().join().sdp());
            MediaDescription a = offer.mediaByMid(audio.mid()).orElseThrow();
            MediaDescription v = offer.mediaByMid(video.mid()).orElseThrow();
            assertThat(offer.directionOf(a)).isEqualTo(Direction.RECVONLY);
            assertThat(a.codecs()).extracting(c -> c.name()).containsExactly("PCMU");
            assertThat(offer.directionOf(v)).isEqualTo(Direction.SENDRECV);
            assertThat(v.msids()).extracting(m -> m.streamId()).containsExactly(stream.id());
            assertThat(v.ssrcGroups()).extracting(g -> g.semantics()).containsExactly("FID");
            assertThat(offer.bundleGroupOf(video.mid()).orElseThrow().mids()).contains("0", audio.mid(), video.mid());

            video.stop();
            assertThat(video.direction()).isEqualTo(RTCRtpTransceiverDirection.STOPPED);
            assertThat(video.sender().track()).isNull();
            // never negotiated, a stopped transceiver gets no m= section at all (RFC 9429 section 5.2.2)
            SessionDescription again = SessionDescription.parse(pc.createOffer().join().sdp());
            assertThat(again.mediaByMid(video.mid())).isEmpty();
            assertThat(again.media()).extracting(MediaDescription::kind).containsExactly("application", "audio");
        }
    }

    @Test
    void specErrors() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            assertThatThrownBy(() -> pc.addTransceiver("data")).isInstanceOf(TypeError.class);
            RTCRtpTransceiver t = pc.addTransceiver("video");
            assertThatThrownBy(() -> t.setCodecPreferences(List.of(new RTCRtpCodec("video/nope", 90000, 0, ""))))
                    .isInstanceOf(InvalidModificationError.class);
            PushSource mic = new PushSource(MediaKind.AUDIO, "mic");
            assertThatThrownBy(() -> t.sender().replaceTrack(mic.createTrack()).join()).hasCauseInstanceOf(TypeError.class);
            RTCRtpSendParameters p = t.sender().getParameters();
            assertThat(p.encodings()).hasSize(1);
            t.sender().getParameters();     // p is stale now
            assertThatThrownBy(() -> t.sender().setParameters(p).join())
                    .hasCauseInstanceOf(InvalidModificationError.class);
            RTCRtpSendParameters fresh = t.sender().getParameters();
            t.sender().setParameters(fresh.withEncodings(List.of(fresh.encodings().get(0).withActive(false)))).join();
            assertThat(t.sender().getParameters().encodings().get(0).active()).isFalse();
            RTCRtpSendParameters limits = t.sender().getParameters();
            RTCRtpEncodingParameters e = limits.encodings().get(0);
            t.sender().setParameters(limits.withEncodings(List.of(e.withMaxBitrate(500_000).withMaxFramerate(15)
                    .withScaleResolutionDownBy(2)))).join();
            assertThat(t.sender().getParameters().encodings()).singleElement().satisfies(x -> {
                assertThat(x.maxBitrate()).isEqualTo(500_000);
                assertThat(x.maxFramerate()).isEqualTo(15);
                assertThat(x.scaleResolutionDownBy()).isEqualTo(2);
            });
            RTCRtpSendParameters renamed = t.sender().getParameters();
            assertThatThrownBy(() -> t.sender().setParameters(renamed.withEncodings(List.of(
                    new RTCRtpEncodingParameters("x", true, 0, 0, 1)))).join())
                    .hasCauseInstanceOf(InvalidModificationError.class);
            assertThatThrownBy(() -> t.sender().setParameters(renamed.withEncodings(List.of(e, e))).join())
                    .hasCauseInstanceOf(InvalidModificationError.class);
            assertThatThrownBy(() -> e.withMaxFramerate(-1)).isInstanceOf(RangeError.class);
            assertThat(RTCRtpSender.getCapabilities("video").codecs()).extracting(RTCRtpCodec::mimeType)
                    .contains("video/VP8", "video/rtx");
            assertThat(RTCRtpSender.getCapabilities("data")).isNull();
            var track = mic.createTrack();
            pc.addTrack(track);
            assertThatThrownBy(() -> pc.addTrack(track)).isInstanceOf(InvalidAccessError.class);
            assertThatThrownBy(() -> new RTCRtpEncodingParameters(null, true, 0, 0, 0.5))
                    .isInstanceOf(RangeError.class);
        }
    }
}
