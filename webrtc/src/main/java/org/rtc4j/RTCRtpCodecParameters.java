package org.rtc4j;

/**
 * {@code RTCRtpCodecParameters} (W3C section 5.2.2): a negotiated codec with its payload type.
 */
public record RTCRtpCodecParameters(int payloadType, RTCRtpCodec codec) {
}
