package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TypedAttributesTest {

    private static final String SESSION = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String DATA = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n";
    private static final String TRANSPORT = "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
            + "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB\r\n";

    @Test
    void chromiumDataChannelOffer() throws SdpParseException {
        SessionDescription sd = Captured.parse("chromium-datachannel-offer.sdp");
        assertThat(sd.origin().sessionVersion()).isEqualTo("2");
        assertThat(sd.origin().address()).isEqualTo("127.0.0.1");
        assertThat(sd.groups()).containsExactly(new Group("BUNDLE", List.of("0")));
        assertThat(sd.extmapAllowMixed()).isTrue();
        assertThat(sd.msidSemantic()).contains(new MsidSemantic("WMS", List.of()));
        MediaDescription m = sd.media().get(0);
        assertThat(m.isDataChannel()).isTrue();
        assertThat(m.isRejected()).isFalse();
        assertThat(m.mid()).contains("0");
        assertThat(m.connection()).contains(new Connection("IN", "IP4", "127.0.0.1"));
        assertThat(m.candidates()).hasSize(2).allSatisfy(c -> assertThat(c).contains("127.0.0.1"));
        assertThat(m.endOfCandidates()).isFalse();

        DataChannelParameters p = DataChannelParameters.read(sd);
        assertThat(p.mediaIndex()).isZero();
        assertThat(p.mid()).isEqualTo("0");
        assertThat(p.iceUfrag()).isEqualTo("/hus");
        assertThat(p.icePwd()).isEqualTo("DcWvWuXPzqvI/HeBnIX0g2AW");
        assertThat(p.iceOptions()).containsExactly("trickle");
        assertThat(p.trickle()).isTrue();
        assertThat(p.setup()).contains(Setup.ACTPASS);
        assertThat(p.sctpPort()).isEqualTo(5000);
        assertThat(p.maxMessageSize()).isEqualTo(262_144);
        assertThat(p.port()).isEqualTo(48926);
        assertThat(p.fingerprints()).containsExactly(new Fingerprint("sha-256", HexFormat.of().parseHex(
                "0D87B0ED5C62C5A17B74CB3F60F2488A49377BABA29C1AE20E09C28B172969E4")));
    }

    @Test
    void chromiumAnswerTakesTheActiveRole() throws SdpParseException {
        DataChannelParameters p = DataChannelParameters.read(Captured.parse("chromium-answer.sdp"));
        assertThat(p.mid()).isEqualTo("2");
        assertThat(p.mediaIndex()).isEqualTo(2);
        assertThat(p.setup()).contains(Setup.ACTIVE);
        // Bundled: the transport and its candidates are those of the group's first section, mid 0.
        assertThat(p.candidates()).singleElement().satisfies(c -> assertThat(c).contains("udp").contains("45457"));
        assertThat(p.port()).isEqualTo(9);
    }

    @Test
    void chromiumMediaSectionsKeepTheirAttributes() throws SdpParseException {
        SessionDescription sd = Captured.parse("chromium-offer.sdp");
        MediaDescription audio = sd.media().get(0);
        assertThat(audio.mediaLine().formats()).containsExactly("111", "63", "9", "0", "8", "13", "110", "126");
        assertThat(audio.attributeValues("rtpmap")).startsWith("111 opus/48000/2");
        assertThat(audio.attributeValues("fmtp")).startsWith("111 minptime=10;useinbandfec=1");
        assertThat(audio.attributeValue("rtcp")).contains("9 IN IP4 0.0.0.0");
        assertThat(audio.attributes("ssrc")).hasSize(2);
        assertThat(audio.direction()).contains(Direction.SENDRECV);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.hasAttribute("rtcp-rsize")).isTrue();
        MediaDescription video = sd.media().get(1);
        assertThat(video.attributeValues("rtcp-fb")).contains("96 nack pli");
        assertThat(video.attributeValues("extmap")).contains("13 urn:3gpp:video-orientation");
        assertThat(sd.mediaByMid("1")).containsSame(video);
        assertThat(sd.bundleGroupOf("2")).map(Group::mids).contains(List.of("0", "1", "2"));
        assertThat(sd.msidSemantic().orElseThrow().ids()).hasSize(1);
    }

    @Test
    void firefoxSessionLevelFingerprintAndBundledCandidates() throws SdpParseException {
        SessionDescription sd = Captured.parse("firefox-offer.sdp");
        assertThat(sd.msidSemantic()).contains(new MsidSemantic("WMS", List.of("*")));
        assertThat(sd.iceOptions()).containsExactly("trickle");
        MediaDescription data = sd.media().get(1);
        assertThat(data.fingerprints()).isEmpty();
        assertThat(data.candidates()).isEmpty();
        DataChannelParameters p = DataChannelParameters.read(sd);
        assertThat(p.mid()).isEqualTo("1");
        assertThat(p.fingerprints()).isEqualTo(sd.fingerprints()).hasSize(1);
        assertThat(p.iceOptions()).containsExactly("trickle"); // session-level fallback
        assertThat(p.candidates()).hasSize(2); // from mid 0, the group's first section
        assertThat(p.endOfCandidates()).isTrue();
        assertThat(p.iceUfrag()).isEqualTo("9c3e7a1f");
        assertThat(p.maxMessageSize()).isEqualTo(1_073_741_823);
        assertThat(p.connection()).contains(new Connection("IN", "IP4", "127.0.0.1"));
    }

    @Test
    void pionDefaultsAndSessionLevelValues() throws SdpParseException {
        SessionDescription sd = Captured.parse("pion-offer.sdp");
        DataChannelParameters p = DataChannelParameters.read(sd);
        assertThat(p.maxMessageSize()).isEqualTo(65_536); // RFC 8841: absent means 64 KiB
        assertThat(p.maxDatagram()).isZero(); // only rtc4j says
        assertThat(sd.media().get(0).maxMessageSizeAttribute()).isEmpty();
        assertThat(p.trickle()).isFalse();
        assertThat(p.fingerprints()).hasSize(1);
        assertThat(p.candidates()).hasSize(2);
        assertThat(p.endOfCandidates()).isTrue();
        assertThat(sd.msidSemantic()).map(MsidSemantic::semantic).contains("WMS*");
    }

    @Test
    void maxMessageSizeZeroMeansNoLimitAndHugeValuesSaturate() throws SdpParseException {
        MediaDescription zero = SdpParser.parse(SESSION + DATA + "a=max-message-size:0\r\n").media().get(0);
        assertThat(zero.maxMessageSizeAttribute()).isEqualTo(OptionalLong.of(0));
        assertThat(zero.maxMessageSize()).isEqualTo(Long.MAX_VALUE);
        MediaDescription huge = SdpParser.parse(SESSION + DATA + "a=max-message-size:99999999999999999999999\r\n").media().get(0);
        assertThat(huge.maxMessageSize()).isEqualTo(Long.MAX_VALUE);
        MediaDescription none = SdpParser.parse(SESSION + DATA).media().get(0);
        assertThat(none.maxMessageSize()).isEqualTo(65_536);
        assertThat(none.sctpPort()).isEqualTo(5000);
        assertThat(none.sctpPortAttribute()).isEmpty();
    }

    @Test
    void mediaLevelValuesOverrideSessionLevelOnes() throws SdpParseException {
        String text = SESSION.replace("t=0 0\r\n", "t=0 0\r\na=ice-lite\r\na=setup:passive\r\na=ice-ufrag:sess\r\n"
                + "a=ice-pwd:sessionsessionsession1\r\na=fingerprint:sha-1 01:02\r\nc=IN IP4 192.0.2.1\r\n")
                + DATA.replace("c=IN IP4 0.0.0.0\r\n", "") + "a=ice-ufrag:media\r\na=setup:active\r\n";
        SessionDescription sd = SdpParser.parse(text);
        DataChannelParameters p = DataChannelParameters.read(sd);
        assertThat(p.iceLite()).isTrue();
        assertThat(p.iceUfrag()).isEqualTo("media");
        assertThat(p.icePwd()).isEqualTo("sessionsessionsession1");
        assertThat(p.setup()).contains(Setup.ACTIVE);
        assertThat(p.fingerprints()).containsExactly(new Fingerprint("SHA-1", new byte[] {1, 2}));
        assertThat(p.connection()).contains(new Connection("IN", "IP4", "192.0.2.1"));
    }

    @Test
    void readingFailsWithoutWhatTheTransportNeeds() throws SdpParseException {
        assertThatThrownBy(() -> DataChannelParameters.read(Captured.parse("rfc8866-example.sdp")))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("no data-channel section");
        String rejected = SESSION + DATA.replace(" 9 ", " 0 ") + TRANSPORT;
        assertThatThrownBy(() -> DataChannelParameters.read(SdpParser.parse(rejected)))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("no data-channel section");
        // bundle-only with port 0 is not rejected (RFC 8843 section 6)
        assertThat(DataChannelParameters.read(SdpParser.parse(rejected + "a=bundle-only\r\n")).port()).isZero();
        assertThatThrownBy(() -> DataChannelParameters.read(SdpParser.parse(SESSION + DATA.replace("a=mid:0\r\n", "") + TRANSPORT)))
                .isInstanceOfSatisfying(SdpParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.reason()).contains("a=mid");
                });
        assertThatThrownBy(() -> DataChannelParameters.read(SdpParser.parse(SESSION + DATA + TRANSPORT.replaceAll("a=ice-pwd:.*\r\n", ""))))
                .hasMessageContaining("a=ice-pwd");
        assertThatThrownBy(() -> DataChannelParameters.read(SdpParser.parse(SESSION + DATA + TRANSPORT.replaceAll("a=ice-ufrag:.*\r\n", ""))))
                .hasMessageContaining("a=ice-ufrag");
        assertThatThrownBy(() -> DataChannelParameters.read(SdpParser.parse(SESSION + DATA + TRANSPORT.replaceAll("a=fingerprint:.*\r\n", ""))))
                .hasMessageContaining("a=fingerprint");
        assertThat(DataChannelParameters.read(SdpParser.parse(SESSION + DATA + TRANSPORT)).setup()).isEmpty();
    }

    @Test
    void fingerprintsParseWriteAndCompare() throws SdpParseException {
        Fingerprint f = Fingerprint.parse("SHA-256 0a:1B:ff");
        assertThat(f.hashFunction()).isEqualTo("sha-256");
        assertThat(f.digest()).containsExactly(0x0a, 0x1b, 0xff);
        assertThat(f).hasToString("sha-256 0A:1B:FF");
        assertThat(f.matches(new byte[] {0x0a, 0x1b, (byte) 0xff})).isTrue();
        assertThat(f.matches(new byte[] {0x0a, 0x1b})).isFalse();
        assertThat(f).isEqualTo(Fingerprint.parse("sha-256 0A:1B:FF")).hasSameHashCodeAs(Fingerprint.parse("sha-256 0A:1B:FF"));
        byte[] mutable = f.digest();
        mutable[0] = 0;
        assertThat(f.digest()[0]).isEqualTo((byte) 0x0a);
        assertThatThrownBy(() -> Fingerprint.parse("sha-256 0A:1B:")).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> Fingerprint.parse(" 0A")).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> new Fingerprint("sha-256", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setupValuesAndDtlsRoles() throws SdpParseException {
        assertThat(Setup.parse("ActPass")).isEqualTo(Setup.ACTPASS);
        assertThat(Setup.HOLDCONN.sdpValue()).isEqualTo("holdconn");
        // RFC 8842 section 5.3 / RFC 9429 section 5.3.1: what an answerer writes.
        assertThat(Setup.ACTPASS.answer()).isEqualTo(Setup.ACTIVE);
        assertThat(Setup.PASSIVE.answer()).isEqualTo(Setup.ACTIVE);
        assertThat(Setup.ACTIVE.answer()).isEqualTo(Setup.PASSIVE);
        assertThatThrownBy(Setup.HOLDCONN::answer).isInstanceOf(IllegalStateException.class);
        // The answer's value decides: the answerer takes the role it names, the offerer the other.
        assertThat(Setup.localRole(Setup.ACTIVE, false)).contains(DtlsRole.CLIENT);
        assertThat(Setup.localRole(Setup.ACTIVE, true)).contains(DtlsRole.SERVER);
        assertThat(Setup.localRole(Setup.PASSIVE, false)).contains(DtlsRole.SERVER);
        assertThat(Setup.localRole(Setup.PASSIVE, true)).contains(DtlsRole.CLIENT);
        assertThat(Setup.localRole(Setup.ACTPASS, true)).isEmpty();
        assertThat(Setup.localRole(Setup.HOLDCONN, false)).isEmpty();
        assertThat(DtlsRole.CLIENT.opposite()).isEqualTo(DtlsRole.SERVER);
    }

    @Test
    void directionsAndGroups() throws SdpParseException {
        assertThat(Direction.of("recvonly")).contains(Direction.RECVONLY);
        assertThat(Direction.of("rtcp-mux")).isEmpty();
        assertThat(SdpParser.parse(SESSION + DATA).media().get(0).direction()).isEmpty();
        Group g = Group.parse("LS 1 2");
        assertThat(g.isBundle()).isFalse();
        assertThat(g).hasToString("LS 1 2");
        assertThat(Group.parse("BUNDLE")).isEqualTo(new Group("BUNDLE", List.of()));
    }

    @Test
    void maxDatagramIsReadWhenWellFormedAndIgnoredOtherwise() throws SdpParseException {
        assertThat(SdpParser.parse(SESSION + DATA + "a=x-rtc4j-max-datagram:65507\r\n").media().get(0).maxDatagram())
                .isEqualTo(65_507);
        assertThat(SdpParser.parse(SESSION + DATA + "a=x-rtc4j-max-datagram:99999999\r\n").media().get(0).maxDatagram())
                .isEqualTo(65_535);
        for (String bad : new String[] {"", "-1", "12ab", "9999999999999", " "}) {
            assertThat(SdpParser.parse(SESSION + DATA + "a=x-rtc4j-max-datagram:" + bad + "\r\n").media().get(0)
                    .maxDatagram()).as(bad).isZero();
        }
    }
}
