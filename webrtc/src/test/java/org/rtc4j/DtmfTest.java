package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.PushSource;

/**
 * DTMF between two connections in one JVM over loopback (W3C section 7, RFC 4733): tones inserted on one side's
 * RTCDTMFSender arrive at the other's receiver with the durations asked for, in order, while audio flows.
 */
@Timeout(60)
class DtmfTest {

    @Test
    void tonesArriveWithTheirDurationsAndTonechangeFires() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
            RTCRtpSender sender = pc1.addTrack(mic.createTrack());
            RTCDTMFSender dtmf = sender.dtmf();
            assertThat(dtmf).isNotNull();
            assertThat(dtmf.canInsertDTMF()).as("before negotiation").isFalse();
            List<RTCReceivedDtmfTone> received = new CopyOnWriteArrayList<>();
            pc2.onTrack(e -> e.receiver().onDtmf(received::add));
            PeerPair.connect(pc1, pc2);
            MediaPeersTest.await(() -> pc1.connectionState() == RTCPeerConnectionState.CONNECTED);

            AtomicBoolean talking = new AtomicBoolean(true);
            Thread audio = Thread.ofVirtual().start(() -> ChromiumRenegotiationTest.talk(mic, talking));
            try {
                MediaPeersTest.await(() -> !pc2.getStats().join().ofType("inbound-rtp").isEmpty());
                assertThat(dtmf.canInsertDTMF()).isTrue();
                assertThatThrownBy(() -> dtmf.insertDTMF("12E")).isInstanceOf(InvalidCharacterError.class);
                List<String> changes = new CopyOnWriteArrayList<>();
                dtmf.onToneChange(e -> changes.add(e.tone()));
                dtmf.insertDTMF("1a#9", 160, 40);
                assertThat("1A#9").as("upper case, played from the front").endsWith(dtmf.toneBuffer());
                // one tone longer than a 16-bit duration at 48 kHz: sent in two segments
                MediaPeersTest.await(() -> changes.contains(""));
                dtmf.insertDTMF("*", 2000, 30);
                MediaPeersTest.await(() -> received.size() == 5 && changes.size() == 7);
                assertThat(changes).containsExactly("1", "A", "#", "9", "", "*", "");
                assertThat(dtmf.toneBuffer()).isEmpty();
            } finally {
                talking.set(false);
                audio.join();
            }
            assertThat(received).extracting(RTCReceivedDtmfTone::tone).containsExactly("1", "A", "#", "9", "*");
            assertThat(received.subList(0, 4)).extracting(RTCReceivedDtmfTone::duration)
                    .containsOnly(Duration.ofMillis(160));
            assertThat(received.get(4).duration()).isEqualTo(Duration.ofMillis(2000));
            assertThat(pc1.getTransceivers().get(0).sender().dtmf()).isSameAs(dtmf);
        }
    }

    @Test
    void insertDtmfOnAStoppedTransceiverIsAnInvalidStateError() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            RTCRtpTransceiver t = pc.addTransceiver("audio");
            assertThat(pc.addTransceiver("video").sender().dtmf()).isNull();
            t.stop();
            assertThatThrownBy(() -> t.sender().dtmf().insertDTMF("1")).isInstanceOf(InvalidStateError.class);
            assertThat(t.sender().dtmf().canInsertDTMF()).isFalse();
        }
    }
}
