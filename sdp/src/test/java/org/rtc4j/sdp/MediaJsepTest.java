package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Offers and answers with audio and video sections: layout, BUNDLE, rejection, recycling, and reading back. */
class MediaJsepTest {

    private static final Fingerprint FP = new Fingerprint("sha-256", new byte[32]);
    private static final RtpCapabilities AUDIO = RtpCapabilities.defaultAudio();
    private static final RtpCapabilities VIDEO = RtpCapabilities.defaultVideo();

    static JsepBuilder local(JsepBuilder b) {
        return b.sessionId(1).iceCredentials("Ufrg", "PasswordPasswordPassw+/").fingerprint(FP);
    }

    static TransceiverSection audio(String mid, Direction d) {
        return TransceiverSection.offer(mid, "audio", d, AUDIO).withTrack("at", List.of("s"))
                .withSendStreams(List.of(new TransceiverSection.SendStream(1111, -1, "cn")));
    }

    static TransceiverSection video(String mid, Direction d) {
        return TransceiverSection.offer(mid, "video", d, VIDEO).withTrack("vt", List.of("s"))
                .withSendStreams(List.of(new TransceiverSection.SendStream(2222, 3333, "cn")));
    }

    @Test
    void maxBundleOfferCarriesTheTransportInTheFirstSectionOnly() throws SdpParseException {
        SessionDescription offer = local(JsepBuilder.offer()).media(audio("0", Direction.SENDRECV))
                .media(video("1", Direction.SENDRECV)).candidate("1 1 udp 2122260223 127.0.0.1 50000 typ host")
                .defaultCandidate("127.0.0.1", 50000).mid("2").build();
        SessionDescription sd = SdpParser.parse(offer.toString());
        assertThat(sd.groups()).containsExactly(new Group("BUNDLE", List.of("0", "1", "2")));
        MediaDescription a = sd.media().get(0);
        MediaDescription v = sd.media().get(1);
        MediaDescription d = sd.media().get(2);
        assertThat(a.mediaLine().port()).isEqualTo(50000);
        assertThat(a.candidates()).hasSize(1);
        assertThat(a.bundleOnly()).isFalse();
        for (MediaDescription m : List.of(v, d)) {
            assertThat(m.mediaLine().port()).isZero();
            assertThat(m.bundleOnly()).isTrue();
            assertThat(m.isRejected()).isFalse();
            assertThat(m.candidates()).isEmpty();
            assertThat(m.iceUfrag()).contains("Ufrg");
        }
        assertThat(a.mediaLine().proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(a.codecs()).isEqualTo(AUDIO.codecs());
        assertThat(v.codecs()).isEqualTo(VIDEO.codecs());
        assertThat(v.headerExtensions()).isEqualTo(VIDEO.headerExtensions());
        assertThat(sd.directionOf(v)).isEqualTo(Direction.SENDRECV);
        assertThat(v.rtcpMux()).isTrue();
        assertThat(v.rtcpRsize()).isTrue();
        assertThat(v.msids()).containsExactly(new Msid("s", "vt"));
        assertThat(v.ssrcGroups()).containsExactly(new Ssrc.Group("FID", List.of(2222L, 3333L)));
        assertThat(v.cnameOf(3333)).contains("cn");
        assertThat(v.ssrcs()).contains(new Ssrc(3333, "msid", "s vt"));
        assertThat(a.ssrcGroups()).isEmpty();
        assertThat(a.ssrcIds()).containsExactly(1111L);
        TransportParameters t = TransportParameters.read(sd);
        assertThat(t.mid()).isEqualTo("0");
        assertThat(t.setup()).contains(Setup.ACTPASS);
        assertThat(DataChannelParameters.read(sd).mid()).isEqualTo("2");
        assertThat(offer.toString()).contains("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:9 G722/8000\r\n");
    }

    @Test
    void dataFirstRecvonlyWithoutBundleOnlyAndNoDataSection() throws SdpParseException {
        SessionDescription offer = local(JsepBuilder.offer()).dataSection().media(video("1", Direction.RECVONLY))
                .bundleOnly(false).build();
        assertThat(offer.media().get(0).isDataChannel()).isTrue();
        MediaDescription v = offer.media().get(1);
        assertThat(v.mediaLine().port()).isEqualTo(9);
        assertThat(v.bundleOnly()).isFalse();
        assertThat(v.direction()).contains(Direction.RECVONLY);
        assertThat(v.msids()).as("a receiver sends no track").isEmpty();
        assertThat(v.ssrcs()).isEmpty();
        SessionDescription mediaOnly = local(JsepBuilder.offer()).media(audio("a", Direction.SENDONLY)).noDataSection().build();
        assertThat(mediaOnly.media()).singleElement().satisfies(m -> assertThat(m.kind()).isEqualTo("audio"));
        assertThat(mediaOnly.groups()).containsExactly(new Group("BUNDLE", List.of("a")));
    }

    @Test
    void stoppedTransceiversAreRejectedAndTheirPlaceRecycled() throws SdpParseException {
        // mid 0 stopped: port 0, no bundle-only, out of the group; the transport moves to the next section
        SessionDescription offer = local(JsepBuilder.offer()).media(audio("0", Direction.SENDRECV).asStopped())
                .media(video("1", Direction.SENDRECV)).mid("2").build();
        MediaDescription stopped = offer.media().get(0);
        assertThat(stopped.isRejected()).isTrue();
        assertThat(stopped.mid()).contains("0");
        assertThat(stopped.mediaLine().formats()).isNotEmpty();
        assertThat(offer.groups()).containsExactly(new Group("BUNDLE", List.of("1", "2")));
        assertThat(offer.media().get(1).mediaLine().port()).isEqualTo(9);
        assertThat(offer.media().get(1).bundleOnly()).isFalse();
        assertThat(TransportParameters.read(offer).mid()).isEqualTo("1");
        // a new transceiver takes the stopped one's place with a new mid
        SessionDescription recycled = local(JsepBuilder.offer()).media(video("3", Direction.SENDRECV))
                .media(video("1", Direction.SENDRECV)).mid("2").build();
        assertThat(recycled.media().get(0).mid()).contains("3");
        assertThat(recycled.media().get(0).kind()).isEqualTo("video");
        assertThat(recycled.groups()).containsExactly(new Group("BUNDLE", List.of("3", "1", "2")));
        // two sections with one mid cannot be written (RFC 5888 section 4)
        assertThatThrownBy(() -> local(JsepBuilder.offer()).media(audio("0", Direction.SENDRECV)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("mid 0");
    }

    @Test
    void answerToChromiumAcceptsAudioVideoAndDataOnTheFirstTransport() throws SdpParseException {
        SessionDescription offer = Captured.parse("chromium-offer.sdp");
        TransceiverSection a = TransceiverSection.answer(offer, offer.media().get(0), Direction.SENDRECV, AUDIO, false)
                .withTrack("at", List.of("s")).withSendStreams(List.of(new TransceiverSection.SendStream(5, -1, "cn")));
        TransceiverSection v = TransceiverSection.answer(offer, offer.media().get(1), Direction.RECVONLY, VIDEO, false);
        SessionDescription answer = local(JsepBuilder.answer(offer)).media(a).media(v)
                .candidate("1 1 udp 2122260223 127.0.0.1 50000 typ host").defaultCandidate("127.0.0.1", 50000).build();
        SessionDescription sd = SdpParser.parse(answer.toString());
        assertThat(sd.groups()).containsExactly(new Group("BUNDLE", List.of("0", "1", "2")));
        assertThat(sd.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2");
        assertThat(sd.media().get(0).mediaLine().port()).isEqualTo(50000);
        assertThat(sd.media().get(0).candidates()).hasSize(1);
        assertThat(sd.media().get(1).mediaLine().port()).isEqualTo(9);
        assertThat(sd.media().get(2).mediaLine().port()).isEqualTo(9);
        assertThat(sd.media()).allSatisfy(m -> assertThat(m.setup()).contains(Setup.ACTIVE));
        assertThat(sd.media().get(0).codecs()).extracting(RtpCodecParameters::payloadType).containsExactly(111, 9, 0, 8, 110, 126);
        assertThat(sd.media().get(1).codecs()).extracting(RtpCodecParameters::payloadType).startsWith(96, 97, 102, 103);
        assertThat(sd.directionOf(sd.media().get(1))).isEqualTo(Direction.RECVONLY);
        assertThat(sd.media().get(1).ssrcs()).isEmpty();
        assertThat(sd.media().get(0).msids()).containsExactly(new Msid("s", "at"));
        assertThat(sd.media().get(1).headerExtensions()).extracting(HeaderExtension::id).containsExactly(14, 2, 3, 4, 10, 11);
        TransportParameters t = TransportParameters.read(sd);
        assertThat(t.mid()).isEqualTo("0");
        assertThat(DataChannelParameters.read(sd).candidates()).as("the data section reads the bundle's transport").hasSize(1);
        // what the offerer then uses
        assertThat(CodecNegotiation.accepted(offer.media().get(1).codecs(), sd.media().get(1).codecs()))
                .isEqualTo(sd.media().get(1).codecs());
    }

    @Test
    void rejectedAndMissingSectionsAndDirections() throws SdpParseException {
        SessionDescription offer = Captured.parse("chromium-offer.sdp");
        // the offer's audio is sendrecv: a sendonly transceiver answers sendonly; video gets no transceiver
        TransceiverSection a = TransceiverSection.answer(offer, offer.media().get(0), Direction.SENDONLY, AUDIO, false);
        SessionDescription answer = local(JsepBuilder.answer(offer)).media(a).build();
        assertThat(answer.directionOf(answer.media().get(0))).isEqualTo(Direction.SENDONLY);
        assertThat(answer.media().get(1).isRejected()).isTrue();
        assertThat(answer.media().get(1).mid()).contains("1");
        assertThat(answer.groups()).containsExactly(new Group("BUNDLE", List.of("0", "2")));
        // nothing in common: rejected too
        TransceiverSection none = TransceiverSection.answer(offer, offer.media().get(1), Direction.SENDRECV,
                new RtpCapabilities(List.of(RtpCodecParameters.of(96, "VP7", 90_000, 0)), List.of()), false);
        assertThat(none.rejected()).isTrue();
        assertThat(local(JsepBuilder.answer(offer)).media(none).build().media().get(1).isRejected()).isTrue();
        assertThat(Direction.SENDRECV.answerTo(Direction.SENDONLY)).isEqualTo(Direction.RECVONLY);
        assertThat(Direction.SENDONLY.answerTo(Direction.SENDONLY)).isEqualTo(Direction.INACTIVE);
        assertThat(Direction.RECVONLY.answerTo(Direction.SENDRECV)).isEqualTo(Direction.RECVONLY);
    }

    /** Every section with its own credentials and port under one BUNDLE group, as some deployed stacks offer. */
    static final String OWN_TRANSPORTS = "v=0\r\no=- 7 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a v\r\n"
            + "m=audio 40000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 127.0.0.1\r\na=mid:a\r\na=ice-ufrag:aaaa\r\n"
            + "a=ice-pwd:aaaaaaaaaaaaaaaaaaaaaa\r\na=fingerprint:sha-256 " + "AA:".repeat(31) + "AA\r\na=setup:actpass\r\n"
            + "a=candidate:1 1 udp 1 127.0.0.1 40000 typ host\r\na=rtpmap:111 opus/48000/2\r\na=sendrecv\r\na=rtcp-mux\r\n"
            + "m=video 40002 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\na=mid:v\r\na=ice-ufrag:vvvv\r\n"
            + "a=ice-pwd:vvvvvvvvvvvvvvvvvvvvvv\r\na=fingerprint:sha-256 " + "BB:".repeat(31) + "BB\r\na=setup:actpass\r\n"
            + "a=candidate:1 1 udp 1 127.0.0.1 40002 typ host\r\na=rtpmap:96 VP8/90000\r\na=sendrecv\r\na=rtcp-mux\r\n";

    @Test
    void anOfferWithATransportPerSectionIsAnsweredOnTheFirstSectionsTransport() throws SdpParseException {
        SessionDescription offer = SdpParser.parse(OWN_TRANSPORTS);
        TransportParameters remote = TransportParameters.read(offer);
        assertThat(remote.mid()).isEqualTo("a");
        assertThat(remote.iceUfrag()).isEqualTo("aaaa");
        assertThat(remote.candidates()).containsExactly("1 1 udp 1 127.0.0.1 40000 typ host");
        assertThat(remote.bundleMids()).containsExactly("a", "v");
        SessionDescription answer = local(JsepBuilder.answer(offer))
                .media(TransceiverSection.answer(offer, offer.media().get(0), Direction.SENDRECV, AUDIO, false))
                .media(TransceiverSection.answer(offer, offer.media().get(1), Direction.SENDRECV, VIDEO, false))
                .defaultCandidate("127.0.0.1", 50000).build();
        assertThat(answer.groups()).containsExactly(new Group("BUNDLE", List.of("a", "v")));
        assertThat(answer.media()).extracting(m -> m.mediaLine().port()).containsExactly(50000, 9);
        assertThat(answer.media()).allSatisfy(m -> assertThat(m.iceUfrag()).contains("Ufrg"));
        assertThat(answer.media().get(1).codecs()).extracting(RtpCodecParameters::name).containsExactly("VP8");
        // RFC 8285 section 6: mixing allowed only where the offer allowed it
        assertThat(answer.extmapAllowMixed()).isFalse();
        assertThat(answer.media()).noneMatch(MediaDescription::extmapAllowMixed);
        SessionDescription mixedVideo = SdpParser.parse(OWN_TRANSPORTS.replace("a=mid:v\r\n", "a=mid:v\r\na=extmap-allow-mixed\r\n"));
        SessionDescription mixedAnswer = local(JsepBuilder.answer(mixedVideo))
                .media(TransceiverSection.answer(mixedVideo, mixedVideo.media().get(0), Direction.SENDRECV, AUDIO, false))
                .media(TransceiverSection.answer(mixedVideo, mixedVideo.media().get(1), Direction.SENDRECV, VIDEO, false))
                .build();
        assertThat(mixedAnswer.media()).extracting(m -> mixedAnswer.extmapAllowMixed(m)).containsExactly(false, true);
        // Without a group, one transport can carry one section: the first accepted; the rest are rejected.
        SessionDescription unbundled = SdpParser.parse(OWN_TRANSPORTS.replace("a=group:BUNDLE a v\r\n", ""));
        SessionDescription single = local(JsepBuilder.answer(unbundled))
                .media(TransceiverSection.answer(unbundled, unbundled.media().get(0), Direction.SENDRECV, AUDIO, false))
                .media(TransceiverSection.answer(unbundled, unbundled.media().get(1), Direction.SENDRECV, VIDEO, false))
                .build();
        assertThat(single.groups()).isEmpty();
        assertThat(single.media().get(0).isRejected()).isFalse();
        assertThat(single.media().get(1).isRejected()).isTrue();
        // two sections with one mid are refused with the line of the second (a fuzzing finding: the BUNDLE
        // group came out empty)
        SessionDescription twice = SdpParser.parse(OWN_TRANSPORTS.replace("a=mid:v", "a=mid:a"));
        assertThatThrownBy(() -> local(JsepBuilder.answer(twice)).build()).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("line 17").hasMessageContaining("mid a");
    }
}
