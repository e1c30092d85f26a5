package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The typed media readers and the negotiation on anything a peer sends: the input becomes the body of a
 * description after a fixed session level (so the fuzzer spends its time inside media sections), and must either
 * be refused with {@link SdpParseException} or be read, negotiated and answered without any other exception; the
 * answer must parse again. In the suite this runs the seeds in {@code MediaSectionFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class MediaSectionFuzzTest {

    private static final SdpLimits LIMITS = new SdpLimits(64 * 1024, 2_000);
    private static final String SESSION = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n"
            + "a=extmap-allow-mixed\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
            + "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB\r\n";

    @FuzzTest(maxDuration = "60s")
    void mediaSection(byte[] input) {
        SessionDescription sd;
        try {
            sd = SdpParser.parse(SESSION + new String(input, StandardCharsets.UTF_8), LIMITS);
        } catch (SdpParseException e) {
            assertThat(e.reason()).isNotEmpty();
            return;
        }
        for (MediaDescription m : sd.media()) {
            List<RtpCodecParameters> codecs = m.codecs();
            for (RtpCodecParameters c : codecs) {
                c.apt();
                c.sdpFmtpLine();
                c.rtpMap();
            }
            sd.headerExtensions(m).forEach(HeaderExtension::toString);
            sd.directionOf(m);
            m.msids();
            m.ssrcGroups();
            for (long ssrc : m.ssrcIds()) {
                m.rtxSsrcOf(ssrc);
                m.cnameOf(ssrc);
            }
            m.rids();
            m.simulcast();
            RtpCapabilities local = RtpCapabilities.defaults(m.kind());
            for (RtpCodecParameters c : CodecNegotiation.answer(codecs, local.codecs(), false)) {
                assertThat(codecs).as("an answer keeps the offer's payload types").anyMatch(o -> o.payloadType() == c.payloadType());
            }
            CodecNegotiation.answer(codecs, local.codecs(), true);
            CodecNegotiation.accepted(local.codecs(), codecs);
            ExtensionNegotiation.answer(sd, m, local.headerExtensions());
        }
        try {
            TransportParameters.read(sd);
        } catch (SdpParseException expected) {
            // every section rejected
        }
        JsepBuilder b = JsepBuilder.answer(sd).sessionId(1).iceCredentials("abcd", "abcdefghijklmnopqrstuv")
                .fingerprint(new Fingerprint("sha-256", new byte[32]));
        for (MediaDescription m : sd.media()) {
            if (m.isRtp() && m.mid().isPresent()) {
                b.media(TransceiverSection.answer(sd, m, Direction.SENDRECV, RtpCapabilities.defaults(m.kind()), false)
                        .withTrack("t", List.of("s")).withSendStreams(List.of(new TransceiverSection.SendStream(1, 2, "c"))));
            }
        }
        SessionDescription answer;
        try {
            answer = b.build();
        } catch (SdpParseException expected) {
            return; // the offer lacks what an answer needs
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessageContaining("holdconn");
            return;
        }
        try {
            SdpParser.parse(answer.toString());
        } catch (SdpParseException e) {
            throw new AssertionError("our answer does not parse: " + e.getMessage() + "\n" + answer);
        }
    }
}
