package org.rtc4j.sdp;

import java.util.Objects;
import org.rtc4j.sdp.internal.Grammar;

/**
 * One RTCP feedback message a payload format supports, from {@code a=rtcp-fb:<format> <type> [<parameter>]}
 * (RFC 4585 section 4.2): {@code nack}, {@code nack pli}, {@code ccm fir} (RFC 5104), {@code goog-remb},
 * {@code transport-cc}. Named as W3C {@code RTCRtcpFeedback}; the parameter is empty when absent.
 */
public record RtcpFeedback(String type, String parameter) {

    public static final RtcpFeedback NACK = new RtcpFeedback("nack", "");
    public static final RtcpFeedback NACK_PLI = new RtcpFeedback("nack", "pli");
    public static final RtcpFeedback CCM_FIR = new RtcpFeedback("ccm", "fir");
    public static final RtcpFeedback GOOG_REMB = new RtcpFeedback("goog-remb", "");
    public static final RtcpFeedback TRANSPORT_CC = new RtcpFeedback("transport-cc", "");

    /** {@code *} in place of a payload type: the feedback applies to every format of the section. */
    public static final String ALL_FORMATS = "*";

    public RtcpFeedback {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(parameter, "parameter");
    }

    /** One {@code a=rtcp-fb} line: the format it names ({@code *} for all) and the feedback. */
    public record Line(String format, RtcpFeedback feedback) {

        /** Whether it applies to payload type {@code pt}. */
        public boolean appliesTo(int pt) {
            return format.equals(ALL_FORMATS) || format.equals(Integer.toString(pt));
        }

        @Override
        public String toString() {
            return format + " " + feedback;
        }
    }

    /** Parses the value of {@code a=rtcp-fb}: {@code <pt or *> <type> [<parameter...>]}. */
    public static Line parseLine(String value) throws SdpParseException {
        int sp = value.indexOf(' ');
        if (sp <= 0) {
            throw new SdpParseException(0, "a=rtcp-fb must be <payload type or *> <type> [<parameter>]");
        }
        String format = value.substring(0, sp);
        if (!format.equals(ALL_FORMATS)) {
            RtpMap.payloadType(format, "a=rtcp-fb");
        }
        String rest = value.substring(sp + 1);
        int sp2 = rest.indexOf(' ');
        String type = sp2 < 0 ? rest : rest.substring(0, sp2);
        if (!Grammar.isToken(type)) {
            throw new SdpParseException(0, "a=rtcp-fb type is not a token: " + type);
        }
        return new Line(format, new RtcpFeedback(type, sp2 < 0 ? "" : rest.substring(sp2 + 1)));
    }

    /** The text after the format in {@code a=rtcp-fb}. */
    @Override
    public String toString() {
        return parameter.isEmpty() ? type : type + " " + parameter;
    }
}
