package org.rtc4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks a sender's encodings pass: W3C webrtc-pc's "addTransceiver sendEncodings validation steps" (section
 * 4.4.1.8, addTransceiver) and "setParameters validation steps" (section 5.2), for the members this API has.
 */
final class SendEncodings {

    /** RFC 8851 section 10: rid-id = 1*(alpha-numeric / "-" / "_"). */
    private static final Pattern RID = Pattern.compile("[A-Za-z0-9_-]+");
    /**
     * The spec's maxN, the encodings a sender can send at once: one, since a sender here sends one stream
     * (simulcast is received, not sent).
     */
    private static final int MAX_ENCODINGS = 1;

    private SendEncodings() {
    }

    /**
     * The encodings a new transceiver of {@code kind} starts with: checked, trimmed to what can be sent, and
     * the lone one's rid removed; none given is one default encoding.
     *
     * @throws TypeError  for a rid outside RFC 8851's grammar, rids on some encodings only, a rid repeated, or a
     *                    number that is not finite
     * @throws RangeError for a negative maxBitrate, and on video for scaleResolutionDownBy below 1 or a negative
     *                    maxFramerate (audio's are removed unchecked)
     */
    static List<RTCRtpEncodingParameters> forNewSender(String kind, List<RTCRtpEncodingParameters> given) {
        if (given.isEmpty()) {
            return List.of(RTCRtpEncodingParameters.defaults());
        }
        Set<String> rids = new HashSet<>();
        for (RTCRtpEncodingParameters e : given) {
            if (e.rid() != null && !RID.matcher(e.rid()).matches()) {
                throw new TypeError("a rid is letters, digits, '-' and '_' (RFC 8851 section 10): " + e.rid());
            }
            if (e.rid() != null && !rids.add(e.rid())) {
                throw new TypeError("two encodings have the rid " + e.rid());
            }
        }
        if (!rids.isEmpty() && rids.size() != given.size()) {
            throw new TypeError("either every encoding has a rid or none has");
        }
        List<RTCRtpEncodingParameters> checked = checkValues(kind, given);
        List<RTCRtpEncodingParameters> kept = checked.subList(0, Math.min(MAX_ENCODINGS, checked.size()));
        return kept.size() == 1 ? List.of(kept.get(0).withRid(null)) : kept; // a lone encoding has no rid
    }

    /**
     * The encodings setParameters stores, after its other checks: audio loses scaleResolutionDownBy and
     * maxFramerate, the numbers are checked.
     *
     * @throws TypeError  for a number that is not finite
     * @throws RangeError for a negative maxBitrate, and on video for scaleResolutionDownBy below 1 or a negative
     *                    maxFramerate
     */
    static List<RTCRtpEncodingParameters> checkValues(String kind, List<RTCRtpEncodingParameters> given) {
        List<RTCRtpEncodingParameters> out = new ArrayList<>(given.size());
        for (RTCRtpEncodingParameters e : given) {
            // WebIDL: a double must be finite (TypeError); Java's long stands for an unsigned long
            if (!Double.isFinite(e.maxFramerate()) || !Double.isFinite(e.scaleResolutionDownBy())) {
                throw new TypeError("maxFramerate and scaleResolutionDownBy must be finite");
            }
            if (e.maxBitrate() < 0) {
                throw new RangeError("maxBitrate cannot be negative: " + e.maxBitrate());
            }
            if ("audio".equals(kind)) { // the video-only members are removed, whatever they held
                out.add(e.withScaleResolutionDownBy(1).withMaxFramerate(0));
                continue;
            }
            if (e.scaleResolutionDownBy() < 1) {
                throw new RangeError("scaleResolutionDownBy must be at least 1: " + e.scaleResolutionDownBy());
            }
            if (e.maxFramerate() < 0) { // 0 stands for the member left out
                throw new RangeError("maxFramerate cannot be negative: " + e.maxFramerate());
            }
            out.add(e);
        }
        return List.copyOf(out);
    }
}
