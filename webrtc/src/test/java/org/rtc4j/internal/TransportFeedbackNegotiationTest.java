package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rtc4j.InvalidAccessError;
import org.rtc4j.rtp.session.ExtensionIds;
import org.rtc4j.sdp.SessionDescription;

/**
 * An answer that accepts the transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01) in
 * any section of the bundle makes the RTP session read it on every received packet, for its transport-wide
 * feedback, while our own packets stay unnumbered; and a later description may not give its id another meaning.
 */
class TransportFeedbackNegotiationTest {

    private static final String TWCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    private static String answer(String videoExtmap) {
        return String.join("\r\n", "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE a v",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:a",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=sendrecv", "a=rtcp-mux",
                "a=rtpmap:111 opus/48000/2",
                "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:v",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", videoExtmap, "a=recvonly", "a=rtcp-mux",
                "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 transport-cc", "") + "\r\n";
    }

    @Test
    void theAnswersTransportWideNumberIsReadNotWritten() throws Exception {
        ExtensionIds ids = MediaNegotiation.extensionIds(SessionDescription.parse(answer("a=extmap:3 " + TWCC)));
        assertThat(ids.mid()).isEqualTo(4);
        assertThat(ids.receivedTransportSequence()).as("the video section's, for the whole transport").isEqualTo(3);
        assertThat(ids.transportSequence()).as("our packets unnumbered: the peer keeps sending REMB").isZero();

        ExtensionIds none = MediaNegotiation.extensionIds(SessionDescription.parse(answer("a=extmap:5 urn:x")));
        assertThat(none.receivedTransportSequence()).isZero();
    }

    @Test
    void itsIdKeepsItsMeaning() throws Exception {
        ExtensionIds inUse = MediaNegotiation.extensionIds(SessionDescription.parse(answer("a=extmap:3 " + TWCC)));
        MediaNegotiation.checkExtensionIds(SessionDescription.parse(answer("a=extmap:3 " + TWCC)), inUse);
        assertThatThrownBy(() -> MediaNegotiation.checkExtensionIds(
                SessionDescription.parse(answer("a=extmap:3 urn:ietf:params:rtp-hdrext:toffset")), inUse))
                .isInstanceOf(InvalidAccessError.class).hasMessageContaining("id 3");
    }
}
