package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The data-channel section of draft-ietf-mmusic-sctp-sdp-05 ({@code DTLS/SCTP <port>} with {@code a=sctpmap}),
 * still sent by deployed stacks: read, and answered in the same form.
 */
class LegacyDataChannelTest {
    static final Fingerprint FP = new Fingerprint("sha-256", new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
            29, 30, 31, 32});

    static final String LEGACY_OFFER = String.join("\r\n",
            "v=0",
            "o=- 1234 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE data",
            "a=msid-semantic: WMS",
            "m=application 9 DTLS/SCTP 5001",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:abcd",
            "a=ice-pwd:abcdefghijklmnopqrstuvwx",
            "a=fingerprint:" + FP,
            "a=setup:actpass",
            "a=mid:data",
            "a=sctpmap:5001 webrtc-datachannel 1024",
            "") + "\r\n";

    @Test
    void aLegacyOfferReads() throws Exception {
        SessionDescription sd = SdpParser.parse(LEGACY_OFFER);
        MediaDescription m = sd.media().get(0);
        assertThat(m.isDataChannel()).isTrue();
        assertThat(m.isLegacyDataChannel()).isTrue();
        DataChannelParameters p = DataChannelParameters.read(sd);
        assertThat(p.legacy()).isTrue();
        assertThat(p.sctpPort()).isEqualTo(5001);
        assertThat(p.mid()).isEqualTo("data");
        assertThat(p.maxMessageSize()).isEqualTo(65_536); // RFC 8841 section 6.1: absent
    }

    @Test
    void itIsAnsweredInTheSameForm() throws Exception {
        SessionDescription answer = JsepBuilder.answer(SdpParser.parse(LEGACY_OFFER))
                .iceCredentials("Ufrg", "PasswordPasswordPassw+/").fingerprint(FP).build();
        MediaDescription m = answer.media().get(0);
        assertThat(m.mediaLine().toString()).isEqualTo("application 9 DTLS/SCTP 5000");
        assertThat(m.attributeValues("sctpmap")).containsExactly("5000 webrtc-datachannel 65535");
        assertThat(m.hasAttribute("sctp-port")).isFalse();
        assertThat(m.mid()).contains("data");
        assertThat(answer.groups()).singleElement().satisfies(g -> assertThat(g.mids()).containsExactly("data"));
        DataChannelParameters read = DataChannelParameters.read(SdpParser.parse(answer.toString()));
        assertThat(read.legacy()).isTrue();
        assertThat(read.sctpPort()).isEqualTo(5000);
    }

    @Test
    void aSectionThatOnlyLooksLegacyIsNoDataChannel() throws Exception {
        for (String bad : new String[] {
            LEGACY_OFFER.replace("a=sctpmap:5001 webrtc-datachannel 1024", "a=sctpmap:5002 webrtc-datachannel 1024"),
            LEGACY_OFFER.replace("a=sctpmap:5001 webrtc-datachannel 1024", "a=sctpmap:5001 something-else 1024"),
            LEGACY_OFFER.replace("a=sctpmap:5001 webrtc-datachannel 1024\r\n", ""),
            LEGACY_OFFER.replace("DTLS/SCTP 5001", "DTLS/SCTP 99999").replace("sctpmap:5001", "sctpmap:99999"),
        }) {
            SessionDescription sd = SdpParser.parse(bad);
            assertThat(sd.media().get(0).isDataChannel()).as(bad).isFalse();
        }
    }

    @Test
    void modernSectionsStayModern() throws Exception {
        SessionDescription offer = JsepBuilder.offer().iceCredentials("Ufrg", "PasswordPasswordPassw+/")
                .fingerprint(FP).build();
        assertThat(DataChannelParameters.read(offer).legacy()).isFalse();
        SessionDescription answer = JsepBuilder.answer(offer).iceCredentials("Ufrg", "PasswordPasswordPassw+/")
                .fingerprint(FP).build();
        assertThat(answer.media().get(0).mediaLine().proto()).isEqualTo(MediaLine.PROTO_DTLS_SCTP);
        assertThat(answer.media().get(0).attributeValue("sctp-port")).contains("5000");
    }
}
