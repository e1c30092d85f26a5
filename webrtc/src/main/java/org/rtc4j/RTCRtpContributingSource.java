package org.rtc4j;

/**
 * {@code RTCRtpContributingSource} and, for the SSRC of the stream itself, {@code RTCRtpSynchronizationSource}
 * (W3C section 5.3.1): a source of the frames a receiver delivered in the last 10 seconds.
 *
 * @param timestamp when its last frame was delivered, in milliseconds since the epoch
 * @param source the SSRC (or CSRC)
 * @param audioLevel the RFC 6464 level of its last packet, 0..1; null when not known
 * @param rtpTimestamp the RTP timestamp of its last frame
 */
public record RTCRtpContributingSource(double timestamp, long source, Double audioLevel, long rtpTimestamp) {
}
