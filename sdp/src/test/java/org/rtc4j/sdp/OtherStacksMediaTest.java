package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Media offers in the forms Firefox and Pion write them (written after their known output: Firefox's
 * session-level fingerprint, extmap directions, fmtp before rtpmap, simulcast with rids and FID groups per
 * layer; Pion's rtcp-fb with a trailing space, ssrc labels, recvonly audio), read and answered.
 */
class OtherStacksMediaTest {

    private static final RtpCapabilities AUDIO = RtpCapabilities.defaultAudio();
    private static final RtpCapabilities VIDEO = RtpCapabilities.defaultVideo();

    private static List<String> codecs(List<RtpCodecParameters> c) {
        return c.stream().map(x -> x.payloadType() + " " + x.name() + (x.sdpFmtpLine().isEmpty() ? "" : " " + x.sdpFmtpLine())).toList();
    }

    private static SessionDescription answer(SessionDescription offer) throws SdpParseException {
        JsepBuilder b = MediaJsepTest.local(JsepBuilder.answer(offer));
        for (MediaDescription m : offer.media()) {
            if (m.isRtp()) {
                b.media(TransceiverSection.answer(offer, m, Direction.SENDRECV, RtpCapabilities.defaults(m.kind()), false));
            }
        }
        return b.build();
    }

    @Test
    void firefoxOfferReadsRight() throws SdpParseException {
        SessionDescription sd = Captured.parse("firefox-media-offer.sdp");
        TransportParameters t = TransportParameters.read(sd);
        assertThat(t.mid()).isEqualTo("0");
        assertThat(t.fingerprints()).singleElement().satisfies(f -> assertThat(f.hex()).startsWith("5E:21"));
        assertThat(t.trickle()).isTrue();
        MediaDescription audio = sd.media().get(0);
        MediaDescription video = sd.media().get(1);
        assertThat(codecs(audio.codecs())).containsExactly("109 opus maxplaybackrate=48000;stereo=1;useinbandfec=1",
                "9 G722", "0 PCMU", "8 PCMA", "101 telephone-event 0-15");
        assertThat(codecs(video.codecs())).containsExactly("120 VP8 max-fs=12288;max-fr=60", "124 rtx apt=120",
                "121 VP9 max-fs=12288;max-fr=60", "125 rtx apt=121",
                "126 H264 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1", "127 rtx apt=126",
                "97 H264 profile-level-id=42e01f;level-asymmetry-allowed=1", "98 rtx apt=97", "123 ulpfec", "122 red",
                "119 rtx apt=122");
        assertThat(video.codecs().get(0).rtcpFeedback()).containsExactly(RtcpFeedback.NACK, RtcpFeedback.NACK_PLI,
                RtcpFeedback.CCM_FIR, RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC);
        assertThat(video.headerExtensions()).contains(new HeaderExtension(6,
                "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", Direction.RECVONLY, ""));
        assertThat(sd.directionOf(video)).isEqualTo(Direction.SENDRECV);
        assertThat(video.rids()).extracting(Rid::id).containsExactly("a", "b");
        assertThat(video.simulcast().orElseThrow().send()).hasSize(2);
        assertThat(video.ssrcGroups()).hasSize(2);
        assertThat(video.rtxSsrcOf(3311709590L)).isEqualTo(1480225403L);
        assertThat(audio.msids()).singleElement().satisfies(m -> assertThat(m.streamId()).startsWith("{3c8a"));
    }

    @Test
    void firefoxOfferIsAnsweredWithItsPayloadTypesAndIds() throws SdpParseException {
        SessionDescription offer = Captured.parse("firefox-media-offer.sdp");
        SessionDescription answer = answer(offer);
        assertThat(answer.groups()).containsExactly(new Group("BUNDLE", List.of("0", "1", "2")));
        assertThat(answer.extmapAllowMixed()).as("Firefox did not offer it").isFalse();
        MediaDescription audio = answer.media().get(0);
        MediaDescription video = answer.media().get(1);
        assertThat(codecs(audio.codecs())).containsExactly("109 opus minptime=10;useinbandfec=1", "9 G722", "0 PCMU",
                "8 PCMA", "101 telephone-event");
        // VP9 without profile-id is profile 0; H.264 97 without packetization-mode is mode 0; red, ulpfec and the
        // RTX of red are not ours
        assertThat(codecs(video.codecs())).containsExactly("120 VP8", "124 rtx apt=120", "121 VP9 profile-id=0",
                "125 rtx apt=121", "126 H264 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "127 rtx apt=126", "97 H264 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f",
                "98 rtx apt=97");
        assertThat(audio.headerExtensions()).containsExactly(new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL),
                new HeaderExtension(3, HeaderExtension.SDES_MID));
        assertThat(video.headerExtensions()).extracting(HeaderExtension::id).containsExactly(3, 4, 5, 7);
        // Firefox's simulcast is accepted in reverse (RFC 8853 section 5.3)
        assertThat(video.rids()).containsExactly(new Rid("a", false, List.of(), Map.of()), new Rid("b", false, List.of(), Map.of()));
        assertThat(video.simulcast()).map(Simulcast::toString).contains("recv a;b");
        assertThat(audio.rids()).isEmpty();
        assertThat(DataChannelParameters.read(answer).mid()).isEqualTo("2");
    }

    @Test
    void pionOfferReadsRightAndIsAnswered() throws SdpParseException {
        SessionDescription offer = Captured.parse("pion-media-offer.sdp");
        MediaDescription video = offer.media().get(0);
        MediaDescription audio = offer.media().get(1);
        // "a=rtcp-fb:96 goog-remb " with Pion's trailing space is goog-remb without a parameter
        assertThat(video.codecs().get(0).rtcpFeedback()).containsExactly(RtcpFeedback.GOOG_REMB, RtcpFeedback.CCM_FIR,
                RtcpFeedback.NACK, RtcpFeedback.NACK_PLI, RtcpFeedback.TRANSPORT_CC);
        assertThat(video.ssrcs()).extracting(Ssrc::attribute).containsExactly("cname", "msid", "mslabel", "label");
        assertThat(video.msids()).containsExactly(new Msid("pion", "video"));
        assertThat(offer.directionOf(audio)).isEqualTo(Direction.RECVONLY);
        assertThat(offer.extmapAllowMixed(audio)).isTrue();
        assertThat(TransportParameters.read(offer).candidates()).hasSize(2);
        assertThat(TransportParameters.read(offer).endOfCandidates()).isTrue();

        SessionDescription answer = answer(offer);
        assertThat(answer.extmapAllowMixed()).isTrue();
        MediaDescription v = answer.media().get(0);
        MediaDescription a = answer.media().get(1);
        assertThat(answer.directionOf(a)).as("Pion's recvonly audio").isEqualTo(Direction.SENDONLY);
        assertThat(v.headerExtensions()).containsExactly(new HeaderExtension(1, HeaderExtension.TRANSPORT_CC));
        assertThat(a.headerExtensions()).containsExactly(new HeaderExtension(1, HeaderExtension.TRANSPORT_CC));
        assertThat(v.codecs()).extracting(RtpCodecParameters::payloadType)
                .containsExactly(96, 97, 102, 103, 104, 105, 106, 107, 108, 109, 127, 125, 39, 40, 45, 46, 98, 99, 100, 101);
        // feedback both ends support, in our order
        assertThat(v.codecs().get(0).rtcpFeedback()).containsExactly(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC,
                RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);
        assertThat(v.codecs().get(6).rtcpFeedback()).containsExactly(RtcpFeedback.NACK);
        assertThat(v.codecs().get(16).parameters()).isEqualTo(Map.of("profile-id", "0"));
        assertThat(codecs(a.codecs())).containsExactly("111 opus minptime=10;useinbandfec=1", "9 G722", "0 PCMU", "8 PCMA");
    }
}
