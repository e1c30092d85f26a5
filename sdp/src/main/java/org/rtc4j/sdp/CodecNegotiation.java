package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rtc4j.sdp.internal.H264ProfileLevelId;

/**
 * Matching payload formats between an offer and local capabilities, as JSEP says (RFC 9429 section 5.3.1):
 * the answer keeps the offerer's payload types, lists the formats in the order of the local codec
 * preferences when there are some and in the offer's order otherwise, and each video format's RTX follows it
 * when both ends have RTX for it. Two formats match when their names (without case), clock rates and channel
 * counts are equal and, for the formats where a parameter changes the bitstream, that parameter agrees too:
 * H.264 profile (profile_idc and constraint flags) and packetization-mode (RFC 6184 section 8.1 and 8.2.2),
 * VP9 profile-id, AV1 profile, H.265 profile-id and tier-flag.
 */
public final class CodecNegotiation {

    private CodecNegotiation() {
    }

    /**
     * The formats of an answer.
     *
     * @param offered the offer's formats ({@link MediaDescription#codecs()})
     * @param local what this end supports, in order of preference (RTX formats included)
     * @param usePreferences true to order by {@code local} (codec preferences were set), false for the offer's order
     * @return the accepted formats with the offer's payload types; empty when nothing matches (then the section is
     *     rejected)
     */
    public static List<RtpCodecParameters> answer(List<RtpCodecParameters> offered, List<RtpCodecParameters> local,
            boolean usePreferences) {
        List<RtpCodecParameters[]> pairs = new ArrayList<>(); // {offered, local}
        if (usePreferences) {
            for (RtpCodecParameters l : local) {
                if (l.isRtx()) {
                    continue;
                }
                for (RtpCodecParameters o : offered) {
                    if (!o.isRtx() && matches(o, l) && pairs.stream().noneMatch(p -> p[0].payloadType() == o.payloadType())) {
                        pairs.add(new RtpCodecParameters[] {o, l});
                        break;
                    }
                }
            }
        } else {
            for (RtpCodecParameters o : offered) {
                if (o.isRtx()) {
                    continue;
                }
                for (RtpCodecParameters l : local) {
                    if (!l.isRtx() && matches(o, l)) {
                        pairs.add(new RtpCodecParameters[] {o, l});
                        break;
                    }
                }
            }
        }
        List<RtpCodecParameters> out = new ArrayList<>();
        for (RtpCodecParameters[] p : pairs) {
            out.add(negotiated(p[0], p[1]));
            RtpCodecParameters offeredRtx = rtxFor(offered, p[0].payloadType());
            if (offeredRtx != null && rtxFor(local, p[1].payloadType()) != null) {
                out.add(RtpCodecParameters.of(offeredRtx.payloadType(), offeredRtx.name(), offeredRtx.clockRate(), 0)
                        .withParameters(Map.of("apt", Integer.toString(p[0].payloadType()))));
            }
        }
        return out;
    }

    /**
     * What an offerer uses once the answer is in: the answer's formats that match one of its offer (RFC 3264
     * section 6.1 lets an answer list others, which the offerer cannot use), with the answer's payload types and
     * parameters; an RTX format only when its {@code apt} is one of them.
     */
    public static List<RtpCodecParameters> accepted(List<RtpCodecParameters> ourOffer, List<RtpCodecParameters> theirAnswer) {
        List<RtpCodecParameters> out = new ArrayList<>();
        for (RtpCodecParameters a : theirAnswer) {
            if (!a.isRtx() && ourOffer.stream().anyMatch(o -> !o.isRtx() && matches(a, o))) {
                out.add(a);
            }
        }
        for (RtpCodecParameters a : theirAnswer) {
            if (a.isRtx() && out.stream().anyMatch(c -> !c.isRtx() && c.payloadType() == a.apt())
                    && ourOffer.stream().anyMatch(RtpCodecParameters::isRtx)) {
                int at = indexOfPt(out, a.apt());
                out.add(at + 1, a);
            }
        }
        return out;
    }

    /**
     * Codec preferences as {@code RTCRtpTransceiver.setCodecPreferences} applies them (W3C webrtc section 5.4):
     * the capabilities that match a preferred codec, in the preferences' order; RTX stays (after each format)
     * only when the preferences name {@code rtx}. An empty list means no preferences: the capabilities as they are.
     *
     * @throws IllegalArgumentException (the spec's InvalidModificationError) when a preference matches no
     *     capability, or only RTX, RED or FEC formats are named
     */
    public static List<RtpCodecParameters> preferences(List<RtpCodecParameters> capabilities,
            List<RtpCodecParameters> preferred) {
        if (preferred.isEmpty()) {
            return capabilities;
        }
        boolean rtx = preferred.stream().anyMatch(RtpCodecParameters::isRtx);
        List<RtpCodecParameters> out = new ArrayList<>();
        for (RtpCodecParameters p : preferred) {
            if (p.isRtx()) {
                continue;
            }
            RtpCodecParameters cap = capabilities.stream()
                    .filter(c -> !c.isRtx() && c.key().equals(p.key()) && c.parameters().equals(p.parameters()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("codec preference " + p.name() + "/" + p.clockRate()
                            + " " + p.sdpFmtpLine() + " is not among the capabilities (InvalidModificationError)"));
            if (out.stream().anyMatch(c -> c.payloadType() == cap.payloadType())) {
                continue;
            }
            out.add(cap);
            RtpCodecParameters r = rtx ? rtxFor(capabilities, cap.payloadType()) : null;
            if (r != null) {
                out.add(r);
            }
        }
        if (out.stream().allMatch(c -> c.is("red") || c.is("ulpfec") || c.is("flexfec-03") || c.isRtx())) {
            throw new IllegalArgumentException("codec preferences name only RTX, RED or FEC formats (InvalidModificationError)");
        }
        return out;
    }

    /** Whether two formats are one codec (see the class comment). */
    public static boolean matches(RtpCodecParameters a, RtpCodecParameters b) {
        if (!a.key().equals(b.key())) {
            return false;
        }
        if (a.is("H264")) {
            H264ProfileLevelId pa = H264ProfileLevelId.parse(a.parameter("profile-level-id"));
            H264ProfileLevelId pb = H264ProfileLevelId.parse(b.parameter("profile-level-id"));
            return pa != null && pb != null && pa.profile() == pb.profile()
                    && param(a, "packetization-mode", "0").equals(param(b, "packetization-mode", "0"));
        }
        if (a.is("VP9")) {
            return param(a, "profile-id", "0").equals(param(b, "profile-id", "0"));
        }
        if (a.is("AV1")) {
            return param(a, "profile", "0").equals(param(b, "profile", "0"));
        }
        if (a.is("H265")) {
            return param(a, "profile-id", "1").equals(param(b, "profile-id", "1"))
                    && param(a, "tier-flag", "0").equals(param(b, "tier-flag", "0"));
        }
        return true;
    }

    private static String param(RtpCodecParameters c, String name, String absent) {
        String v = c.parameter(name);
        return v == null ? absent : v;
    }

    /**
     * The answer's entry for a matched pair: the offer's payload type and name, the local parameters (what this
     * end receives), feedback both ends support. For H.264 the profile-level-id keeps the offer's profile and
     * takes the local level when both allow level asymmetry, else the lower of the two (RFC 6184 section 8.2.2).
     */
    private static RtpCodecParameters negotiated(RtpCodecParameters o, RtpCodecParameters l) {
        Map<String, String> params = new LinkedHashMap<>(l.parameters());
        if (o.is("H264") && (o.parameter("profile-level-id") != null || l.parameter("profile-level-id") != null)) {
            H264ProfileLevelId po = Objects.requireNonNull(H264ProfileLevelId.parse(o.parameter("profile-level-id")));
            H264ProfileLevelId pl = Objects.requireNonNull(H264ProfileLevelId.parse(l.parameter("profile-level-id")));
            boolean asymmetry = "1".equals(o.parameter("level-asymmetry-allowed")) && "1".equals(l.parameter("level-asymmetry-allowed"));
            H264ProfileLevelId level = asymmetry || pl.level() <= po.level() ? pl : po;
            params.keySet().removeIf(k -> k.equalsIgnoreCase("profile-level-id"));
            params.put("profile-level-id", po.withLevelOf(level));
        }
        List<RtcpFeedback> fb = new ArrayList<>();
        for (RtcpFeedback f : l.rtcpFeedback()) {
            if (o.rtcpFeedback().contains(f)) {
                fb.add(f);
            }
        }
        return new RtpCodecParameters(o.payloadType(), o.name(), o.clockRate(), o.channels(), params, fb);
    }

    /** The RTX format whose apt is {@code pt}, or null. */
    static RtpCodecParameters rtxFor(List<RtpCodecParameters> codecs, int pt) {
        for (RtpCodecParameters c : codecs) {
            if (c.isRtx() && c.apt() == pt) {
                return c;
            }
        }
        return null;
    }

    private static int indexOfPt(List<RtpCodecParameters> codecs, int pt) {
        for (int i = 0; i < codecs.size(); i++) {
            if (codecs.get(i).payloadType() == pt) {
                return i;
            }
        }
        return -1;
    }
}
