package org.rtc4j;

import java.util.List;

/**
 * {@code RTCRtpSendParameters} (W3C section 5.2.1): a sender's encodings and its negotiated codecs. Pass what
 * {@code getParameters} returned, with encodings changed, to {@code setParameters}.
 */
public record RTCRtpSendParameters(String transactionId, List<RTCRtpEncodingParameters> encodings,
                                   List<RTCRtpCodecParameters> codecs) {

    public RTCRtpSendParameters {
        encodings = List.copyOf(encodings);
        codecs = List.copyOf(codecs);
    }

    public RTCRtpSendParameters withEncodings(List<RTCRtpEncodingParameters> value) {
        return new RTCRtpSendParameters(transactionId, value, codecs);
    }
}
