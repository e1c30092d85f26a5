package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Anything a peer sends must either parse or be refused with {@link SdpParseException}: no other exception,
 * no hang, no allocation beyond the limits. What parses must write back to text that parses to the same
 * description, its typed reads must not fail, and answering it must not fail except as documented. In the
 * suite this runs the seeds in {@code SdpParserFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class SdpParserFuzzTest {

    private static final SdpLimits LIMITS = new SdpLimits(64 * 1024, 2_000);
    private static final Fingerprint FP = new Fingerprint("sha-256", new byte[32]);

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] input) {
        SessionDescription sd;
        try {
            sd = SdpParser.parse(input, LIMITS);
        } catch (SdpParseException e) {
            assertThat(e.reason()).isNotEmpty();
            return;
        }
        String text = sd.toString();
        SessionDescription again;
        try {
            again = SdpParser.parse(text, SdpLimits.DEFAULT);
        } catch (SdpParseException e) {
            throw new AssertionError("written text does not parse: " + e.getMessage() + "\n" + text);
        }
        assertThat(again.toString()).isEqualTo(text);

        readEverything(sd);
        for (MediaDescription m : sd.media()) {
            readEverything(m);
            m.mid();
            m.sctpPort();
            m.maxMessageSize();
            m.maxDatagram();
            m.candidates();
            m.direction();
            m.isRejected();
        }
        sd.groups();
        sd.msidSemantic();
        sd.iceLite();
        try {
            DataChannelParameters.read(sd);
        } catch (SdpParseException expected) {
            // a description without a usable data section
        }
        try {
            JsepBuilder.answer(sd).sessionId(1).iceCredentials("abcd", "abcdefghijklmnopqrstuv").fingerprint(FP).build();
        } catch (SdpParseException expected) {
            // the offer lacks what an answer needs
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessageContaining("holdconn");
        }
    }

    private static void readEverything(SdpSection s) {
        s.attributes();
        s.connection();
        s.iceUfrag();
        s.icePwd();
        s.iceOptions();
        s.fingerprints();
        s.setup();
    }
}
