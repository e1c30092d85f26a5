package org.rtc4j.sctp;

/**
 * Counters of one association, for metrics and for tests that check bad input was dropped and counted.
 *
 * @param packetsReceived     packets handed in
 * @param packetsSent         packets handed out
 * @param badChecksums        dropped: CRC-32c mismatch
 * @param badTags             dropped: wrong verification tag
 * @param malformed           dropped: malformed packets or chunks
 * @param duplicateTsns       DATA chunks received twice
 * @param outOfWindow         DATA chunks dropped outside the receive window
 * @param invalidStreams      DATA chunks for streams that were never negotiated
 * @param fastRetransmits     chunks retransmitted after three miss indications
 * @param timeouts            T3-rtx expirations
 * @param retransmittedChunks chunks sent more than once
 * @param abandoned           messages abandoned under partial reliability
 * @param oversizedDropped    messages from the peer dropped as larger than the local limit
 * @param cwnd                the congestion window now
 * @param rtoMillis           the retransmission timeout now
 * @param srttMillis          the smoothed round trip time (-1 before the first sample)
 * @param pathMtu             the path MTU in use (RFC 8899 PLPMTU): the largest packet sent now
 * @param pmtuProbes          path MTU probes sent
 * @param pmtuProbesConfirmed path MTU probes the peer acknowledged
 * @param pmtuUnmatchedAcks   HEARTBEAT-ACKs ignored as naming no probe in progress (stale or forged)
 * @param pmtuBlackHoles      falls back to the base MTU after data stopped getting through
 */
public record SctpStats(long packetsReceived, long packetsSent, long badChecksums, long badTags, long malformed,
                        long duplicateTsns, long outOfWindow, long invalidStreams, long fastRetransmits,
                        long timeouts, long retransmittedChunks, long abandoned, long oversizedDropped,
                        long cwnd, long rtoMillis, long srttMillis, int pathMtu, long pmtuProbes,
                        long pmtuProbesConfirmed, long pmtuUnmatchedAcks, long pmtuBlackHoles) {
}
