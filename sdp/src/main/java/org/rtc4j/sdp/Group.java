package org.rtc4j.sdp;

import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/** {@code a=group:<semantics> <mid> ...} (RFC 5888 section 5), e.g. {@code a=group:BUNDLE 0 1 2} (RFC 8843). */
public record Group(String semantics, List<String> mids) {

    /** The semantics of RFC 8843. */
    public static final String BUNDLE = "BUNDLE";

    public Group {
        mids = List.copyOf(mids);
    }

    /** Parses the value of {@code a=group}. */
    public static Group parse(String value) throws SdpParseException {
        List<String> f = Grammar.fields(value);
        if (f == null) {
            throw new SdpParseException(0, "a=group fields must be separated by single spaces");
        }
        for (String t : f) {
            if (!Grammar.isToken(t)) {
                throw new SdpParseException(0, "a=group semantics and mids must be tokens: " + t);
            }
        }
        return new Group(f.get(0), f.subList(1, f.size()));
    }

    /** Whether this is a BUNDLE group. */
    public boolean isBundle() {
        return BUNDLE.equals(semantics);
    }

    /** The attribute value. */
    @Override
    public String toString() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }
}
