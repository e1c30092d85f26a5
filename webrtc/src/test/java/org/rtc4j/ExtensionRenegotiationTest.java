package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.SyntheticAudio;
import org.rtc4j.sdp.ExtensionNegotiation;
import org.rtc4j.sdp.HeaderExtension;
import org.rtc4j.sdp.SessionDescription;

/**
 * Header extensions follow each negotiation (RFC 8285 section 6, RFC 9429 section 5.2.2): a call that starts with
 * video alone has no audio level extension; audio added later by a renegotiation, offered by the side that
 * answered first, negotiates it, and the tone's level (RFC 6464) reaches each side's receiver while the ids of
 * the first negotiation keep their meaning.
 */
@Timeout(60)
class ExtensionRenegotiationTest {

    @Test
    void audioAddedAfterVideoCarriesItsLevelBothWays() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            pc1.addTransceiver("video", RTCRtpTransceiverInit.defaults());
            PeerPair.connect(pc1, pc2);
            MediaPeersTest.await(() -> pc1.connectionState() == RTCPeerConnectionState.CONNECTED);
            var first = ExtensionNegotiation.idsInUse(SessionDescription.parse(pc2.localDescription().sdp()));
            assertThat(first).doesNotContainValue(HeaderExtension.AUDIO_LEVEL);

            PushSource mic1 = new PushSource(MediaKind.AUDIO, "tone 1");
            PushSource mic2 = new PushSource(MediaKind.AUDIO, "tone 2");
            pc1.addTrack(mic1.createTrack());
            pc2.addTrack(mic2.createTrack());
            // the answerer of the first negotiation offers now: its offer keeps the ids in use
            pc2.setLocalDescription().join();
            pc1.setRemoteDescription(pc2.localDescription()).join();
            pc1.setLocalDescription().join();
            pc2.setRemoteDescription(pc1.localDescription()).join();
            var later = ExtensionNegotiation.idsInUse(SessionDescription.parse(pc1.localDescription().sdp()));
            assertThat(later).containsAllEntriesOf(first).containsValue(HeaderExtension.AUDIO_LEVEL);

            AtomicBoolean talking = new AtomicBoolean(true);
            Thread tone = Thread.ofVirtual().start(() -> talk(List.of(mic1, mic2), talking));
            try {
                for (RTCPeerConnection pc : List.of(pc1, pc2)) {
                    RTCRtpReceiver audio = pc.getReceivers().stream()
                            .filter(r -> r.track().kind() == MediaKind.AUDIO).findFirst().orElseThrow();
                    MediaPeersTest.await(() -> audio.getSynchronizationSources().stream()
                            .anyMatch(s -> s.audioLevel() != null));
                    // a sine at a tenth of full scale, -23 dBov: about 0.07 on the W3C linear scale
                    assertThat(audio.getSynchronizationSources()).singleElement()
                            .satisfies(s -> assertThat(s.audioLevel()).isBetween(0.05, 0.6));
                }
            } finally {
                talking.set(false);
                tone.join();
            }
        }
    }

    /**
     * A peer's later offer that gives the id of the MID extension, in use, to another extension is refused
     * (RFC 8285 section 6); the call goes on in the state it was in.
     */
    @Test
    void aLaterOfferThatChangesTheMeaningOfAnIdInUseIsRefused() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            pc1.addTransceiver("video", RTCRtpTransceiverInit.defaults());
            PeerPair.connect(pc1, pc2);
            pc1.addTransceiver("audio", RTCRtpTransceiverInit.defaults());
            pc1.setLocalDescription().join();
            String offer = pc1.localDescription().sdp();
            int mid = ExtensionNegotiation.idsInUse(SessionDescription.parse(offer)).entrySet().stream()
                    .filter(e -> e.getValue().equals(HeaderExtension.SDES_MID)).findFirst().orElseThrow().getKey();
            String remapped = offer.replace("a=extmap:" + mid + " " + HeaderExtension.SDES_MID,
                    "a=extmap:" + mid + " " + HeaderExtension.TOFFSET);
            var refused = pc2.setRemoteDescription(RTCSessionDescription.offer(remapped));
            org.assertj.core.api.Assertions.assertThatThrownBy(refused::join).hasCauseInstanceOf(InvalidAccessError.class)
                    .hasMessageContaining(HeaderExtension.SDES_MID);
            assertThat(pc2.signalingState()).isEqualTo(RTCSignalingState.STABLE);
            pc2.setRemoteDescription(pc1.localDescription()).join();
            assertThat(pc2.signalingState()).isEqualTo(RTCSignalingState.HAVE_REMOTE_OFFER);
        }
    }

    /** 10 ms of a 440 Hz tone into each microphone, raw (the senders encode it and measure its level). */
    private static void talk(List<PushSource> mics, AtomicBoolean talking) {
        SyntheticAudio sine = new SyntheticAudio(48_000, 1, 440);
        for (long n = 0; talking.get(); n += 480) {
            for (PushSource mic : mics) {
                mic.push(sine.frame(n, 480));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
