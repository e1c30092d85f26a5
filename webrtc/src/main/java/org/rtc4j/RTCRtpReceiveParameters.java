package org.rtc4j;

import java.util.List;

/** {@code RTCRtpReceiveParameters} (W3C section 5.2): the codecs negotiated for a receiver. */
public record RTCRtpReceiveParameters(List<RTCRtpCodecParameters> codecs) {

    public RTCRtpReceiveParameters {
        codecs = List.copyOf(codecs);
    }
}
