package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /**
     * The meaning of each id a description gives in its RTP sections that are not rejected, the first meaning
     * where two sections disagree (as {@link #answer} settles it): under BUNDLE one map for the whole transport
     * (RFC 8843 section 9.2), what the streams of every section send and read.
     */
    public static Map<Integer, String> idsInUse(SessionDescription description) {
        Map<Integer, String> inUse = new LinkedHashMap<>();
        for (MediaDescription m : description.media()) {
            if (m.isRtp() && !m.isRejected()) {
                for (HeaderExtension e : description.headerExtensions(m)) {
                    if (e.id() <= 255) {
                        inUse.putIfAbsent(e.id(), e.uri());
                    }
                }
            }
        }
        return inUse;
    }

    /**
     * The id each extension gets in an offer: the id the last negotiation gave its URI ({@code inUse}, see
     * {@link #idsInUse}), else its own id when no other URI holds it, else the lowest free one (one-byte ids
     * first, RFC 8285 section 4.2). An id never changes meaning while in use, and a renegotiation only adds ids
     * (RFC 8285 section 6; RFC 9429 section 5.2.2), whoever offered first: the peer's ids stay as it chose them.
     */
    public static Map<String, Integer> offerIds(Map<Integer, String> inUse, List<HeaderExtension> wanted) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        inUse.forEach((id, uri) -> ids.putIfAbsent(uri, id));
        Set<Integer> taken = new HashSet<>(inUse.keySet());
        for (HeaderExtension e : wanted) {
            if (ids.containsKey(e.uri())) {
                continue;
            }
            int id = e.id();
            if (taken.contains(id)) {
                id = 1;
                while (id <= 255 && taken.contains(id)) {
                    id++;
                }
            }
            if (id <= 255) {
                ids.put(e.uri(), id);
                taken.add(id);
            }
        }
        return ids;
    }

    /** {@code local} with the ids of {@code ids} ({@link #offerIds}); an extension without one is left out. */
    public static List<HeaderExtension> withIds(List<HeaderExtension> local, Map<String, Integer> ids) {
        List<HeaderExtension> out = new ArrayList<>();
        for (HeaderExtension e : local) {
            Integer id = ids.get(e.uri());
            if (id != null) {
                out.add(e.with(id, e.direction()));
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
