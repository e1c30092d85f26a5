package org.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SdpParserTest {

    private static final String MINIMAL = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @ParameterizedTest
    @FieldSource("org.rtc4j.sdp.Captured#ALL")
    void capturedDescriptionsRoundTripByteForByte(String name) throws SdpParseException {
        String text = Captured.text(name);
        assertThat(text).contains("\r\n").doesNotContain("\r\n\r\n");
        SessionDescription sd = SdpParser.parse(text);
        assertThat(sd.toString()).isEqualTo(text);
        assertThat(SdpParser.parse(text.getBytes(StandardCharsets.UTF_8), SdpLimits.DEFAULT)).isEqualTo(sd);
        assertThat(sd.allLines()).hasSize((int) text.lines().count());
    }

    @ParameterizedTest
    @FieldSource("org.rtc4j.sdp.Captured#ALL")
    void lineFeedsAloneAreAcceptedAndWrittenAsCrlf(String name) throws SdpParseException {
        String crlf = Captured.text(name);
        String lf = crlf.replace("\r\n", "\n");
        assertThat(SdpParser.parse(lf).toString()).isEqualTo(crlf);
        // The last line may lack its ending; blank lines may trail.
        assertThat(SdpParser.parse(lf.stripTrailing()).toString()).isEqualTo(crlf);
        assertThat(SdpParser.parse(crlf + "\r\n\n").toString()).isEqualTo(crlf);
    }

    @Test
    void keepsUnknownLinesAndAttributesInOrder() throws SdpParseException {
        String text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\ny=something new\r\nt=0 0\r\na=x-custom:1 2\r\n"
                + "a=flag\r\na=empty:\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nq=?\r\n"
                + "a=mid:0\r\na=x-google-flag:conference\r\n";
        SessionDescription sd = SdpParser.parse(text);
        assertThat(sd.toString()).isEqualTo(text);
        assertThat(sd.lines()).extracting(SdpLine::type).containsExactly('v', 'o', 's', 'y', 't', 'a', 'a', 'a');
        assertThat(sd.attributes()).containsExactly(new Attribute("x-custom", "1 2"), new Attribute("flag", null),
                new Attribute("empty", ""));
        assertThat(sd.attribute("flag").orElseThrow().isProperty()).isTrue();
        assertThat(sd.attributeValue("empty")).contains("");
        MediaDescription m = sd.media().get(0);
        assertThat(m.lines()).extracting(SdpLine::toString)
                .containsExactly("m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "q=?", "a=mid:0",
                        "a=x-google-flag:conference");
        assertThat(m.lineNumber()).isEqualTo(9);
    }

    @Test
    void readsTheRfc8866Example() throws SdpParseException {
        SessionDescription sd = Captured.parse("rfc8866-example.sdp");
        assertThat(sd.origin()).isEqualTo(new Origin("jdoe", "3724394400", "3724394405", "IN", "IP4", "198.51.100.1"));
        assertThat(sd.sessionName()).isEqualTo("Call to John Smith");
        assertThat(sd.connection()).contains(new Connection("IN", "IP4", "198.51.100.1"));
        assertThat(sd.media()).extracting(MediaDescription::mediaLine).containsExactly(
                new MediaLine("audio", 49170, 0, "RTP/AVP", java.util.List.of("0")),
                new MediaLine("audio", 49180, 0, "RTP/AVP", java.util.List.of("0")),
                new MediaLine("video", 51372, 0, "RTP/AVP", java.util.List.of("99")));
        assertThat(sd.media().get(2).connection()).contains(new Connection("IN", "IP6", "2001:db8::2"));
        assertThat(sd.media().get(0).connection()).isEmpty();
        assertThat(sd.media().get(2).attributeValue("rtpmap")).contains("99 h263-1998/90000");
    }

    @Test
    void portCountsAreParsedAndWritten() throws SdpParseException {
        MediaLine m = MediaLine.parse("video 49170/2 RTP/AVP 31");
        assertThat(m.port()).isEqualTo(49170);
        assertThat(m.portCount()).isEqualTo(2);
        assertThat(m).hasToString("video 49170/2 RTP/AVP 31");
    }

    private static void assertError(String text, int line, String reasonPart) {
        assertThatThrownBy(() -> SdpParser.parse(text))
                .isInstanceOfSatisfying(SdpParseException.class, e -> {
                    assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
                    assertThat(e.reason()).contains(reasonPart);
                    assertThat(e.getStackTrace()).isEmpty();
                });
    }

    @Test
    void reportsStructuralErrorsWithTheirLine() {
        assertError("", 0, "empty");
        assertError("\r\n", 0, "empty");
        assertError("v=1\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", 1, "v= must be 0");
        assertError("o=- 1 2 IN IP4 0.0.0.0\r\n", 1, "must be v=");
        assertError("v=0\r\ns=-\r\n", 2, "must be o=");
        assertError("v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n", 2, "6 fields");
        assertError("v=0\r\no=- x 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", 2, "decimal");
        assertError("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\nt=0 0\r\n", 3, "must be s=");
        assertError("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\n", 0, "no t=");
        assertError(MINIMAL + "t=now\r\n", 5, "t=");
        assertError(MINIMAL + "v=0\r\n", 5, "only once");
        assertError(MINIMAL + "c=IN IP4 0.0.0.0\r\nc=IN IP4 0.0.0.0\r\n", 6, "more than one c=");
        assertError(MINIMAL + "c=IN IP4\r\n", 5, "c= needs 3 fields");
        assertError(MINIMAL + "b=AS\r\n", 5, "b=");
        assertError(MINIMAL + "bogus\r\n", 5, "<type>=<value>");
        assertError(MINIMAL + "A=x\r\n", 5, "lower-case");
        assertError(MINIMAL + "a=x\rb\r\n", 5, "CR not followed by LF");
        assertError(MINIMAL + "a=x\u0000\r\n", 5, "NUL");
        assertError(MINIMAL + "\r\na=x\r\n", 5, "blank line");
        assertError(MINIMAL + "a=bad name:1\r\n", 5, "not a token");
        assertError(MINIMAL + "a=:1\r\n", 5, "not a token");
    }

    @Test
    void reportsBadMediaSectionsWithTheirLine() {
        String m = MINIMAL + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n";
        assertError(MINIMAL + "m=application 9 UDP/DTLS/SCTP\r\n", 5, "at least one format");
        assertError(MINIMAL + "m=application 70000 UDP/DTLS/SCTP x\r\n", 5, "port");
        assertError(MINIMAL + "m=application -1 UDP/DTLS/SCTP x\r\n", 5, "port");
        assertError(MINIMAL + "m=application 9/0 UDP/DTLS/SCTP x\r\n", 5, "number of ports");
        assertError(MINIMAL + "m=application  9 UDP/DTLS/SCTP x\r\n", 5, "single spaces");
        assertError(MINIMAL + "m=application 9 UDP//SCTP x\r\n", 5, "proto");
        assertError(m + "t=0 0\r\n", 6, "only at session level");
        assertError(m + "o=- 1 2 IN IP4 0.0.0.0\r\n", 6, "only at session level");
        assertError(m + "c=IN\r\n", 6, "c=");
    }

    @Test
    void reportsMalformedJsepAttributesWithTheirLine() {
        String m = MINIMAL + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n";
        assertError(m + "a=setup:sometimes\r\n", 7, "a=setup");
        assertError(m + "a=setup\r\n", 7, "needs a value");
        assertError(m + "a=fingerprint:sha-256\r\n", 7, "a=fingerprint");
        assertError(m + "a=fingerprint:sha-256 AB:CD:E\r\n", 7, "a=fingerprint");
        assertError(m + "a=fingerprint:sha-256 AB;CD\r\n", 7, "a=fingerprint");
        assertError(m + "a=fingerprint:sha-256 XY:CD\r\n", 7, "a=fingerprint");
        assertError(m + "a=fingerprint:sha-256 " + "AB:".repeat(64) + "AB\r\n", 7, "1 to 64");
        assertError(m + "a=ice-ufrag:abc\r\n", 7, "a=ice-ufrag");
        assertError(m + "a=ice-ufrag:abc-def\r\n", 7, "a=ice-ufrag");
        assertError(m + "a=ice-pwd:tooshort\r\n", 7, "a=ice-pwd");
        assertError(m + "a=ice-pwd:" + "x".repeat(257) + "\r\n", 7, "a=ice-pwd");
        assertError(m + "a=ice-options:trickle  ice2\r\n", 7, "a=ice-options");
        assertError(m + "a=sctp-port:65536\r\n", 7, "a=sctp-port");
        assertError(m + "a=sctp-port:x\r\n", 7, "a=sctp-port");
        assertError(m + "a=max-message-size:-1\r\n", 7, "a=max-message-size");
        assertError(m + "a=max-message-size\r\n", 7, "needs a value");
        assertError(m + "a=rtcp-mux:yes\r\n", 7, "takes no value");
        assertError(m + "a=end-of-candidates:\r\n", 7, "takes no value");
        assertError(m + "a=candidate:\r\n", 7, "a=candidate");
        assertError(m + "a=mid:a b\r\n", 7, "a=mid");
        assertError(MINIMAL + "a=group:BUNDLE 0  1\r\n", 5, "a=group");
        assertError(MINIMAL + "a=group:\r\n", 5, "a=group");
        assertError(MINIMAL + "a=msid-semantic:\r\n", 5, "a=msid-semantic");
    }

    @Test
    void refusesInputBeyondTheLimits() throws SdpParseException {
        String text = Captured.text("chromium-offer.sdp");
        long lines = text.lines().count();
        SdpLimits exact = new SdpLimits(text.length(), (int) lines);
        assertThat(SdpParser.parse(text, exact).toString()).isEqualTo(text);
        assertThatThrownBy(() -> SdpParser.parse(text, new SdpLimits(text.length() - 1, 10_000)))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> SdpParser.parse(text.getBytes(StandardCharsets.UTF_8), new SdpLimits(text.length() - 1, 10_000)))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> SdpParser.parse(text, new SdpLimits(1 << 20, (int) lines - 1)))
                .isInstanceOfSatisfying(SdpParseException.class, e -> assertThat(e.line()).isEqualTo(lines));
        // A flood of empty lines counts against the line limit too.
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "\n".repeat(20_000)))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> SdpParser.parse("a".repeat((1 << 20) + 1)))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> new SdpLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesMustBeUtf8() throws SdpParseException {
        byte[] bad = (MINIMAL + "a=x:\u00ff\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SdpParser.parse(bad, SdpLimits.DEFAULT)).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("UTF-8");
        String text = MINIMAL.replace("s=-", "s=Gespräch ☎");
        assertThat(SdpParser.parse(text.getBytes(StandardCharsets.UTF_8), SdpLimits.DEFAULT).sessionName())
                .isEqualTo("Gespräch ☎");
    }
}
