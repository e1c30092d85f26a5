package org.rtc4j.sdp;

import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/**
 * The grammar checks for the attributes rtc4j reads, applied when a description is parsed or built so that
 * the typed accessors never meet a malformed value. Every other attribute is kept as written: RFC 8866
 * section 5.13 says unknown ones are ignored.
 */
final class AttributeRules {

    private AttributeRules() {
    }

    static void check(Attribute a) throws SdpParseException {
        if (!Grammar.isToken(a.name())) {
            throw new SdpParseException(0, "attribute name is not a token: '" + a.name() + "'");
        }
        String v = a.value();
        switch (a.name()) {
            // Property attributes: no value (RFC 8839, 5761, 8843, 8285, 8866 section 6.7).
            case "ice-lite", "end-of-candidates", "rtcp-mux", "rtcp-rsize", "extmap-allow-mixed", "bundle-only",
                 "sendrecv", "sendonly", "recvonly", "inactive" -> {
                if (v != null) {
                    throw new SdpParseException(0, "a=" + a.name() + " takes no value");
                }
            }
            // RFC 5888 section 4: identification-tag = token.
            case "mid" -> {
                if (v == null || !Grammar.isToken(v)) {
                    throw new SdpParseException(0, "a=mid needs a token value");
                }
            }
            case "group" -> Group.parse(required(a));
            // RFC 8839 section 5.4: ufrag 4 to 256 ice-chars, pwd 22 to 256.
            case "ice-ufrag" -> iceChars(a, 4);
            case "ice-pwd" -> iceChars(a, 22);
            // RFC 8839 section 5.6: ice-option-tag *(SP ice-option-tag), each a token.
            case "ice-options" -> tokens(a);
            case "fingerprint" -> Fingerprint.parse(required(a));
            case "setup" -> Setup.parse(required(a));
            // RFC 8841 section 5.1: sctp-port = portnumber.
            case "sctp-port" -> {
                String p = required(a);
                if (!Grammar.isDigits(p) || p.length() > 5 || Integer.parseInt(p) > 65535) {
                    throw new SdpParseException(0, "a=sctp-port must be a number from 0 to 65535: " + p);
                }
            }
            // RFC 8841 section 6.1: max-message-size = 1*DIGIT.
            case "max-message-size" -> {
                if (!Grammar.isDigits(required(a))) {
                    throw new SdpParseException(0, "a=max-message-size must be a decimal number: " + v);
                }
            }
            // The ICE module owns the candidate grammar; here it must at least not be empty.
            case "candidate" -> {
                if (v == null || v.isBlank()) {
                    throw new SdpParseException(0, "a=candidate needs a value");
                }
            }
            case "msid-semantic" -> MsidSemantic.parse(required(a));
            // RTP media (RFC 8866 section 6.6 and 6.15, RFC 4585, RFC 8285, RFC 5576, RFC 8830). a=rid and
            // a=simulcast are read leniently instead: earlier drafts' forms are still sent.
            case "rtpmap" -> RtpMap.parse(required(a));
            case "fmtp" -> Fmtp.parse(required(a));
            case "rtcp-fb" -> RtcpFeedback.parseLine(required(a));
            case "extmap" -> HeaderExtension.parse(required(a));
            case "ssrc" -> Ssrc.parse(required(a));
            case "ssrc-group" -> Ssrc.Group.parse(required(a));
            case "msid" -> Msid.parse(required(a));
            default -> {
                // kept as written
            }
        }
    }

    private static String required(Attribute a) throws SdpParseException {
        if (a.value() == null) {
            throw new SdpParseException(0, "a=" + a.name() + " needs a value");
        }
        return a.value();
    }

    private static void iceChars(Attribute a, int min) throws SdpParseException {
        String v = required(a);
        if (v.length() < min || v.length() > 256 || !Grammar.isIceChars(v)) {
            throw new SdpParseException(0, "a=" + a.name() + " must be " + min + " to 256 characters of A-Z a-z 0-9 + /");
        }
    }

    private static void tokens(Attribute a) throws SdpParseException {
        List<String> f = Grammar.fields(required(a));
        if (f == null) {
            throw new SdpParseException(0, "a=" + a.name() + " needs tokens separated by single spaces");
        }
        for (String t : f) {
            if (!Grammar.isToken(t)) {
                throw new SdpParseException(0, "a=" + a.name() + " value is not a token: " + t);
            }
        }
    }
}
