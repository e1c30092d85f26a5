package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsepBuilderTest {

    private static final Fingerprint FP = new Fingerprint("sha-256", new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
            29, 30, 31, 32});

    private static JsepBuilder local(JsepBuilder b) {
        return b.sessionId(4_611_731_400_430_051_336L).iceCredentials("Ufrg", "PasswordPasswordPassw+/").fingerprint(FP);
    }

    @Test
    void offerIsLaidOutAsChromiumLaysItOut() throws SdpParseException {
        SessionDescription offer = local(JsepBuilder.offer()).build();
        assertThat(offer.toString()).isEqualTo("""
                v=0
                o=- 4611731400430051336 2 IN IP4 127.0.0.1
                s=-
                t=0 0
                a=group:BUNDLE 0
                a=extmap-allow-mixed
                a=msid-semantic: WMS
                m=application 9 UDP/DTLS/SCTP webrtc-datachannel
                c=IN IP4 0.0.0.0
                a=ice-ufrag:Ufrg
                a=ice-pwd:PasswordPasswordPassw+/
                a=ice-options:trickle
                a=fingerprint:sha-256 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F:20
                a=setup:actpass
                a=mid:0
                a=sctp-port:5000
                a=max-message-size:262144
                """.replace("\n", "\r\n"));
        // Line for line the shape of Chromium's own data-channel offer.
        List<String> chromium = Captured.text("chromium-datachannel-offer.sdp").lines()
                .filter(l -> !l.startsWith("a=candidate")).map(l -> l.substring(0, l.indexOf(l.startsWith("a=") ? ':' : '=') + 1)).toList();
        List<String> ours = offer.toString().lines().map(l -> l.substring(0, l.indexOf(l.startsWith("a=") ? ':' : '=') + 1)).toList();
        assertThat(ours).isEqualTo(chromium);
    }

    @Test
    void offerWithCandidatesUsesTheDefaultCandidate() throws SdpParseException {
        SessionDescription offer = local(JsepBuilder.offer()).sessionVersion(3).mid("data").sctpPort(5001)
                .maxMessageSize(0).maxDatagram(65_507).trickle(false).iceLite(true).extmapAllowMixed(false)
                .candidate("candidate:1 1 udp 2122260223 ::1 50000 typ host")
                .candidate("2 1 udp 2122260222 127.0.0.1 50001 typ host")
                .defaultCandidate("::1", 50000).endOfCandidates(true).build();
        SessionDescription again = SdpParser.parse(offer.toString());
        assertThat(again).isEqualTo(offer);
        assertThat(again.origin().sessionVersion()).isEqualTo("3");
        assertThat(again.extmapAllowMixed()).isFalse();
        DataChannelParameters p = DataChannelParameters.read(again);
        assertThat(p.mid()).isEqualTo("data");
        assertThat(p.iceLite()).isTrue();
        assertThat(p.trickle()).isFalse();
        assertThat(p.sctpPort()).isEqualTo(5001);
        assertThat(p.maxMessageSize()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.maxDatagram()).isEqualTo(65_507);
        assertThat(offer.toString()).contains("a=x-rtc4j-max-datagram:65507\r\n");
        assertThat(p.candidates()).containsExactly("1 1 udp 2122260223 ::1 50000 typ host", "2 1 udp 2122260222 127.0.0.1 50001 typ host");
        assertThat(p.endOfCandidates()).isTrue();
        assertThat(p.connection()).contains(new Connection("IN", "IP6", "::1"));
        assertThat(p.port()).isEqualTo(50000);
        assertThat(p.setup()).contains(Setup.ACTPASS);
        assertThat(p.fingerprints()).containsExactly(FP);
        assertThat(again.groups()).containsExactly(new Group("BUNDLE", List.of("data")));
    }

    @Test
    void answerToChromiumsFullOfferAcceptsOnlyTheDataSection() throws SdpParseException {
        SessionDescription offer = Captured.parse("chromium-offer.sdp");
        SessionDescription answer = local(JsepBuilder.answer(offer)).build();
        assertThat(answer.media()).hasSize(3);
        assertThat(answer.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2");
        assertThat(answer.media().get(0).isRejected()).isTrue();
        assertThat(answer.media().get(0).mediaLine().formats()).isEqualTo(offer.media().get(0).mediaLine().formats());
        assertThat(answer.media().get(1).isRejected()).isTrue();
        assertThat(answer.media().get(2).isRejected()).isFalse();
        assertThat(answer.groups()).containsExactly(new Group("BUNDLE", List.of("2")));
        assertThat(answer.extmapAllowMixed()).isTrue();
        DataChannelParameters p = DataChannelParameters.read(answer);
        assertThat(p.mediaIndex()).isEqualTo(2);
        assertThat(p.setup()).contains(Setup.ACTIVE);
        assertThat(Setup.localRole(p.setup().orElseThrow(), false)).contains(DtlsRole.CLIENT);
    }

    @Test
    void answerSetupFollowsTheOffer() throws SdpParseException {
        String offer = Captured.text("chromium-datachannel-offer.sdp");
        assertThat(setupOfAnswerTo(offer)).isEqualTo(Setup.ACTIVE);
        assertThat(setupOfAnswerTo(offer.replace("a=setup:actpass", "a=setup:active"))).isEqualTo(Setup.PASSIVE);
        assertThat(setupOfAnswerTo(offer.replace("a=setup:actpass", "a=setup:passive"))).isEqualTo(Setup.ACTIVE);
        // RFC 4145 section 4: an offer without a=setup is active.
        assertThat(setupOfAnswerTo(offer.replace("a=setup:actpass\r\n", ""))).isEqualTo(Setup.PASSIVE);
        assertThatThrownBy(() -> setupOfAnswerTo(offer.replace("a=setup:actpass", "a=setup:holdconn")))
                .isInstanceOf(IllegalStateException.class);
        SessionDescription passive = local(JsepBuilder.answer(SdpParser.parse(offer))).setup(Setup.PASSIVE).build();
        assertThat(DataChannelParameters.read(passive).setup()).contains(Setup.PASSIVE);
    }

    private static Setup setupOfAnswerTo(String offer) throws SdpParseException {
        SessionDescription answer = local(JsepBuilder.answer(SdpParser.parse(offer))).build();
        assertThat(answer.groups()).containsExactly(new Group("BUNDLE", List.of("0")));
        return DataChannelParameters.read(answer).setup().orElseThrow();
    }

    @Test
    void answerToAnOfferWithoutDataRejectsEverything() throws SdpParseException {
        SessionDescription answer = local(JsepBuilder.answer(Captured.parse("rfc8866-example.sdp"))).build();
        assertThat(answer.media()).hasSize(3).allSatisfy(m -> assertThat(m.isRejected()).isTrue());
        assertThat(answer.groups()).isEmpty();
        assertThat(answer.extmapAllowMixed()).isFalse();
    }

    @Test
    void answerToAFirefoxStyleOffer() throws SdpParseException {
        SessionDescription answer = local(JsepBuilder.answer(Captured.parse("firefox-offer.sdp"))).build();
        assertThat(answer.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1");
        assertThat(answer.groups()).containsExactly(new Group("BUNDLE", List.of("1")));
        assertThat(DataChannelParameters.read(answer).mid()).isEqualTo("1");
    }

    @Test
    void buildingRefusesWhatTheParserWouldRefuse() {
        assertThatThrownBy(() -> JsepBuilder.offer().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JsepBuilder.offer().iceCredentials("ab", "PasswordPasswordPassw+/").fingerprint(FP).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 10").hasMessageContaining("a=ice-ufrag");
        assertThatThrownBy(() -> local(JsepBuilder.offer()).mid("a b").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a=mid");
        assertThatThrownBy(() -> local(JsepBuilder.offer()).sctpPort(70000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a=sctp-port");
        assertThatThrownBy(() -> local(JsepBuilder.offer()).candidate("candidate:").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a=candidate");
        assertThatThrownBy(() -> JsepBuilder.offer().sessionId(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsepBuilder.offer().maxMessageSize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsepBuilder.offer().maxDatagram(65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SdpBuilder().line('v', "0").line('o', "- 1 1 IN IP4 x").line('s', "a\r\nb").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> new SdpBuilder().line('V', "0").build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionIdsAreRandom63BitValues() throws SdpParseException {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            long id = JsepBuilder.newSessionId(random);
            assertThat(id).isNotNegative().isLessThan(Long.MAX_VALUE);
        }
        SessionDescription a = JsepBuilder.offer().iceCredentials("Ufrg", "PasswordPasswordPassw+/").fingerprint(FP).build();
        SessionDescription b = JsepBuilder.offer().iceCredentials("Ufrg", "PasswordPasswordPassw+/").fingerprint(FP).build();
        assertThat(a.origin().sessionId()).isNotEqualTo(b.origin().sessionId());
    }

    @Test
    void trickledCandidatesAreAppendedToTheirSection() throws SdpParseException {
        SessionDescription offer = local(JsepBuilder.offer()).build();
        SessionDescription more = offer.withMediaLine(0, SdpLine.attribute("candidate", "1 1 udp 1 127.0.0.1 9 typ host"))
                .withMediaLine(0, SdpLine.attribute("end-of-candidates", null));
        assertThat(more.toString()).isEqualTo(offer + "a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\na=end-of-candidates\r\n");
        assertThat(more.media().get(0).candidates()).hasSize(1);
        assertThat(more.media().get(0).endOfCandidates()).isTrue();
        assertThatThrownBy(() -> offer.withMediaLine(1, SdpLine.attribute("x", null))).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> offer.withMediaLine(0, SdpLine.attribute("setup", "never"))).isInstanceOf(IllegalArgumentException.class);
    }
}
