package org.rtc4j;

/**
 * {@code RTCRtpEncodingParameters} (W3C section 5.2): one encoding a sender sends. An inactive encoding sends
 * nothing; maxBitrate caps the encoder's target; when the sender encodes raw pictures, scaleResolutionDownBy
 * shrinks them and maxFramerate drops pictures before the encoder (encoded frames pass through as they are).
 * Like the specification's dictionary it holds any values: {@code addTransceiver} and {@code setParameters}
 * check them (RangeError, TypeError) as the specification's steps say.
 *
 * @param rid                   the RID of a simulcast encoding, or null
 * @param maxBitrate            bits per second, 0 for no limit
 * @param maxFramerate          frames per second, 0 for no limit
 * @param scaleResolutionDownBy at least 1
 */
public record RTCRtpEncodingParameters(String rid, boolean active, long maxBitrate, double maxFramerate,
                                       double scaleResolutionDownBy) {

    /** One active encoding without limits. */
    public static RTCRtpEncodingParameters defaults() {
        return new RTCRtpEncodingParameters(null, true, 0, 0, 1);
    }

    public RTCRtpEncodingParameters withRid(String value) {
        return new RTCRtpEncodingParameters(value, active, maxBitrate, maxFramerate, scaleResolutionDownBy);
    }

    public RTCRtpEncodingParameters withActive(boolean value) {
        return new RTCRtpEncodingParameters(rid, value, maxBitrate, maxFramerate, scaleResolutionDownBy);
    }

    public RTCRtpEncodingParameters withMaxBitrate(long value) {
        return new RTCRtpEncodingParameters(rid, active, value, maxFramerate, scaleResolutionDownBy);
    }

    public RTCRtpEncodingParameters withMaxFramerate(double value) {
        return new RTCRtpEncodingParameters(rid, active, maxBitrate, value, scaleResolutionDownBy);
    }

    public RTCRtpEncodingParameters withScaleResolutionDownBy(double value) {
        return new RTCRtpEncodingParameters(rid, active, maxBitrate, maxFramerate, value);
    }
}
