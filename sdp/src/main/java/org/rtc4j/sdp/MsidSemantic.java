package org.rtc4j.sdp;

import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/**
 * {@code a=msid-semantic:<semantic> [<id> ...]}, the session-level line of the WebRTC MediaStream draft that
 * browsers still write: Chromium {@code a=msid-semantic: WMS} (with a space), Firefox {@code a=msid-semantic:WMS *}.
 */
public record MsidSemantic(String semantic, List<String> ids) {

    public MsidSemantic {
        ids = List.copyOf(ids);
    }

    /** Parses the value; leading spaces are skipped. */
    public static MsidSemantic parse(String value) throws SdpParseException {
        String v = value.stripLeading();
        List<String> f = Grammar.fields(v);
        if (f == null) {
            throw new SdpParseException(0, "a=msid-semantic needs a semantic token and ids separated by single spaces");
        }
        if (!Grammar.isToken(f.get(0))) {
            throw new SdpParseException(0, "a=msid-semantic semantic is not a token: " + f.get(0));
        }
        return new MsidSemantic(f.get(0), f.subList(1, f.size()));
    }
}
