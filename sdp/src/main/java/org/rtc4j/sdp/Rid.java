package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rtc4j.sdp.internal.Grammar;

/**
 * {@code a=rid:<rid-id> <send|recv> [pt=<fmt>,...;<restriction>=<value>;...]} (RFC 8851 section 10), e.g.
 * {@code a=rid:h send pt=96;max-width=1280}: one RTP stream of a simulcast or a restricted stream.
 *
 * @param send true for {@code send}, false for {@code recv} (seen from the writer of the description)
 * @param payloadTypes the {@code pt=} list, empty when any format of the section may be used
 * @param restrictions the other restrictions in order ({@code max-width}, {@code max-fps}, ...)
 */
public record Rid(String id, boolean send, List<Integer> payloadTypes, Map<String, String> restrictions) {

    public Rid {
        payloadTypes = List.copyOf(payloadTypes);
        restrictions = Collections.unmodifiableMap(new LinkedHashMap<>(restrictions));
    }

    /** Parses the value of {@code a=rid}. */
    public static Rid parse(String value) throws SdpParseException {
        String[] f = value.split(" ", 3);
        if (f.length < 2 || !isRidId(f[0]) || !(f[1].equals("send") || f[1].equals("recv"))) {
            throw new SdpParseException(0, "a=rid must be <rid-id> send|recv [<restrictions>], the id of A-Z a-z 0-9 - _");
        }
        List<Integer> pts = new ArrayList<>();
        Map<String, String> restrictions = new LinkedHashMap<>(Fmtp.parameters(f.length == 3 ? f[2] : ""));
        String ptList = restrictions.remove("pt");
        if (ptList != null) {
            for (String pt : ptList.split(",", -1)) {
                pts.add(RtpMap.payloadType(pt, "a=rid"));
            }
        }
        return new Rid(f[0], f[1].equals("send"), pts, restrictions);
    }

    /** RFC 8851 section 10: rid-id = 1*(alpha-numeric / "-" / "_"). */
    static boolean isRidId(String s) {
        if (s.isEmpty() || s.length() > 255) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return Grammar.isToken(s);
    }

    @Override
    public String toString() {
        Map<String, String> all = new LinkedHashMap<>();
        if (!payloadTypes.isEmpty()) {
            all.put("pt", String.join(",", payloadTypes.stream().map(String::valueOf).toList()));
        }
        all.putAll(restrictions);
        return id + (send ? " send" : " recv") + (all.isEmpty() ? "" : " " + Fmtp.format(all));
    }
}
