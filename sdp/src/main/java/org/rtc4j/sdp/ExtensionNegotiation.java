package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Negotiating RTP header extensions by URI (RFC 8285 section 7; RFC 9429 section 5.3.1): an answer uses the
 * offer's ids, and the direction each end gave an extension is mirrored (the offerer's sendonly is the
 * answerer's recvonly). Under BUNDLE one id means one extension across every bundled section (RFC 8843
 * section 9.2); deployed stacks still send offers that break this, so an id whose meaning an earlier section
 * of the group already fixed is simply not negotiated in a later section that gives it another URI.
 */
public final class ExtensionNegotiation {

    private ExtensionNegotiation() {
    }

    /**
     * The extensions an answer lists for one offered section: those of {@code local} (matched by URI) that the
     * offer has, with the offer's id, in the offer's order. An extension whose id an earlier section of the same
     * BUNDLE group used for another URI, or whose id is one of the 4096-4351 an answer must replace, is left out.
     */
    public static List<HeaderExtension> answer(SessionDescription offer, MediaDescription section, List<HeaderExtension> local) {
        Map<Integer, String> fixed = idsFixedBefore(offer, section);
        List<HeaderExtension> out = new ArrayList<>();
        for (HeaderExtension o : offer.headerExtensions(section)) {
            Optional<HeaderExtension> l = local.stream().filter(e -> e.uri().equals(o.uri())).findFirst();
            String earlier = fixed.get(o.id());
            if (l.isEmpty() || o.id() > 255 || (earlier != null && !earlier.equals(o.uri()))) {
                continue;
            }
            Direction d = l.get().direction().intersect(o.direction().reversed());
            if (d != Direction.INACTIVE && out.stream().noneMatch(e -> e.uri().equals(o.uri()))) {
                out.add(o.with(o.id(), d));
            }
        }
        return out;
    }

    /**
     * What an offerer uses once the answer is in: the answer's extensions whose URI its offer listed (an answer
     * may not add others, RFC 8285 section 7), as the answer gives them.
     */
    public static List<HeaderExtension> accepted(List<HeaderExtension> ourOffer, List<HeaderExtension> theirAnswer) {
        List<HeaderExtension> out = new ArrayList<>();
        for (HeaderExtension a : theirAnswer) {
            if (ourOffer.stream().anyMatch(o -> o.uri().equals(a.uri()))) {
                out.add(a);
            }
        }
        return out;
    }

    /** The meanings the sections of {@code section}'s BUNDLE group before it gave to ids, first meaning first. */
    private static Map<Integer, String> idsFixedBefore(SessionDescription offer, MediaDescription section) {
        Map<Integer, String> fixed = new HashMap<>();
        Optional<Group> group = section.mid().flatMap(offer::bundleGroupOf);
        if (group.isEmpty()) {
            return fixed;
        }
        for (MediaDescription m : offer.media()) {
            if (m == section) {
                break;
            }
            if (m.mid().filter(group.get().mids()::contains).isPresent()) {
                for (HeaderExtension e : offer.headerExtensions(m)) {
                    fixed.putIfAbsent(e.id(), e.uri());
                }
            }
        }
        return fixed;
    }
}
