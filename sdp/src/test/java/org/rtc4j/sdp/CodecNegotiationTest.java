package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Codec and header-extension negotiation, rule by rule, and against Chromium's captured offer. */
class CodecNegotiationTest {

    private static final List<RtpCodecParameters> VIDEO = RtpCapabilities.defaultVideo().codecs();
    private static final List<RtpCodecParameters> AUDIO = RtpCapabilities.defaultAudio().codecs();

    private static RtpCodecParameters h264(int pt, String profileLevelId, String mode, boolean asymmetry) {
        Map<String, String> p = asymmetry
                ? Map.of("level-asymmetry-allowed", "1", "packetization-mode", mode, "profile-level-id", profileLevelId)
                : Map.of("packetization-mode", mode, "profile-level-id", profileLevelId);
        return new RtpCodecParameters(pt, "H264", 90_000, 0, p, List.of(RtcpFeedback.NACK));
    }

    private static RtpCodecParameters rtx(int pt, int apt) {
        return RtpCodecParameters.of(pt, "rtx", 90_000, 0).withParameters(Map.of("apt", Integer.toString(apt)));
    }

    private static List<Integer> pts(List<RtpCodecParameters> codecs) {
        return codecs.stream().map(RtpCodecParameters::payloadType).toList();
    }

    @Test
    void defaultsAreChromiumsFormats() {
        assertThat(pts(AUDIO)).containsExactly(111, 9, 0, 8, 110, 126);
        assertThat(AUDIO.get(0).sdpFmtpLine()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(pts(VIDEO)).containsExactly(96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 112, 113,
                123, 124, 45, 46, 98, 99, 100, 101, 49, 50);
        assertThat(VIDEO.get(2).sdpFmtpLine()).isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
        assertThat(VIDEO).filteredOn(RtpCodecParameters::isRtx).allSatisfy(r ->
                assertThat(VIDEO).anySatisfy(c -> assertThat(c.payloadType()).isEqualTo(r.apt())));
        assertThat(VIDEO.stream().map(RtpCodecParameters::payloadType).distinct()).hasSize(VIDEO.size());
    }

    @Test
    void answerToChromiumKeepsItsPayloadTypesAndOrderAndDropsWhatWeLack() throws SdpParseException {
        SessionDescription offer = Captured.parse("chromium-offer.sdp");
        List<RtpCodecParameters> audio = CodecNegotiation.answer(offer.media().get(0).codecs(), AUDIO, false);
        assertThat(pts(audio)).containsExactly(111, 9, 0, 8, 110, 126); // red 63 and CN 13 not ours
        assertThat(audio.get(0).rtcpFeedback()).containsExactly(RtcpFeedback.TRANSPORT_CC);
        List<RtpCodecParameters> video = CodecNegotiation.answer(offer.media().get(1).codecs(), VIDEO, false);
        // red 118 and ulpfec 120 are not ours, so neither is 119, the RTX that repairs red
        assertThat(pts(video)).containsExactly(96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46,
                98, 99, 100, 101);
        assertThat(video.get(0).rtcpFeedback()).containsExactly(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC,
                RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);
        assertThat(video.get(1).parameters()).containsExactly(Map.entry("apt", "96"));
    }

    @Test
    void answerUsesTheOffersPayloadTypesAndRtxOnlyForAcceptedApt() {
        List<RtpCodecParameters> offered = List.of(RtpCodecParameters.of(120, "vp8", 90_000, 0), rtx(121, 120),
                RtpCodecParameters.of(122, "VP7", 90_000, 0), rtx(123, 122), rtx(124, 99));
        List<RtpCodecParameters> a = CodecNegotiation.answer(offered, VIDEO, false);
        assertThat(a).containsExactly(RtpCodecParameters.of(120, "vp8", 90_000, 0), rtx(121, 120));
        // no RTX in the local capabilities: none in the answer
        List<RtpCodecParameters> noRtx = VIDEO.stream().filter(c -> !c.isRtx()).toList();
        assertThat(pts(CodecNegotiation.answer(offered, noRtx, false))).containsExactly(120);
        assertThat(CodecNegotiation.answer(List.of(RtpCodecParameters.of(122, "VP7", 90_000, 0)), VIDEO, false)).isEmpty();
    }

    @Test
    void h264MatchesByProfileAndPacketizationMode() {
        RtpCodecParameters cb = h264(100, "42e01f", "1", true);
        assertThat(CodecNegotiation.matches(cb, h264(1, "42e01f", "1", true))).isTrue();
        assertThat(CodecNegotiation.matches(cb, h264(1, "4d801f", "1", true))).as("Main with constraint_set0 is CB (RFC 6184 table 5)").isTrue();
        assertThat(CodecNegotiation.matches(cb, h264(1, "42c034", "1", true))).as("levels do not matter").isTrue();
        assertThat(CodecNegotiation.matches(cb, h264(1, "42001f", "1", true))).as("Baseline is not CB").isFalse();
        assertThat(CodecNegotiation.matches(cb, h264(1, "42e01f", "0", true))).as("packetization-mode").isFalse();
        assertThat(CodecNegotiation.matches(h264(1, "640034", "1", true), h264(2, "64001f", "1", false))).isTrue();
        assertThat(CodecNegotiation.matches(h264(1, "640c1f", "1", true), h264(2, "64001f", "1", false))).as("Constrained High").isFalse();
        assertThat(CodecNegotiation.matches(h264(1, "4d001f", "1", true), h264(2, "42001f", "1", false))).isFalse();
        assertThat(CodecNegotiation.matches(h264(1, "zz001f", "1", true), h264(2, "zz001f", "1", false))).isFalse();
        // no packetization-mode is mode 0; no profile-level-id is 42000a, Baseline
        RtpCodecParameters bare = RtpCodecParameters.of(1, "H264", 90_000, 0);
        assertThat(CodecNegotiation.matches(bare, h264(2, "42001f", "0", false))).isTrue();
        assertThat(CodecNegotiation.matches(bare, h264(2, "42001f", "1", false))).isFalse();
    }

    @Test
    void h264AnswerLevelFollowsLevelAsymmetry() {
        // both allow asymmetry: our level
        assertThat(CodecNegotiation.answer(List.of(h264(100, "42e00a", "1", true)), VIDEO, false).get(0)
                .parameter("profile-level-id")).isEqualTo("42e01f");
        // the offer does not: the lower level
        assertThat(CodecNegotiation.answer(List.of(h264(100, "42e00a", "1", false)), VIDEO, false).get(0)
                .parameter("profile-level-id")).isEqualTo("42e00a");
        assertThat(CodecNegotiation.answer(List.of(h264(100, "42e034", "1", false)), VIDEO, false).get(0)
                .parameter("profile-level-id")).isEqualTo("42e01f");
        // the offer's profile bytes are kept (4d801f is CB, matched by our 42e01f)
        RtpCodecParameters a = CodecNegotiation.answer(List.of(h264(100, "4d801f", "1", false)), VIDEO, false).get(0);
        assertThat(a.parameter("profile-level-id")).isEqualTo("4d801f");
        assertThat(a.payloadType()).isEqualTo(100);
        assertThat(a.rtcpFeedback()).containsExactly(RtcpFeedback.NACK);
        // level 1b (level_idc 11 with constraint_set3) is below 1.1
        assertThat(CodecNegotiation.answer(List.of(h264(100, "42f00b", "1", false)), VIDEO, false).get(0)
                .parameter("profile-level-id")).isEqualTo("42f00b");
    }

    @Test
    void vp9Av1AndH265MatchByProfile() {
        RtpCodecParameters vp9p2 = RtpCodecParameters.of(50, "VP9", 90_000, 0).withParameters(Map.of("profile-id", "2"));
        assertThat(CodecNegotiation.answer(List.of(vp9p2, rtx(51, 50)), VIDEO, false))
                .extracting(c -> c.payloadType() + " " + c.sdpFmtpLine()).containsExactly("50 profile-id=2", "51 apt=50");
        RtpCodecParameters vp9 = RtpCodecParameters.of(52, "VP9", 90_000, 0);
        assertThat(CodecNegotiation.matches(vp9, VIDEO.get(20))).as("no profile-id is profile 0").isTrue();
        assertThat(CodecNegotiation.matches(vp9p2.withParameters(Map.of("profile-id", "1")), VIDEO.get(22))).isFalse();
        RtpCodecParameters av1 = RtpCodecParameters.of(53, "AV1", 90_000, 0).withParameters(Map.of("profile", "1"));
        assertThat(CodecNegotiation.answer(List.of(av1), VIDEO, false)).isEmpty();
        RtpCodecParameters h265 = RtpCodecParameters.of(54, "H265", 90_000, 0);
        assertThat(pts(CodecNegotiation.answer(List.of(h265), VIDEO, false))).containsExactly(54);
        assertThat(CodecNegotiation.answer(List.of(h265.withParameters(Map.of("tier-flag", "1"))), VIDEO, false)).isEmpty();
    }

    @Test
    void audioMatchesClockRateAndChannels() {
        List<RtpCodecParameters> offered = List.of(RtpCodecParameters.of(101, "telephone-event", 8000, 1),
                RtpCodecParameters.of(109, "OPUS", 48_000, 2), RtpCodecParameters.of(110, "opus", 48_000, 1),
                RtpCodecParameters.of(0, "PCMU", 8000, 1));
        List<RtpCodecParameters> a = CodecNegotiation.answer(offered, AUDIO, false);
        assertThat(pts(a)).containsExactly(101, 109, 0);
        assertThat(a.get(1).name()).isEqualTo("OPUS");
        assertThat(a.get(1).sdpFmtpLine()).isEqualTo("minptime=10;useinbandfec=1");
    }

    @Test
    void preferencesOrderAndFilterAndRtxFollowsWhenNamed() {
        RtpCodecParameters h264cb = VIDEO.get(6); // 108, 42e01f mode 1
        RtpCodecParameters vp8 = VIDEO.get(0);
        assertThat(pts(CodecNegotiation.preferences(VIDEO, List.of(h264cb, vp8)))).containsExactly(108, 96);
        List<RtpCodecParameters> prefs = CodecNegotiation.preferences(VIDEO,
                List.of(h264cb.withPayloadType(1), vp8, RtpCodecParameters.of(0, "rtx", 90_000, 0)));
        assertThat(pts(prefs)).containsExactly(108, 109, 96, 97);
        assertThat(CodecNegotiation.preferences(VIDEO, List.of())).isEqualTo(VIDEO);
        assertThatThrownBy(() -> CodecNegotiation.preferences(VIDEO, List.of(RtpCodecParameters.of(1, "VP7", 90_000, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VP7");
        assertThatThrownBy(() -> CodecNegotiation.preferences(VIDEO, List.of(RtpCodecParameters.of(1, "rtx", 90_000, 0))))
                .isInstanceOf(IllegalArgumentException.class);

        // answering with preferences: their order; without: the offer's
        List<RtpCodecParameters> offered = List.of(RtpCodecParameters.of(96, "VP8", 90_000, 0), rtx(97, 96),
                h264(102, "42e01f", "1", true), rtx(103, 102));
        assertThat(pts(CodecNegotiation.answer(offered, prefs, true))).containsExactly(102, 103, 96, 97);
        assertThat(pts(CodecNegotiation.answer(offered, prefs, false))).containsExactly(96, 97, 102, 103);
        assertThat(pts(CodecNegotiation.answer(offered, CodecNegotiation.preferences(VIDEO, List.of(vp8)), true)))
                .containsExactly(96);
    }

    @Test
    void offererKeepsOnlyWhatItOfferedFromTheAnswer() {
        List<RtpCodecParameters> answer = List.of(RtpCodecParameters.of(96, "VP8", 90_000, 0), rtx(97, 96),
                RtpCodecParameters.of(60, "VP7", 90_000, 0), rtx(61, 60));
        assertThat(pts(CodecNegotiation.accepted(VIDEO, answer))).containsExactly(96, 97);
        assertThat(pts(CodecNegotiation.accepted(VIDEO.stream().filter(c -> !c.isRtx()).toList(), answer))).containsExactly(96);
    }

    @Test
    void extensionsAnsweredByUriWithTheOffersIdsAndMirroredDirections() throws SdpParseException {
        SessionDescription offer = Captured.parse("chromium-offer.sdp");
        List<HeaderExtension> video = ExtensionNegotiation.answer(offer, offer.media().get(1),
                RtpCapabilities.defaultVideo().headerExtensions());
        assertThat(video).extracting(HeaderExtension::id).containsExactly(14, 2, 3, 4, 10, 11);
        assertThat(video).allSatisfy(e -> assertThat(e.direction()).isEqualTo(Direction.SENDRECV));

        SessionDescription firefox = Captured.parse("firefox-offer.sdp");
        List<HeaderExtension> local = List.of(new HeaderExtension(9, HeaderExtension.AUDIO_LEVEL),
                new HeaderExtension(8, "urn:ietf:params:rtp-hdrext:csrc-audio-level"),
                new HeaderExtension(7, HeaderExtension.SDES_MID, Direction.RECVONLY, ""));
        assertThat(ExtensionNegotiation.answer(firefox, firefox.media().get(0), local)).containsExactly(
                new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL),
                new HeaderExtension(2, "urn:ietf:params:rtp-hdrext:csrc-audio-level", Direction.SENDONLY, ""),
                new HeaderExtension(3, HeaderExtension.SDES_MID, Direction.RECVONLY, ""));
    }

    @Test
    void anIdGivenTwoMeaningsUnderBundleIsNotNegotiatedInTheLaterSection() throws SdpParseException {
        String session = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a v\r\n";
        SessionDescription offer = SdpParser.parse(session
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\na=rtpmap:111 opus/48000/2\r\n"
                + "a=extmap:5 " + HeaderExtension.AUDIO_LEVEL + "\r\na=extmap:4 " + HeaderExtension.SDES_MID + "\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\na=rtpmap:96 VP8/90000\r\n"
                + "a=extmap:5 " + HeaderExtension.TOFFSET + "\r\na=extmap:4 " + HeaderExtension.SDES_MID + "\r\n"
                + "a=extmap:4200 " + HeaderExtension.ABS_SEND_TIME + "\r\n");
        List<HeaderExtension> video = ExtensionNegotiation.answer(offer, offer.media().get(1),
                RtpCapabilities.defaultVideo().headerExtensions());
        assertThat(video).containsExactly(new HeaderExtension(4, HeaderExtension.SDES_MID));
        // Not bundled together: each section's ids are its own.
        SessionDescription unbundled = SdpParser.parse(offer.toString().replace("a=group:BUNDLE a v\r\n", ""));
        assertThat(ExtensionNegotiation.answer(unbundled, unbundled.media().get(1),
                RtpCapabilities.defaultVideo().headerExtensions())).extracting(HeaderExtension::id).containsExactly(5, 4);
        assertThat(ExtensionNegotiation.accepted(RtpCapabilities.defaultVideo().headerExtensions(),
                List.of(new HeaderExtension(4, HeaderExtension.SDES_MID), new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL))))
                .containsExactly(new HeaderExtension(4, HeaderExtension.SDES_MID));
    }

    /**
     * A later offer of ours after Firefox offered audio (1 audio level, 2 csrc levels, 3 mid): Firefox's ids keep
     * their meaning, our video section's extensions get ids nobody holds (our own 3 and 2 are Firefox's mid and csrc
     * levels), and one id has one meaning across both sections (RFC 8285 section 6, RFC 8843 section 9.2).
     */
    @Test
    void aLaterOfferKeepsTheIdsInUseAndGivesNewExtensionsFreeOnes() throws SdpParseException {
        SessionDescription firefox = Captured.parse("firefox-offer.sdp");
        Map<Integer, String> inUse = ExtensionNegotiation.idsInUse(firefox);
        assertThat(inUse).containsExactly(Map.entry(1, HeaderExtension.AUDIO_LEVEL),
                Map.entry(2, HeaderExtension.CSRC_AUDIO_LEVEL), Map.entry(3, HeaderExtension.SDES_MID));
        List<HeaderExtension> wanted = new java.util.ArrayList<>(RtpCapabilities.defaultAudio().headerExtensions());
        wanted.addAll(RtpCapabilities.defaultVideo().headerExtensions());
        Map<String, Integer> ids = ExtensionNegotiation.offerIds(inUse, wanted);
        List<HeaderExtension> audio = ExtensionNegotiation.withIds(RtpCapabilities.defaultAudio().headerExtensions(), ids);
        List<HeaderExtension> video = ExtensionNegotiation.withIds(RtpCapabilities.defaultVideo().headerExtensions(), ids);
        assertThat(audio).extracting(HeaderExtension::uri, HeaderExtension::id).containsExactly(
                org.assertj.core.groups.Tuple.tuple(HeaderExtension.AUDIO_LEVEL, 1),
                org.assertj.core.groups.Tuple.tuple(HeaderExtension.ABS_SEND_TIME, 4),
                org.assertj.core.groups.Tuple.tuple(HeaderExtension.TRANSPORT_CC, 5),
                org.assertj.core.groups.Tuple.tuple(HeaderExtension.SDES_MID, 3),
                org.assertj.core.groups.Tuple.tuple(HeaderExtension.CSRC_AUDIO_LEVEL, 2));
        assertThat(audio.get(4).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(video).extracting(HeaderExtension::id).containsExactly(4, 5, 3, 10, 11, 14);
        assertThat(ids.values()).doesNotHaveDuplicates();
        // with nothing in use (a first offer), our own ids
        assertThat(ExtensionNegotiation.withIds(RtpCapabilities.defaultVideo().headerExtensions(),
                ExtensionNegotiation.offerIds(Map.of(), wanted))).isEqualTo(RtpCapabilities.defaultVideo().headerExtensions());
    }
}
