package org.rtc4j.rtp.session;

/** The transport-level fields of the W3C {@code RTCOutboundRtpStreamStats} for one sent SSRC. */
public record OutboundRtpStats(int ssrc, String mid, String rid, long packetsSent, long bytesSent,
                               long headerBytesSent, long retransmittedPacketsSent, long retransmittedBytesSent,
                               long nackCount, long pliCount, long firCount, long framesSent) {
}
