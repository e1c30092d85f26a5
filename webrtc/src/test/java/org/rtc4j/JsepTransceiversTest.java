package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PushSource;
import org.rtc4j.sdp.MediaDescription;
import org.rtc4j.sdp.SessionDescription;

/**
 * JSEP with transceivers, offers and answers only (no media flows): m-lines of stopped transceivers recycled
 * (RFC 9429 section 5.2.2), rollback of transceivers (W3C section 4.4.1.5), and Firefox's offer and answer in the
 * form Firefox 128 writes them, read through the W3C API.
 */
@Timeout(30)
class JsepTransceiversTest {

    @Test
    void aStoppedTransceiverLeavesAndANewOneRecyclesItsMLine() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            RTCRtpTransceiver audio = pc1.addTransceiver("audio");
            RTCRtpTransceiver video = pc1.addTransceiver("video");
            negotiate(pc1, pc2);
            assertThat(pc2.getTransceivers()).extracting(RTCRtpTransceiver::mid).containsExactly("1", "2");
            RTCRtpTransceiver remoteVideo = pc2.getTransceivers().get(1);

            video.stop();
            negotiate(pc1, pc2);
            SessionDescription offer = parse(pc2.remoteDescription());
            assertThat(offer.media()).hasSize(3);
            assertThat(offer.media().get(2).isRejected()).isTrue();
            // W3C section 4.4.1.6: stopped and negotiated away, the transceivers leave both connections
            assertThat(pc1.getTransceivers()).containsExactly(audio);
            assertThat(pc2.getTransceivers()).extracting(RTCRtpTransceiver::mid).containsExactly("1");
            assertThat(remoteVideo.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.STOPPED);
            assertThat(remoteVideo.receiver().track().readyState().toString()).isEqualToIgnoringCase("ended");

            // a later offer keeps the rejected m-line in place; a new transceiver takes it with a new mid
            SessionDescription kept = parse(pc1.createOffer().join());
            assertThat(kept.media()).extracting(MediaDescription::kind).containsExactly("application", "audio", "video");
            assertThat(kept.media().get(2).isRejected()).isTrue();
            RTCRtpTransceiver added = pc1.addTransceiver("audio");
            negotiate(pc1, pc2);
            SessionDescription recycled = parse(pc1.localDescription());
            assertThat(recycled.media()).extracting(MediaDescription::kind).containsExactly("application", "audio", "audio");
            assertThat(added.mid()).isNotIn("0", "1", "2");
            assertThat(recycled.media().get(2).mid()).contains(added.mid());
            assertThat(recycled.media().get(2).isRejected()).isFalse();
            assertThat(recycled.bundleGroupOf(added.mid())).isPresent();
            assertThat(pc2.getTransceivers()).extracting(RTCRtpTransceiver::mid).containsExactly("1", added.mid());
            assertThat(added.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.SENDONLY);
        }
    }

    @Test
    void rollingBackARemoteOfferRemovesItsTransceiversAndMids() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            pc1.addTransceiver("audio");
            pc1.addTransceiver("video");
            PushSource mic = new PushSource(MediaKind.AUDIO, "mic");
            RTCRtpSender ours = pc2.addTrack(mic.createTrack());
            RTCRtpTransceiver own = pc2.getTransceivers().get(0);
            List<RTCTrackEvent> tracks = new CopyOnWriteArrayList<>();
            pc2.onTrack(tracks::add);

            pc2.setRemoteDescription(pc1.createOffer().join()).join();
            assertThat(pc2.getTransceivers()).hasSize(2);
            assertThat(own.mid()).as("addTrack's transceiver takes the audio section").isEqualTo("1");
            RTCRtpTransceiver created = pc2.getTransceivers().get(1);
            assertThat(created.mid()).isEqualTo("2");

            pc2.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ROLLBACK, "")).join();
            assertThat(pc2.signalingState()).isEqualTo(RTCSignalingState.STABLE);
            assertThat(pc2.getTransceivers()).as("the offer's own transceiver is gone").containsExactly(own);
            assertThat(own.mid()).isNull();
            assertThat(own.sender()).isSameAs(ours);
            assertThat(ours.track()).isNotNull();

            // a local offer rolled back gives its mids back too; the next negotiation works from scratch
            RTCRtpTransceiver video = pc2.addTransceiver("video");
            pc2.setLocalDescription().join();
            assertThat(video.mid()).isNotNull();
            pc2.setLocalDescription(new RTCSessionDescription(RTCSdpType.ROLLBACK, "")).join();
            assertThat(video.mid()).isNull();
            assertThat(own.mid()).isNull();
            negotiate(pc1, pc2);
            assertThat(pc2.getTransceivers()).extracting(RTCRtpTransceiver::mid).containsExactly("1", "2");
            assertThat(pc2.getTransceivers().get(1)).isSameAs(video);
            assertThat(video.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.SENDRECV);
        }
    }

    @Test
    void firefoxOfferIsAnsweredAndItsSimulcastReceived() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            List<RTCTrackEvent> tracks = new CopyOnWriteArrayList<>();
            pc.onTrack(tracks::add);
            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, resource("firefox-media-offer.sdp")))
                    .join();
            assertThat(pc.getTransceivers()).extracting(RTCRtpTransceiver::mid).containsExactly("0", "1");
            assertThat(tracks).hasSize(2);
            assertThat(tracks.get(0).streams().get(0).id()).isEqualTo("{3c8a9f12-6d4b-4e7a-b1c5-92f0e3a7d6b8}");

            pc.setLocalDescription().join();
            SessionDescription answer = parse(pc.localDescription());
            assertThat(answer.groups().get(0).mids()).containsExactly("0", "1", "2");
            MediaDescription audio = answer.mediaByMid("0").orElseThrow();
            assertThat(audio.codecs()).extracting(c -> c.payloadType()).startsWith(109);
            MediaDescription video = answer.mediaByMid("1").orElseThrow();
            assertThat(video.simulcast().orElseThrow().receive()).isNotEmpty();
            assertThat(video.rids()).extracting(r -> r.id()).containsExactly("a", "b");
            RTCRtpTransceiver v = pc.getTransceivers().get(1);
            assertThat(v.model.receiveRid).as("the first simulcast stream feeds the track").isEqualTo("a");
            assertThat(v.model.codecs).extracting(c -> c.name()).contains("VP8", "VP9", "H264");
            assertThat(v.receiver().getParameters().codecs().get(0).codec().mimeType()).isEqualTo("video/VP8");
            assertThat(v.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.RECVONLY);
        }
    }

    @Test
    void firefoxAnswerSettlesDirectionsCodecsAndTracks() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            pc.createDataChannel("chat");
            PushSource mic = new PushSource(MediaKind.AUDIO, "mic");
            MediaStreamTrack track = mic.createTrack();
            RTCRtpTransceiver audio = pc.addTransceiver(track, RTCRtpTransceiverInit.defaults());
            RTCRtpTransceiver video = pc.addTransceiver("video");
            List<RTCTrackEvent> tracks = new CopyOnWriteArrayList<>();
            pc.onTrack(tracks::add);
            pc.setLocalDescription().join();
            assertThat(parse(pc.localDescription()).media()).extracting(m -> m.mid().orElseThrow())
                    .containsExactly("0", "1", "2");

            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, resource("firefox-media-answer.sdp")))
                    .join();
            assertThat(pc.signalingState()).isEqualTo(RTCSignalingState.STABLE);
            assertThat(audio.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.SENDONLY);
            assertThat(video.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.SENDRECV);
            assertThat(audio.sender().getParameters().codecs()).extracting(c -> c.codec().mimeType())
                    .containsExactly("audio/opus", "audio/G722", "audio/PCMU", "audio/PCMA", "audio/telephone-event");
            assertThat(audio.model.codecs).extracting(c -> c.name())
                    .containsExactly("opus", "G722", "PCMU", "PCMA", "telephone-event");
            assertThat(video.sender().getParameters().codecs()).extracting(c -> c.payloadType())
                    .containsExactly(96, 97, 98, 99);
            assertThat(video.model.codecs).extracting(c -> c.name()).containsExactly("VP8", "VP9");
            assertThat(tracks).singleElement().satisfies(e -> {
                assertThat(e.transceiver()).isSameAs(video);
                assertThat(e.streams().get(0).id()).isEqualTo("{5a2c7e91-3b8d-4f6a-a1c4-e7d92b0f3856}");
            });
        }
    }

    /**
     * An offer whose video section has its own ICE credentials and port under the one BUNDLE group (RFC 9143
     * allows it), and gives header-extension id 1 a second meaning (RFC 8285 forbids it under BUNDLE; deployed
     * stacks do it): accepted, answered on the first section's transport, the clashing extension left out.
     */
    @Test
    void anOfferWithATransportPerSectionAndAClashingExtensionIdIsAccepted() throws Exception {
        String offer = resource("firefox-media-offer.sdp");
        int video = offer.indexOf("m=video");
        int data = offer.indexOf("m=application");
        String section = offer.substring(video, data)
                .replace("m=video 9 ", "m=video 50000 ")
                .replace("a=ice-ufrag:4f8e2a1c", "a=ice-ufrag:v1de0sec")
                .replace("a=ice-pwd:7c9a1b3e5d8f0a2c4e6b8d1f3a5c7e9b", "a=ice-pwd:0123456789abcdef0123456789abcdef")
                .replace("a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                        "a=extmap:1 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        offer = offer.substring(0, video) + section + offer.substring(data);
        try (var pc = new RTCPeerConnection()) {
            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer)).join();
            pc.setLocalDescription().join();
            SessionDescription answer = parse(pc.localDescription());
            assertThat(answer.groups().get(0).mids()).containsExactly("0", "1", "2");
            assertThat(answer.media()).extracting(m -> m.mediaLine().port()).containsOnly(9);
            assertThat(answer.headerExtensions(answer.mediaByMid("0").orElseThrow()))
                    .anySatisfy(h -> assertThat(h.id()).isEqualTo(1));
            assertThat(answer.headerExtensions(answer.mediaByMid("1").orElseThrow()))
                    .noneSatisfy(h -> assertThat(h.id()).isEqualTo(1));
            assertThat(pc.getTransceivers()).extracting(RTCRtpTransceiver::currentDirection)
                    .containsOnly(RTCRtpTransceiverDirection.RECVONLY);
            // the video section's own candidates are for a transport BUNDLE leaves unused: ignored, no error
            pc.addIceCandidate(new RTCIceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "1", 1,
                    "v1de0sec")).join();
            assertThatThrownBy(() -> pc.addIceCandidate(new RTCIceCandidate(
                    "candidate:1 1 udp 2122260223 127.0.0.1 50002 typ host", "9", null, null)).join())
                    .hasCauseInstanceOf(OperationError.class);
        }
    }

    /** One offer/answer exchange, signaling only. */
    /**
     * RFC 9429 sections 5.2.1 and 5.3.1: a transceiver a remote offer made has no stream, so its section says
     * {@code a=msid:-}, also once replaceTrack gives it a track, and with no track id (appdata) written; one that
     * addTrack gave streams names each.
     */
    @Test
    void aRemoteMadeTransceiverSendsInNoStreamAndStreamsAreNamedWithoutTrackIds() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            pc1.addTransceiver("audio");
            pc1.addTransceiver("video");
            pc1.setLocalDescription().join();
            pc2.setRemoteDescription(pc1.localDescription()).join();
            RTCRtpTransceiver audio = pc2.getTransceivers().get(0);
            audio.sender().replaceTrack(new PushSource(MediaKind.AUDIO, "mic").createTrack()).join();
            audio.setDirection(RTCRtpTransceiverDirection.SENDRECV);
            org.rtc4j.media.MediaStream stream = new org.rtc4j.media.MediaStream(List.of());
            RTCRtpSender video = pc2.addTrack(new PushSource(MediaKind.VIDEO, "camera").createTrack(), stream);
            assertThat(video).isSameAs(pc2.getTransceivers().get(1).sender());
            pc2.setLocalDescription().join();
            SessionDescription answer = parse(pc2.localDescription());
            assertThat(answer.media().get(1).msids()).containsExactly(new org.rtc4j.sdp.Msid("-", ""));
            assertThat(answer.media().get(2).msids()).containsExactly(new org.rtc4j.sdp.Msid(stream.id(), ""));
            assertThat(pc2.localDescription().sdp()).contains("a=msid:-\r\n", "a=msid:" + stream.id() + "\r\n");

            // the offerer's track events: no stream for audio, the named one for video
            List<RTCTrackEvent> tracks = new CopyOnWriteArrayList<>();
            pc1.onTrack(tracks::add);
            pc1.setRemoteDescription(pc2.localDescription()).join();
            assertThat(tracks).hasSize(2);
            assertThat(tracks.get(0).streams()).isEmpty();
            assertThat(tracks.get(1).streams()).extracting(org.rtc4j.media.MediaStream::id).containsExactly(stream.id());
        }
    }

    static void negotiate(RTCPeerConnection offerer, RTCPeerConnection answerer) {
        offerer.setLocalDescription().join();
        answerer.setRemoteDescription(offerer.localDescription()).join();
        answerer.setLocalDescription().join();
        offerer.setRemoteDescription(answerer.localDescription()).join();
    }

    static SessionDescription parse(RTCSessionDescription d) throws Exception {
        return SessionDescription.parse(d.sdp());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = JsepTransceiversTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
