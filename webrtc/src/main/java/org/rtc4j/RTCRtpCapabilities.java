package org.rtc4j;

import java.util.List;
import org.rtc4j.sdp.HeaderExtension;
import org.rtc4j.sdp.RtpCapabilities;

/**
 * {@code RTCRtpCapabilities} (W3C section 5.2.3): the codecs and header extensions rtc4j negotiates for a kind,
 * in its order of preference.
 *
 * @param headerExtensions the extensions' URIs
 */
public record RTCRtpCapabilities(List<RTCRtpCodec> codecs, List<String> headerExtensions) {

    public RTCRtpCapabilities {
        codecs = List.copyOf(codecs);
        headerExtensions = List.copyOf(headerExtensions);
    }

    /** What {@code getCapabilities(kind)} answers: null for a kind other than audio or video. */
    static RTCRtpCapabilities of(String kind) {
        if (!"audio".equals(kind) && !"video".equals(kind)) {
            return null;
        }
        RtpCapabilities c = RtpCapabilities.defaults(kind);
        return new RTCRtpCapabilities(c.codecs().stream().map(p -> RTCRtpCodec.of(kind, p)).toList(),
                c.headerExtensions().stream().map(HeaderExtension::uri).toList());
    }
}
