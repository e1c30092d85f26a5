package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An offer in the legacy data-channel form (draft-ietf-mmusic-sctp-sdp-05: {@code DTLS/SCTP 5000} with
 * {@code a=sctpmap}), still sent by deployed stacks: answered in the same form, and the call works.
 */
@Timeout(60)
class LegacySdpTest {

    /** A standard data-channel offer rewritten as the deployed stacks write the legacy form. */
    static String legacy(String sdp) {
        return sdp.replace(" UDP/DTLS/SCTP webrtc-datachannel", " DTLS/SCTP 5000")
                .replace("a=sctp-port:5000\r\n", "a=sctpmap:5000 webrtc-datachannel 1024\r\n")
                .replaceAll("a=max-message-size:[0-9]+\r\n", "");
    }

    @Test
    void aLegacyOfferIsAnsweredInItsFormAndConnects() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            var got = new LinkedBlockingQueue<String>();
            RTCDataChannel chat = pc1.createDataChannel("chat");
            pc2.onDataChannel(ch -> ch.onMessage(m -> got.add(m.text())));
            chat.onOpen(() -> chat.send("hello over the legacy form"));

            pc1.setLocalDescription().join();
            String offer = legacy(pc1.localDescription().sdp());
            assertThat(offer).contains("m=application 9 DTLS/SCTP 5000").contains("a=sctpmap:5000 webrtc-datachannel");
            pc2.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer)).join();
            pc2.setLocalDescription().join();
            String answer = pc2.localDescription().sdp();
            assertThat(answer).contains(" DTLS/SCTP 5000\r\n").contains("a=sctpmap:5000 webrtc-datachannel")
                    .doesNotContain("a=sctp-port");
            pc1.setRemoteDescription(pc2.localDescription()).join();
            pc1.onIceCandidate(c -> pc2.addIceCandidate(c));
            pc2.onIceCandidate(c -> pc1.addIceCandidate(c));

            assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("hello over the legacy form");
        }
    }
}
