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
            // W3C section 5.2, setParameters validation steps: the numbers' ranges
            for (RTCRtpEncodingParameters bad : List.of(e.withMaxFramerate(-1), e.withScaleResolutionDownBy(0.5),
                    e.withMaxBitrate(-1))) {
                RTCRtpSendParameters q = t.sender().getParameters();
                assertThatThrownBy(() -> t.sender().setParameters(q.withEncodings(List.of(bad))).join())
                        .hasCauseInstanceOf(RangeError.class);
            }
            assertThat(RTCRtpSender.getCapabilities("video").codecs()).extracting(RTCRtpCodec::mimeType)
                    .contains("video/VP8", "video/rtx");
            assertThat(RTCRtpSender.getCapabilities("data")).isNull();
            var track = mic.createTrack();
            pc.addTrack(track);
            assertThatThrownBy(() -> pc.addTrack(track)).isInstanceOf(InvalidAccessError.class);
            // audio has no scaleResolutionDownBy or maxFramerate: set ones are removed, unchecked
            RTCRtpSender audio = pc.getSenders().get(1);
            RTCRtpSendParameters a = audio.getParameters();
            audio.setParameters(a.withEncodings(List.of(a.encodings().get(0).withScaleResolutionDownBy(0.5)
                    .withMaxFramerate(-1).withMaxBitrate(64_000)))).join();
            assertThat(audio.getParameters().encodings()).containsExactly(
                    RTCRtpEncodingParameters.defaults().withMaxBitrate(64_000));
        }
    }

    /**
     * addTransceiver's sendEncodings (W3C section 4.4.1.8, the "addTransceiver sendEncodings validation steps"):
     * what getParameters gives back, and the errors, thrown before any transceiver is made.
     */
    @Test
    void addTransceiverChecksAndKeepsTheSendEncodings() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            RTCRtpEncodingParameters limited = RTCRtpEncodingParameters.defaults().withActive(false)
                    .withMaxBitrate(300_000).withMaxFramerate(15).withScaleResolutionDownBy(2);
            var init = RTCRtpTransceiverInit.defaults();
            RTCRtpTransceiver video = pc.addTransceiver("video", init.withSendEncodings(limited));
            assertThat(video.sender().getParameters().encodings()).containsExactly(limited);
            PushSource camera = new PushSource(MediaKind.VIDEO, "camera");
            RTCRtpTransceiver withTrack = pc.addTransceiver(camera.createTrack(), init.withSendEncodings(limited));
            assertThat(withTrack.sender().getParameters().encodings()).containsExactly(limited);

            // one encoding is sent (simulcast is received only): trimmed from the tail, and a lone one has no rid
            RTCRtpTransceiver layers = pc.addTransceiver("video", init.withSendEncodings(limited.withRid("hi"),
                    RTCRtpEncodingParameters.defaults().withRid("mid-1"), RTCRtpEncodingParameters.defaults()
                            .withRid("lo_2")));
            assertThat(layers.sender().getParameters().encodings()).containsExactly(limited);
            RTCRtpTransceiver named = pc.addTransceiver("video", init.withSendEncodings(limited.withRid("q")));
            assertThat(named.sender().getParameters().encodings()).containsExactly(limited);
            // audio: scaleResolutionDownBy and maxFramerate removed before they are checked
            RTCRtpTransceiver audio = pc.addTransceiver("audio", init.withSendEncodings(RTCRtpEncodingParameters
                    .defaults().withMaxBitrate(32_000).withMaxFramerate(-10).withScaleResolutionDownBy(0.5)));
            assertThat(audio.sender().getParameters().encodings()).containsExactly(
                    RTCRtpEncodingParameters.defaults().withMaxBitrate(32_000));

            int made = pc.getTransceivers().size();
            RTCRtpEncodingParameters e = RTCRtpEncodingParameters.defaults();
            for (RTCRtpEncodingParameters[] bad : List.of(
                    new RTCRtpEncodingParameters[] {e.withRid("a b")},                 // RFC 8851 section 10
                    new RTCRtpEncodingParameters[] {e.withRid("")},
                    new RTCRtpEncodingParameters[] {e.withRid("a"), e},                // some but not all
                    new RTCRtpEncodingParameters[] {e.withRid("a"), e.withRid("a")},   // a rid twice
                    new RTCRtpEncodingParameters[] {e.withMaxFramerate(Double.NaN)})) {
                assertThatThrownBy(() -> pc.addTransceiver("video", init.withSendEncodings(bad)))
                        .as(List.of(bad).toString()).isInstanceOf(TypeError.class);
            }
            for (RTCRtpEncodingParameters bad : List.of(e.withScaleResolutionDownBy(0.99), e.withMaxFramerate(-1),
                    e.withMaxBitrate(-1))) {
                assertThatThrownBy(() -> pc.addTransceiver("video", init.withSendEncodings(bad)))
                        .as(bad.toString()).isInstanceOf(RangeError.class);
            }
            assertThatThrownBy(() -> pc.addTransceiver(camera.createTrack(),
                    init.withSendEncodings(e.withScaleResolutionDownBy(0)))).isInstanceOf(RangeError.class);
            assertThat(pc.getTransceivers()).hasSize(made);
        }
    }
}
