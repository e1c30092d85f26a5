package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed reads of RTP media sections, on captured descriptions and on each rule alone. */
class MediaAttributesTest {

    static final String SESSION = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    static MediaDescription section(String lines) throws SdpParseException {
        return SdpParser.parse(SESSION + lines).media().get(0);
    }

    @Test
    void chromiumAudioCodecsInOrderWithFmtpAndFeedback() throws SdpParseException {
        MediaDescription audio = Captured.parse("chromium-offer.sdp").media().get(0);
        List<RtpCodecParameters> codecs = audio.codecs();
        assertThat(codecs).extracting(RtpCodecParameters::payloadType).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        RtpCodecParameters opus = codecs.get(0);
        assertThat(opus.name()).isEqualTo("opus");
        assertThat(opus.clockRate()).isEqualTo(48_000);
        assertThat(opus.channels()).isEqualTo(2);
        assertThat(opus.parameters()).containsExactly(Map.entry("minptime", "10"), Map.entry("useinbandfec", "1"));
        assertThat(opus.rtcpFeedback()).containsExactly(RtcpFeedback.TRANSPORT_CC);
        assertThat(opus.mimeType(audio.kind())).isEqualTo("audio/opus");
        assertThat(opus.sdpFmtpLine()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(codecs.get(2)).isEqualTo(RtpCodecParameters.of(9, "G722", 8000, 1));
        assertThat(codecs.get(6).name()).isEqualTo("telephone-event");
        assertThat(codecs.get(6).clockRate()).isEqualTo(48_000);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpRsize()).isTrue();
        assertThat(audio.bundleOnly()).isFalse();
        assertThat(audio.headerExtensions()).extracting(HeaderExtension::id).containsExactly(1, 2, 3, 4);
        assertThat(audio.headerExtensions().get(3)).isEqualTo(new HeaderExtension(4, HeaderExtension.SDES_MID));
        assertThat(audio.msids()).containsExactly(new Msid("a24d2d4d-a769-422e-b92a-90c2d2dbe43e",
                "f707239e-53cd-4886-b7c7-2ece5b813826"));
        assertThat(audio.ssrcIds()).containsExactly(2354646366L);
        assertThat(audio.cnameOf(2354646366L)).contains("JY81lPj8dfpJ/VO4");
    }

    @Test
    void chromiumVideoRtxAndSsrcGroup() throws SdpParseException {
        MediaDescription video = Captured.parse("chromium-offer.sdp").media().get(1);
        List<RtpCodecParameters> codecs = video.codecs();
        assertThat(codecs).hasSize(23);
        RtpCodecParameters vp8 = codecs.get(0);
        assertThat(vp8.channels()).isZero();
        assertThat(vp8.rtcpFeedback()).containsExactly(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC,
                RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);
        assertThat(codecs.get(1).isRtx()).isTrue();
        assertThat(codecs.get(1).apt()).isEqualTo(96);
        RtpCodecParameters h264 = codecs.get(2);
        assertThat(h264.parameter("PROFILE-LEVEL-ID")).isEqualTo("42001f");
        assertThat(h264.parameter("packetization-mode")).isEqualTo("1");
        assertThat(video.ssrcGroups()).containsExactly(new Ssrc.Group("FID", List.of(332398358L, 3773267124L)));
        assertThat(video.rtxSsrcOf(332398358L)).isEqualTo(3773267124L);
        assertThat(video.rtxSsrcOf(3773267124L)).isEqualTo(-1);
        assertThat(video.headerExtensions()).contains(new HeaderExtension(13, HeaderExtension.VIDEO_ORIENTATION));
    }

    @Test
    void firefoxSessionLevelDirectionExtmapDirectionsAndStaticFormats() throws SdpParseException {
        SessionDescription sd = Captured.parse("firefox-offer.sdp");
        MediaDescription audio = sd.media().get(0);
        assertThat(sd.directionOf(audio)).isEqualTo(Direction.SENDRECV);
        assertThat(audio.headerExtensions().get(1)).isEqualTo(new HeaderExtension(2, "urn:ietf:params:rtp-hdrext:csrc-audio-level",
                Direction.RECVONLY, ""));
        assertThat(audio.codecs()).extracting(RtpCodecParameters::name).containsExactly("opus", "G722", "PCMU", "PCMA", "telephone-event");
        assertThat(audio.codecs().get(1).channels()).isEqualTo(1);
        assertThat(audio.codecs().get(4).parameters()).containsExactly(Map.entry("0-15", ""));
        assertThat(audio.codecs().get(4).sdpFmtpLine()).isEqualTo("0-15");
        assertThat(audio.msids().get(0).streamId()).startsWith("{");
    }

    @Test
    void wildcardFeedbackAppliesToEveryFormatAndUnknownFormatsAreLeftOut() throws SdpParseException {
        MediaDescription m = section("m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 34\r\n"
                + "a=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
                + "a=rtpmap:99 H264/90000\r\na=fmtp:99 packetization-mode=1\r\n"
                + "a=rtcp-fb:* nack\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:* trr-int 100\r\na=rtcp-fb:96 nack\r\n");
        List<RtpCodecParameters> codecs = m.codecs();
        // 98 has no rtpmap and no static meaning; 34 (H263) is not one rtc4j maps; the rtpmap of 99 names no format
        assertThat(codecs).extracting(RtpCodecParameters::payloadType).containsExactly(96, 97);
        assertThat(codecs.get(0).rtcpFeedback()).containsExactly(RtcpFeedback.NACK, RtcpFeedback.NACK_PLI,
                new RtcpFeedback("trr-int", "100"));
        assertThat(codecs.get(1).rtcpFeedback()).containsExactly(RtcpFeedback.NACK, new RtcpFeedback("trr-int", "100"));
    }

    @Test
    void staticPayloadTypesWithoutRtpmap() throws SdpParseException {
        MediaDescription m = section("m=audio 9 RTP/AVP 0 8 9\r\n");
        assertThat(m.codecs()).extracting(c -> c.name() + "/" + c.clockRate() + "/" + c.channels())
                .containsExactly("PCMU/8000/1", "PCMA/8000/1", "G722/8000/1");
        assertThat(section("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n").codecs()).isEmpty();
    }

    @Test
    void extmapReadsIdDirectionUriAttributesAndFirstOfAnIdWins() throws SdpParseException {
        SessionDescription sd = SdpParser.parse(SESSION + "a=extmap:7 urn:session-level\r\na=extmap-allow-mixed\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n"
                + "a=extmap:3/sendonly urn:ietf:params:rtp-hdrext:toffset\r\n"
                + "a=extmap:3 urn:other\r\na=extmap:200 urn:two-byte attr1 attr2\r\n");
        MediaDescription m = sd.media().get(0);
        assertThat(m.headerExtensions()).containsExactly(
                new HeaderExtension(3, HeaderExtension.TOFFSET, Direction.SENDONLY, ""),
                new HeaderExtension(200, "urn:two-byte", Direction.SENDRECV, "attr1 attr2"));
        assertThat(m.headerExtensions().get(1).needsTwoByteHeader()).isTrue();
        assertThat(m.headerExtensions().get(0).toString()).isEqualTo("3/sendonly urn:ietf:params:rtp-hdrext:toffset");
        assertThat(sd.headerExtensions(m)).extracting(HeaderExtension::id).containsExactly(3, 200, 7);
        assertThat(sd.extmapAllowMixed(m)).isTrue();
    }

    @Test
    void malformedMediaAttributesAreRefusedWithTheirLine() {
        for (String bad : List.of("a=rtpmap:128 VP8/90000", "a=rtpmap:96 VP8", "a=rtpmap:96 VP8/0", "a=rtpmap:96 VP8/90000/2/3",
                "a=rtpmap:96  VP8/90000", "a=fmtp:", "a=rtcp-fb:96", "a=rtcp-fb:x nack", "a=extmap:0 urn:x",
                "a=extmap:256 urn:x", "a=extmap:1/both urn:x", "a=extmap:1", "a=ssrc:4294967296 cname:x", "a=ssrc:1",
                "a=ssrc-group:FID 1 x", "a=msid:", "a=msid:a b c")) {
            assertThatThrownBy(() -> section("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" + bad + "\r\n"), bad)
                    .isInstanceOf(SdpParseException.class)
                    .satisfies(e -> assertThat(((SdpParseException) e).line()).isEqualTo(6));
        }
    }

    @Test
    void ssrcAndMsidValues() throws SdpParseException {
        MediaDescription m = section("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=msid:- track1\r\na=msid:s2\r\n"
                + "a=ssrc:4294967295 cname:x:y\r\na=ssrc:4294967295 msid:s t\r\na=ssrc:5 label\r\n"
                + "a=ssrc-group:SIM 1 2 3\r\n");
        assertThat(m.msids()).containsExactly(new Msid("-", "track1"), new Msid("s2", ""));
        assertThat(m.msids().get(0).noStream()).isTrue();
        assertThat(m.ssrcs()).containsExactly(new Ssrc(4294967295L, "cname", "x:y"), new Ssrc(4294967295L, "msid", "s t"),
                new Ssrc(5, "label", ""));
        assertThat(m.ssrcIds()).containsExactly(4294967295L, 5L);
        assertThat(m.ssrcGroups().get(0).ssrcs()).containsExactly(1L, 2L, 3L);
        assertThat(m.ssrcGroups().get(0).semantics()).isEqualTo(Ssrc.Group.SIM);
    }

    @Test
    void ridAndSimulcastAsRfc8851And8853Write() throws SdpParseException {
        MediaDescription m = section("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=rtpmap:96 VP8/90000\r\n"
                + "a=rid:h send pt=96,97;max-width=1280;max-height=720\r\na=rid:m send\r\na=rid:l recv max-fps=15\r\n"
                + "a=rid:bad! send\r\na=simulcast:send h;m,~x recv l\r\n");
        assertThat(m.rids()).hasSize(3);
        Rid h = m.rids().get(0);
        assertThat(h.id()).isEqualTo("h");
        assertThat(h.send()).isTrue();
        assertThat(h.payloadTypes()).containsExactly(96, 97);
        assertThat(h.restrictions()).containsExactly(Map.entry("max-width", "1280"), Map.entry("max-height", "720"));
        assertThat(h.toString()).isEqualTo("h send pt=96,97;max-width=1280;max-height=720");
        assertThat(m.rids().get(2).send()).isFalse();
        Simulcast s = m.simulcast().orElseThrow();
        assertThat(s.send()).containsExactly(List.of(new Simulcast.Stream("h", false)),
                List.of(new Simulcast.Stream("m", false), new Simulcast.Stream("x", true)));
        assertThat(s.receive()).containsExactly(List.of(new Simulcast.Stream("l", false)));
        assertThat(s.toString()).isEqualTo("send h;m,~x recv l");
        // An earlier draft's form is not read, and does not stop the description from being read.
        assertThat(section("m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=simulcast: send rid=h;m\r\n").simulcast()).isEmpty();
    }

    @Test
    void directionsAndFlags() throws SdpParseException {
        assertThat(Direction.SENDONLY.reversed()).isEqualTo(Direction.RECVONLY);
        assertThat(Direction.SENDRECV.reversed()).isEqualTo(Direction.SENDRECV);
        assertThat(Direction.INACTIVE.reversed()).isEqualTo(Direction.INACTIVE);
        assertThat(Direction.SENDRECV.intersect(Direction.RECVONLY)).isEqualTo(Direction.RECVONLY);
        assertThat(Direction.SENDONLY.intersect(Direction.RECVONLY)).isEqualTo(Direction.INACTIVE);
        MediaDescription m = section("m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\na=bundle-only\r\n"
                + "a=recvonly\r\na=mid:v\r\na=extmap-allow-mixed\r\n");
        assertThat(m.bundleOnly()).isTrue();
        assertThat(m.isRejected()).isFalse();
        assertThat(m.direction()).contains(Direction.RECVONLY);
        assertThat(m.mid()).contains("v");
        assertThat(m.extmapAllowMixed()).isTrue();
        assertThat(m.isRtp()).isTrue();
        assertThat(m.rtcpMux()).isFalse();
    }

    @Test
    void valuesWriteBackAsRead() throws SdpParseException {
        for (String v : List.of("111 opus/48000/2", "0 PCMU/8000")) {
            assertThat(RtpMap.parse(v).toString()).isEqualTo(v);
        }
        assertThat(Fmtp.parse("102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f").toString())
                .isEqualTo("102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
        assertThat(Fmtp.parse("63 111/111").parameters()).containsExactly(Map.entry("111/111", ""));
        assertThat(RtcpFeedback.parseLine("* ccm fir").toString()).isEqualTo("* ccm fir");
        assertThat(Ssrc.Group.parse("FID 1 2").toString()).isEqualTo("FID 1 2");
        assertThat(Msid.parse("s t").toString()).isEqualTo("s t");
    }
}
