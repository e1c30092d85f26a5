package org.rtc4j.rtp.session.internal;

import org.rtc4j.rtp.session.InboundRtpStats;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.RemoteOutboundRtpStats;

/** One received stream: its binding, RFC 3550 statistics, NACK generator, jitter buffer and counters. */
public final class ReceiveStream {

    /**
     * What it carries now; another negotiated format of its section when the peer switches codecs
     * ({@link #switchTo}).
     */
    public ReceiveStreamConfig config;
    /** What it carried first: a codec switch may come back to it (the peer's source changed codec twice). */
    public final ReceiveStreamConfig first;
    public final ReceptionStatistics statistics = new ReceptionStatistics();
    /** Of the RTX stream (its own sequence numbers), for its report block. */
    public final ReceptionStatistics rtxStatistics = new ReceptionStatistics();
    public final NackTracker nack;
    public final JitterBuffer jitterBuffer;
    /** The formats of its section met so far, by payload type and by RTX payload type (null: not met yet). */
    private final ReceiveStreamConfig[] formats = new ReceiveStreamConfig[128];
    private final ReceiveStreamConfig[] rtxFormats = new ReceiveStreamConfig[128];
    /** The CSRCs and audio levels of packets whose frame is not released yet. */
    final SourceLog sources = new SourceLog();
    public int ssrc;
    public boolean bound;
    public int rtxSsrc;
    public boolean rtxBound;

    public long packets;
    public long bytes;
    public long headerBytes;
    public long retransmittedPackets;
    public long retransmittedBytes;
    public long nackCount;
    public long pliCount;
    public long firCount;
    public long lastArrivalNanos;
    public long lastKeyRequestNanos = Long.MIN_VALUE / 2;
    public boolean keyRequestPending;

    // remote-outbound: the peer's last sender report about this stream
    public long srNtp;
    public long srArrivalNanos;
    public long srPackets;
    public long srOctets;
    public long srCount;

    public ReceiveStream(ReceiveStreamConfig config, long giveUpNanos, JitterBuffer.Sink sink) {
        this.config = config;
        this.first = config;
        this.nack = new NackTracker(giveUpNanos);
        this.jitterBuffer = new JitterBuffer(config.codec().isVideo(), sink);
        learn(config);
        if (config.ssrc() != 0) {
            ssrc = config.ssrc();
            bound = true;
        }
    }

    /** The format of payload type {@code pt} met so far, or null. */
    public ReceiveStreamConfig format(int pt) {
        return formats[pt];
    }

    /** The format whose retransmissions take RTX payload type {@code pt} (RFC 4588 section 8.6, apt), or null. */
    public ReceiveStreamConfig rtxFormat(int pt) {
        return rtxFormats[pt];
    }

    /** Takes packets of {@code f}'s payload types from now on, each read by its own type's depacketizer. */
    public void learn(ReceiveStreamConfig f) {
        formats[f.payloadType()] = f;
        if (f.rtxPayloadType() >= 0) {
            rtxFormats[f.rtxPayloadType()] = f;
        }
        jitterBuffer.format(f.payloadType(), f.depacketizer().get());
    }

    /**
     * The peer sends this SSRC in another negotiated payload type of the section from now on (a renegotiation
     * changed its codec; RFC 3550 section 5.1 lets the payload type change): the stream keeps its SSRC, statistics,
     * NACK state and jitter buffer, so loss across the switch is seen and repaired (RFC 3264 section 8.3.2: the old
     * format stays acceptable, and a retransmission of its last packets completes its last frame); the new codec's
     * frames start at its first key frame.
     */
    public void switchTo(ReceiveStreamConfig other) {
        config = new ReceiveStreamConfig(config.mid(), config.rid(), config.ssrc(), other.codec(),
                other.payloadType(), other.rtxPayloadType(), config.unsignaled(), other.depacketizer());
    }

    /** Arrival time in the stream's timestamp units, for the A.8 jitter. */
    public long arrivalUnits(long nowNanos) {
        long rate = config.codec().clockRate();
        return Math.floorDiv(nowNanos, 1_000_000_000L) * rate + Math.floorMod(nowNanos, 1_000_000_000L) * rate
                / 1_000_000_000L;
    }

    public InboundRtpStats inbound() {
        return new InboundRtpStats(ssrc, config.mid(), config.rid(), packets, bytes, headerBytes, statistics.lost(),
                statistics.jitter() / config.codec().clockRate(), jitterBuffer.packetsDiscarded(),
                retransmittedPackets, retransmittedBytes, nackCount, pliCount, firCount,
                jitterBuffer.framesReleased(), jitterBuffer.framesDropped(),
                lastArrivalNanos == 0 ? 0 : lastArrivalNanos / 1_000_000L);
    }

    public RemoteOutboundRtpStats remoteOutbound(double rtt, double totalRtt, long rttCount) {
        return new RemoteOutboundRtpStats(ssrc, srPackets, srOctets,
                srCount == 0 ? 0 : NtpTime.unixNanos(srNtp) / 1e6, srCount, rtt, totalRtt, rttCount);
    }
}
