package org.rtc4j.sdp;

import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/**
 * The {@code o=} line (RFC 8866 section 5.2):
 * {@code <username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}. The numeric fields stay
 * strings: peers write 64-bit unsigned values and more.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {

    /** Parses the text after {@code o=}. */
    public static Origin parse(String value) throws SdpParseException {
        List<String> f = Grammar.fields(value);
        if (f == null || f.size() != 6) {
            throw new SdpParseException(0, "o= needs 6 fields separated by single spaces: username sess-id sess-version nettype addrtype address");
        }
        if (!Grammar.isDigits(f.get(1)) || !Grammar.isDigits(f.get(2))) {
            throw new SdpParseException(0, "o= sess-id and sess-version must be decimal numbers");
        }
        return new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5));
    }

    /** The text after {@code o=}. */
    @Override
    public String toString() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addrType + " " + address;
    }
}
