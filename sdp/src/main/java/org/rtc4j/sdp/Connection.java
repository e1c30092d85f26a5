package org.rtc4j.sdp;

import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/** The {@code c=} line (RFC 8866 section 5.7): {@code <nettype> <addrtype> <connection-address>}. */
public record Connection(String netType, String addrType, String address) {

    /** {@code IN IP4 0.0.0.0}: what JSEP writes before any candidate is known (RFC 9429 section 5.2.1). */
    public static final Connection UNSPECIFIED_IP4 = new Connection("IN", "IP4", "0.0.0.0");

    /** Parses the text after {@code c=}. */
    public static Connection parse(String value) throws SdpParseException {
        List<String> f = Grammar.fields(value);
        if (f == null || f.size() != 3) {
            throw new SdpParseException(0, "c= needs 3 fields separated by single spaces: nettype addrtype address");
        }
        return new Connection(f.get(0), f.get(1), f.get(2));
    }

    /** {@code IN IP4} or {@code IN IP6} for the given address literal. */
    public static Connection of(String address) {
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    /** The text after {@code c=}. */
    @Override
    public String toString() {
        return netType + " " + addrType + " " + address;
    }
}
