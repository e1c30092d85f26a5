package org.rtc4j.rtp.session.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.rtcp.CongestionControlFeedback;
import org.rtc4j.rtp.rtcp.ExtendedReport;
import org.rtc4j.rtp.rtcp.FullIntraRequest;
import org.rtc4j.rtp.rtcp.GenericNack;
import org.rtc4j.rtp.rtcp.Goodbye;
import org.rtc4j.rtp.rtcp.PictureLossIndication;
import org.rtc4j.rtp.rtcp.ReceiverEstimatedMaxBitrate;
import org.rtc4j.rtp.rtcp.ReceiverReport;
import org.rtc4j.rtp.rtcp.ReportBlock;
import org.rtc4j.rtp.rtcp.RtcpCompound;
import org.rtc4j.rtp.rtcp.RtcpPacket;
import org.rtc4j.rtp.rtcp.SenderReport;
import org.rtc4j.rtp.rtcp.SourceDescription;
import org.rtc4j.rtp.rtcp.TransportWideFeedback;
import org.rtc4j.rtp.session.RemoteOutboundRtpStats;
import org.rtc4j.rtp.session.RtpSessionConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;

/**
 * The RTCP side of a session: reads what the peer reports (reception reports, XR, feedback) and writes the
 * session's reports on the RFC 3550 section 6.2 interval, with the round trip measured from LSR/DLSR
 * (RFC 3550 6.4.1) and, for a receive-only session, from RRTR/DLRR (RFC 3611 4.4, 4.5).
 */
public final class RtcpAgent {

    /** Asks the send side to send a packet again. */
    public interface Retransmitter {
        void retransmit(SendStream stream, int sequenceNumber);
    }

    private static final long DEFAULT_RTT = 100_000_000L;
    private static final int MAX_RRTR = 16;
    /** RFC 3550 A.7: compensates the randomization for timer reconsideration (e - 3/2). */
    private static final double COMPENSATION = Math.E - 1.5;

    private final RtpSessionConfig config;
    private final SplittableRandom random;
    private final List<SendStream> sendStreams;
    private final List<ReceiveStream> receiveStreams;
    private final Queue<RtpSessionEvent> events;
    private final Retransmitter retransmitter;
    private long rtt = -1;
    private long nextReport = Long.MIN_VALUE;
    private double averageSize = 100;
    private final int[] rrtrSsrc = new int[MAX_RRTR];
    private final long[] rrtrLrr = new long[MAX_RRTR];
    private final long[] rrtrArrival = new long[MAX_RRTR];
    private int rrtrCount;
    private double xrRtt = Double.NaN;
    private double xrTotalRtt;
    private long xrRttCount;

    public RtcpAgent(RtpSessionConfig config, SplittableRandom random, List<SendStream> sendStreams,
                     List<ReceiveStream> receiveStreams, Queue<RtpSessionEvent> events, Retransmitter retransmitter) {
        this.config = config;
        this.random = random;
        this.sendStreams = sendStreams;
        this.receiveStreams = receiveStreams;
        this.events = events;
        this.retransmitter = retransmitter;
    }

    /** The latest round trip, or 100 ms before the first measurement. */
    public long roundTripNanos() {
        return rtt < 0 ? DEFAULT_RTT : rtt;
    }

    /** The SSRC our RTCP comes from: the first sent stream's, else the configured one. */
    public int reporterSsrc() {
        return sendStreams.isEmpty() ? config.rtcpSsrc() : sendStreams.get(0).config.ssrc();
    }

    /** Reads one unprotected RTCP datagram; false when it does not parse. */
    public boolean receive(long now, byte[] data, int length) {
        List<RtcpPacket> packets;
        try {
            packets = RtcpCompound.read(ByteBuffer.wrap(data, 0, length));
        } catch (ParseException e) {
            return false;
        }
        for (RtcpPacket p : packets) {
            switch (p) {
                case SenderReport sr -> {
                    ReceiveStream r = receiveStream(sr.ssrc());
                    if (r != null) {
                        r.srNtp = sr.ntpTime();
                        r.srArrivalNanos = now;
                        r.srPackets = sr.packetCount();
                        r.srOctets = sr.octetCount();
                        r.srCount++;
                    }
                    reportBlocks(now, sr.reports());
                }
                case ReceiverReport rr -> reportBlocks(now, rr.reports());
                case ExtendedReport xr -> extendedReport(now, xr);
                case GenericNack nack -> {
                    SendStream s = sendStream(nack.mediaSsrc());
                    if (s != null) {
                        s.nackCount++;
                        for (int seq : nack.lost()) {
                            retransmitter.retransmit(s, seq);
                        }
                    }
                }
                case PictureLossIndication pli -> {
                    SendStream s = sendStream(pli.mediaSsrc());
                    if (s != null) {
                        s.pliCount++;
                        events.add(new RtpSessionEvent.KeyFrameRequested(s.config.ssrc(), false));
                    }
                }
                case FullIntraRequest fir -> {
                    for (FullIntraRequest.Entry e : fir.entries()) {
                        SendStream s = sendStream(e.ssrc());
                        // RFC 5104 4.3.1.2: a repeated sequence number is the same request again.
                        if (s != null && e.sequenceNumber() != s.lastFirSeq) {
                            s.lastFirSeq = e.sequenceNumber();
                            s.firCount++;
                            events.add(new RtpSessionEvent.KeyFrameRequested(s.config.ssrc(), true));
                        }
                    }
                }
                case Goodbye bye -> bye.ssrcs().forEach(ssrc -> events.add(new RtpSessionEvent.SourceLeft(ssrc)));
                case ReceiverEstimatedMaxBitrate remb -> events.add(new RtpSessionEvent.CongestionFeedback(remb));
                case TransportWideFeedback twcc -> events.add(new RtpSessionEvent.CongestionFeedback(twcc));
                case CongestionControlFeedback ccfb -> events.add(new RtpSessionEvent.CongestionFeedback(ccfb));
                default -> { }
            }
        }
        return true;
    }

    private void reportBlocks(long now, List<ReportBlock> blocks) {
        for (ReportBlock b : blocks) {
            SendStream s = sendStream(b.ssrc());
            if (s == null) {
                continue;
            }
            s.reports++;
            s.remoteLost = b.cumulativeLost();
            s.remoteFractionLost = b.fractionLost();
            s.remoteJitter = b.jitter();
            long r = NtpTime.roundTripNanos(now, b.lastSr(), b.delaySinceLastSr());
            if (r >= 0) {
                rtt = r;
                s.rtt = r / 1e9;
                s.totalRtt += s.rtt;
                s.rttCount++;
            }
        }
    }

    private void extendedReport(long now, ExtendedReport xr) {
        for (ExtendedReport.Block block : xr.blocks()) {
            if (block instanceof ExtendedReport.ReceiverReferenceTime rrtr) {
                rememberRrtr(xr.ssrc(), NtpTime.middle(rrtr.ntpTime()), now);
            } else if (block instanceof ExtendedReport.Dlrr dlrr) {
                for (ExtendedReport.SubBlock sub : dlrr.subBlocks()) {
                    if (sub.ssrc() != reporterSsrc()) {
                        continue;
                    }
                    long r = NtpTime.roundTripNanos(now, sub.lastRr(), sub.delaySinceLastRr());
                    if (r >= 0) {
                        rtt = r;
                        xrRtt = r / 1e9;
                        xrTotalRtt += xrRtt;
                        xrRttCount++;
                    }
                }
            }
        }
    }

    private void rememberRrtr(int ssrc, long lrr, long now) {
        int i = 0;
        while (i < rrtrCount && rrtrSsrc[i] != ssrc) {
            i++;
        }
        if (i == MAX_RRTR) {
            return;
        }
        rrtrSsrc[i] = ssrc;
        rrtrLrr[i] = lrr;
        rrtrArrival[i] = now;
        rrtrCount = Math.max(rrtrCount, i + 1);
    }

    /** When the next report is due (the first one is scheduled on the first call). */
    public long nextReportNanos(long now) {
        if (nextReport == Long.MIN_VALUE) {
            nextReport = now + interval(true);
        }
        return nextReport;
    }

    /** The compound report to send now, or null when it is not yet time. */
    public List<RtcpPacket> reportIfDue(long now) {
        if (now < nextReportNanos(now)) {
            return null;
        }
        List<RtcpPacket> packets = report(now);
        nextReport = now + interval(false);
        // RFC 3550 6.3.3: the average RTCP size, UDP and IP headers included.
        averageSize += (RtcpCompound.length(packets) + 28 - averageSize) / 16;
        return packets;
    }

    private static ReportBlock block(int ssrc, ReceptionStatistics st, long lsr, long dlsr) {
        return new ReportBlock(ssrc, st.takeFractionLost(), (int) Math.min(st.lost(), 0x7FFFFF),
                st.extendedMax() & 0xFFFF_FFFFL, (long) st.jitter(), lsr, dlsr);
    }

    private List<RtcpPacket> report(long now) {
        List<ReportBlock> blocks = new ArrayList<>();
        for (ReceiveStream r : receiveStreams) {
            if (r.bound && r.statistics.started() && blocks.size() < 31) {
                long lsr = r.srCount == 0 ? 0 : NtpTime.middle(r.srNtp);
                long dlsr = r.srCount == 0 ? 0 : NtpTime.nanosToShort(now - r.srArrivalNanos);
                blocks.add(block(r.ssrc, r.statistics, lsr, dlsr));
                if (r.rtxBound && r.rtxStatistics.started() && blocks.size() < 31) {
                    // RFC 4588 section 6.2: the retransmission stream gets a block of its own in the same RR.
                    blocks.add(block(r.rtxSsrc, r.rtxStatistics, 0, 0));
                }
            }
        }
        List<RtcpPacket> packets = new ArrayList<>();
        long ntp = NtpTime.ntp(now);
        boolean sender = false;
        for (SendStream s : sendStreams) {
            if (s.sentAny) {
                packets.add(new SenderReport(s.config.ssrc(), ntp, s.timestampAt(now), s.packets, s.payloadBytes,
                        sender ? List.of() : blocks));
                sender = true;
            }
        }
        if (!sender) {
            packets.add(new ReceiverReport(reporterSsrc(), blocks));
        }
        packets.add(SourceDescription.cname(reporterSsrc(), config.cname()));
        List<ExtendedReport.Block> xr = new ArrayList<>();
        if (!sender) {
            xr.add(new ExtendedReport.ReceiverReferenceTime(ntp));
        }
        if (rrtrCount > 0) {
            List<ExtendedReport.SubBlock> subs = new ArrayList<>();
            for (int i = 0; i < rrtrCount; i++) {
                subs.add(new ExtendedReport.SubBlock(rrtrSsrc[i], rrtrLrr[i],
                        NtpTime.nanosToShort(now - rrtrArrival[i])));
            }
            rrtrCount = 0;
            xr.add(new ExtendedReport.Dlrr(subs));
        }
        if (!xr.isEmpty()) {
            packets.add(new ExtendedReport(reporterSsrc(), xr));
        }
        return packets;
    }

    /** RFC 3550 6.3.1 and A.7, with the reduced minimum of 6.2 (360 / session kbit/s). */
    private long interval(boolean initial) {
        double bandwidth = Math.max(1, config.sessionBandwidth());
        double rtcpBytesPerSecond = 0.05 * bandwidth / 8;
        int members = 1;
        for (ReceiveStream r : receiveStreams) {
            members += r.bound ? 1 : 0;
        }
        members = Math.max(2, members);
        double min = Math.min(5.0, 360.0 / (bandwidth / 1000.0));
        if (initial) {
            min /= 2;
        }
        double t = Math.max(min, members * averageSize / rtcpBytesPerSecond);
        t = t * (random.nextDouble() + 0.5) / COMPENSATION;
        return (long) (t * 1e9);
    }

    public RemoteOutboundRtpStats remoteOutbound(ReceiveStream r) {
        return r.remoteOutbound(xrRtt, xrTotalRtt, xrRttCount);
    }

    private SendStream sendStream(int ssrc) {
        return SendStream.find(sendStreams, ssrc);
    }

    private ReceiveStream receiveStream(int ssrc) {
        for (ReceiveStream r : receiveStreams) {
            if (r.bound && r.ssrc == ssrc) {
                return r;
            }
        }
        return null;
    }
}
