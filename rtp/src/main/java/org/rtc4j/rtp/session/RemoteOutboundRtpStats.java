package org.rtc4j.rtp.session;

/**
 * The W3C {@code RTCRemoteOutboundRtpStreamStats}: what the peer's sender reports say about an SSRC we receive.
 *
 * @param remoteTimestamp milliseconds since the epoch, the sender's NTP time of its last report
 * @param roundTripTime   seconds, from XR DLRR (RFC 3611 4.5) when we are receive-only; NaN when unknown
 */
public record RemoteOutboundRtpStats(int ssrc, long packetsSent, long bytesSent, double remoteTimestamp,
                                     long reportsSent, double roundTripTime, double totalRoundTripTime,
                                     long roundTripTimeMeasurements) {
}
