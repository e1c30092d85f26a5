package org.rtc4j.sdp;

import java.util.List;
import java.util.Optional;

/**
 * The one transport of a description under BUNDLE (RFC 9143 section 7, RFC 9429 section 5.8): ICE credentials,
 * DTLS fingerprints and role, and candidates, read from the section that carries the transport, with the
 * session-level lines as fallbacks (RFC 8839 section 5, RFC 8122 section 5, RFC 8842 section 5). That section is
 * the first of the BUNDLE group's mids that is not rejected (the offerer-tagged or answerer-tagged section);
 * without a group, the first section that is not rejected. An offer in which every section has its own
 * credentials and port under one group is read the same way: the answer bundles on the first section's transport.
 *
 * @param mediaIndex the index of the section that carries the transport
 * @param mid its {@code a=mid}, empty when it has none
 * @param bundleMids the mids of its BUNDLE group, in order; empty when it is in none
 * @param setup {@code a=setup}, empty when absent (RFC 4145 section 4: then active in an offer, passive in an answer)
 * @param candidates the {@code a=candidate} values, without the {@code candidate:} prefix
 */
public record TransportParameters(int mediaIndex, String mid, List<String> bundleMids, String iceUfrag, String icePwd,
                                  boolean iceLite, List<String> iceOptions, List<Fingerprint> fingerprints,
                                  Optional<Setup> setup, List<String> candidates, boolean endOfCandidates) {

    public TransportParameters {
        bundleMids = List.copyOf(bundleMids);
        iceOptions = List.copyOf(iceOptions);
        fingerprints = List.copyOf(fingerprints);
        candidates = List.copyOf(candidates);
    }

    /** Whether the peer supports trickle ICE ({@code a=ice-options:trickle}, RFC 8840 section 4.1.1). */
    public boolean trickle() {
        return iceOptions.contains("trickle");
    }

    /**
     * Reads the transport of a description.
     *
     * @throws SdpParseException when every section is rejected, or the transport lacks ICE credentials or a
     *     fingerprint
     */
    public static TransportParameters read(SessionDescription sd) throws SdpParseException {
        List<MediaDescription> media = sd.media();
        for (Group g : sd.groups()) {
            if (!g.isBundle()) {
                continue;
            }
            for (String mid : g.mids()) {
                Optional<MediaDescription> m = sd.mediaByMid(mid).filter(s -> !s.isRejected());
                if (m.isPresent()) {
                    return of(sd, media.indexOf(m.get()));
                }
            }
        }
        for (int i = 0; i < media.size(); i++) {
            if (!media.get(i).isRejected()) {
                return of(sd, i);
            }
        }
        throw new SdpParseException(0, "every media section is rejected: no transport");
    }

    /** The transport carried by section {@code index}. */
    static TransportParameters of(SessionDescription sd, int index) throws SdpParseException {
        MediaDescription t = sd.media().get(index);
        int line = t.lineNumber();
        String ufrag = t.iceUfrag().or(sd::iceUfrag)
                .orElseThrow(() -> new SdpParseException(line, "no a=ice-ufrag for the section that carries the transport, or the session"));
        String pwd = t.icePwd().or(sd::icePwd)
                .orElseThrow(() -> new SdpParseException(line, "no a=ice-pwd for the section that carries the transport, or the session"));
        List<Fingerprint> fingerprints = t.fingerprints().isEmpty() ? sd.fingerprints() : t.fingerprints();
        if (fingerprints.isEmpty()) {
            throw new SdpParseException(line, "no a=fingerprint for the section that carries the transport, or the session (RFC 8842 section 5)");
        }
        List<String> options = t.hasAttribute("ice-options") ? t.iceOptions() : sd.iceOptions();
        String mid = t.mid().orElse("");
        List<String> bundle = mid.isEmpty() ? List.of() : sd.bundleGroupOf(mid).map(Group::mids).orElse(List.of());
        return new TransportParameters(index, mid, bundle, ufrag, pwd, sd.iceLite(), options, fingerprints,
                t.setup().or(sd::setup), t.candidates(), t.endOfCandidates());
    }
}
