package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * RTP congestion control feedback (RFC 8888 section 3.1): transport layer feedback, FMT 11. Per RTP stream, a
 * range of sequence numbers with, for each, whether it arrived, its ECN marking and its arrival time as an offset
 * before the report timestamp, in 1/1024 s.
 *
 * <pre>
 * |V=2|P| FMT=11  |   PT = 205    |          length               |
 * |                 SSRC of RTCP packet sender                    |
 * |                   SSRC of 1st RTP Stream                      |
 * |          begin_seq            |          num_reports          |
 * |R|ECN|  Arrival time offset    | ...                           |  (a zero report pads to 32 bits)
 * .                                                               .
 * |                 Report Timestamp (32 bits)                    |
 * </pre>
 *
 * @param reportTimestamp the middle 32 bits of the NTP time of the report
 */
public record CongestionControlFeedback(int senderSsrc, List<StreamReport> streams, long reportTimestamp)
        implements RtcpPacket {

    public static final int FMT = 11;
    /** RFC 8888 3.1: the arrival time offset meaning "more than 8189/1024 s before the report". */
    public static final int OVER_RANGE = 0x1FFE;
    /** RFC 8888 3.1: the value a packet's report carries when its arrival time is not known. */
    public static final int UNAVAILABLE = 0x1FFF;

    /**
     * One stream's reports.
     *
     * @param metrics per sequence number from {@code beginSequence}: bit 15 received, bits 13-14 ECN, bits 0-12
     *                the arrival time offset
     */
    public record StreamReport(int ssrc, int beginSequence, int[] metrics) {
        public StreamReport {
            metrics = metrics.clone();
            if (metrics.length > 16384) {
                throw new IllegalArgumentException("RFC 8888 3.1: at most 16384 reports per stream");
            }
        }

        public boolean received(int i) {
            return (metrics[i] & 0x8000) != 0;
        }

        public int ecn(int i) {
            return (metrics[i] >>> 13) & 3;
        }

        public int arrivalTimeOffset(int i) {
            return metrics[i] & 0x1FFF;
        }

        int length() {
            return 8 + (2 * metrics.length + 3) / 4 * 4;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StreamReport s && ssrc == s.ssrc && beginSequence == s.beginSequence
                    && Arrays.equals(metrics, s.metrics);
        }

        @Override
        public int hashCode() {
            return ssrc * 31 + Arrays.hashCode(metrics);
        }
    }

    public CongestionControlFeedback {
        streams = List.copyOf(streams);
    }

    static CongestionControlFeedback read(ByteReader r) throws ParseException {
        int sender = r.i32();
        List<StreamReport> streams = new ArrayList<>();
        while (r.remaining() > 4) {
            int ssrc = r.i32();
            int begin = r.u16();
            int count = r.u16();
            if (count > 16384) {
                throw new ParseException("RFC 8888: " + count + " reports in one block");
            }
            r.require((2 * count + 3) / 4 * 4, "RFC 8888 metric blocks");
            int[] metrics = new int[count];
            for (int i = 0; i < count; i++) {
                metrics[i] = r.u16();
            }
            if (count % 2 == 1) {
                r.skip(2);
            }
            streams.add(new StreamReport(ssrc, begin, metrics));
        }
        return new CongestionControlFeedback(sender, streams, r.u32());
    }

    @Override
    public int length() {
        int n = 12;
        for (StreamReport s : streams) {
            n += s.length();
        }
        return n;
    }

    @Override
    public void write(ByteBuffer dst) {
        RtcpPacket.header(dst, FMT, RTPFB, length());
        dst.putInt(senderSsrc);
        for (StreamReport s : streams) {
            dst.putInt(s.ssrc).putShort((short) s.beginSequence).putShort((short) s.metrics.length);
            for (int m : s.metrics) {
                dst.putShort((short) m);
            }
            if (s.metrics.length % 2 == 1) {
                dst.putShort((short) 0);
            }
        }
        dst.putInt((int) reportTimestamp);
    }
}
