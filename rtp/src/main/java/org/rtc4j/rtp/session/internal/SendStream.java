package org.rtc4j.rtp.session.internal;

import java.nio.charset.StandardCharsets;
import org.rtc4j.rtp.payload.Packetizer;
import org.rtc4j.rtp.session.OutboundRtpStats;
import org.rtc4j.rtp.session.RemoteInboundRtpStats;
import org.rtc4j.rtp.session.SendStreamConfig;

/** One sent stream: sequence numbers, timestamps, its history, counters and what the peer reports about it. */
public final class SendStream {

    /** What it carries: changed in place when a renegotiation picks another codec (RFC 3550 5.1: PT may change). */
    public SendStreamConfig config;
    public Packetizer packetizer;
    public final PacketHistory history;
    /**
     * The RTX payload type of each payload type it has carried (-1: none): a packet of a codec used before a
     * switch is retransmitted in that codec's RTX payload type (RFC 4588 section 4, apt), not the current one's.
     */
    private final byte[] rtxTypes = new byte[128];
    public final byte[] midBytes;
    public final byte[] ridBytes;
    public int nextSeq;
    public int nextRtxSeq;
    public final long timestampOffset;
    /** The RTP timestamp of the last frame and when it was sent, for the SR (RFC 3550 6.4.1). */
    public long lastTimestamp;
    public long lastTimestampNanos;
    public boolean sentAny;

    public long packets;
    public long payloadBytes;
    public long headerBytes;
    public long retransmittedPackets;
    public long retransmittedBytes;
    public long nackCount;
    public long pliCount;
    public long firCount;
    public long frames;
    public int lastFirSeq = -1;

    // remote-inbound
    public long remoteLost;
    public int remoteFractionLost;
    public long remoteJitter;
    public double rtt = Double.NaN;
    public double totalRtt;
    public long rttCount;
    public long reports;

    public SendStream(SendStreamConfig config, Packetizer packetizer, long historyNanos, int slotSize, int seq,
                      long timestampOffset, int rtxSeq) {
        java.util.Arrays.fill(rtxTypes, (byte) -1);
        use(config, packetizer);
        this.history = new PacketHistory(historyNanos, slotSize);
        this.midBytes = config.mid() == null ? null : config.mid().getBytes(StandardCharsets.UTF_8);
        this.ridBytes = config.rid() == null ? null : config.rid().getBytes(StandardCharsets.UTF_8);
        this.nextSeq = seq;
        this.timestampOffset = timestampOffset;
        this.nextRtxSeq = rtxSeq;
    }

    /** Carries {@code c}'s codec from the next frame on, cut by {@code p}; the history and numbering go on. */
    public void use(SendStreamConfig c, Packetizer p) {
        config = c;
        packetizer = p;
        rtxTypes[c.payloadType()] = (byte) c.rtxPayloadType();
    }

    /** The RTX payload type for a sent packet of payload type {@code pt}, -1 when it has none. */
    public int rtxTypeOf(int pt) {
        return rtxTypes[pt];
    }

    /** The stream of {@code ssrc} in {@code streams}, or null. */
    public static SendStream find(java.util.List<SendStream> streams, int ssrc) {
        for (int i = 0; i < streams.size(); i++) {
            if (streams.get(i).config.ssrc() == ssrc) {
                return streams.get(i);
            }
        }
        return null;
    }

    /** The RTP timestamp at {@code nowNanos}, extrapolated from the last frame (for the SR). */
    public long timestampAt(long nowNanos) {
        long elapsed = nowNanos - lastTimestampNanos;
        return (lastTimestamp + elapsed / 1000 * config.codec().clockRate() / 1_000_000L) & 0xFFFF_FFFFL;
    }

    public OutboundRtpStats outbound() {
        return new OutboundRtpStats(config.ssrc(), config.mid(), config.rid(), packets, payloadBytes, headerBytes,
                retransmittedPackets, retransmittedBytes, nackCount, pliCount, firCount, frames);
    }

    public RemoteInboundRtpStats remoteInbound() {
        return new RemoteInboundRtpStats(config.ssrc(), remoteLost, remoteFractionLost / 256.0,
                (double) remoteJitter / config.codec().clockRate(), rtt, totalRtt, rttCount, reports);
    }
}
