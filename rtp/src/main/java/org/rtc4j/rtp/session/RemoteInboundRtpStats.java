package org.rtc4j.rtp.session;

/**
 * The W3C {@code RTCRemoteInboundRtpStreamStats}: what the peer's reception reports say about one of our SSRCs.
 *
 * @param jitter        seconds
 * @param roundTripTime seconds, from the last report with LSR/DLSR (RFC 3550 6.4.1); NaN before the first
 */
public record RemoteInboundRtpStats(int ssrc, long packetsLost, double fractionLost, double jitter,
                                    double roundTripTime, double totalRoundTripTime, long roundTripTimeMeasurements,
                                    long reportsReceived) {
}
