package org.rtc4j.sdp;

import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/**
 * {@code a=ssrc:<ssrc-id> <attribute>[:<value>]} (RFC 5576 section 4.1), e.g.
 * {@code a=ssrc:2354646366 cname:JY81lPj8dfpJ/VO4}; the value is empty for a property.
 */
public record Ssrc(long ssrc, String attribute, String value) {

    /** Parses the value of {@code a=ssrc}. */
    public static Ssrc parse(String value) throws SdpParseException {
        int sp = value.indexOf(' ');
        if (sp <= 0 || sp == value.length() - 1) {
            throw new SdpParseException(0, "a=ssrc must be <ssrc-id> <attribute>[:<value>]");
        }
        long id = ssrcId(value.substring(0, sp), "a=ssrc");
        String rest = value.substring(sp + 1);
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        if (!Grammar.isToken(name)) {
            throw new SdpParseException(0, "a=ssrc attribute name is not a token: " + name);
        }
        return new Ssrc(id, name, colon < 0 ? "" : rest.substring(colon + 1));
    }

    /** An SSRC is a 32-bit unsigned number (RFC 3550 section 5.1). */
    static long ssrcId(String s, String what) throws SdpParseException {
        if (!Grammar.isDigits(s) || s.length() > 10 || Long.parseLong(s) > 0xFFFF_FFFFL) {
            throw new SdpParseException(0, what + " SSRC must be a number from 0 to 4294967295: " + s);
        }
        return Long.parseLong(s);
    }

    /** The attribute value. */
    @Override
    public String toString() {
        return ssrc + " " + attribute + (value.isEmpty() ? "" : ":" + value);
    }

    /**
     * {@code a=ssrc-group:<semantics> <ssrc-id> ...} (RFC 5576 section 4.2): {@code FID} pairs a stream with its
     * RTX repair stream (RFC 4588 section 8.1), {@code SIM} lists simulcast layers.
     */
    public record Group(String semantics, List<Long> ssrcs) {

        public static final String FID = "FID";
        public static final String SIM = "SIM";

        public Group {
            ssrcs = List.copyOf(ssrcs);
        }

        /** Parses the value of {@code a=ssrc-group}. */
        public static Group parse(String value) throws SdpParseException {
            List<String> f = Grammar.fields(value);
            if (f == null || !Grammar.isToken(f.get(0))) {
                throw new SdpParseException(0, "a=ssrc-group must be <semantics> <ssrc-id> ...");
            }
            Long[] ids = new Long[f.size() - 1];
            for (int i = 1; i < f.size(); i++) {
                ids[i - 1] = ssrcId(f.get(i), "a=ssrc-group");
            }
            return new Group(f.get(0), List.of(ids));
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(semantics);
            ssrcs.forEach(s -> sb.append(' ').append(s));
            return sb.toString();
        }
    }
}
