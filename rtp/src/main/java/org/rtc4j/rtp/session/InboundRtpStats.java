package org.rtc4j.rtp.session;

/**
 * The transport-level fields of the W3C {@code RTCInboundRtpStreamStats} for one received SSRC.
 *
 * @param jitter seconds (RFC 3550 A.8)
 * @param lastPacketReceivedTimestamp milliseconds since the epoch, 0 before the first
 */
public record InboundRtpStats(int ssrc, String mid, String rid, long packetsReceived, long bytesReceived,
                              long headerBytesReceived, long packetsLost, double jitter, long packetsDiscarded,
                              long retransmittedPacketsReceived, long retransmittedBytesReceived, long nackCount,
                              long pliCount, long firCount, long framesReceived, long framesDropped,
                              long lastPacketReceivedTimestamp) {
}
