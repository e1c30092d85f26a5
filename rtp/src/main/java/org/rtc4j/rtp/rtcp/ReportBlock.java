package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * A reception report block of an SR or RR (RFC 3550 section 6.4.1).
 *
 * <pre>
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param ssrc             the source reported on
 * @param fractionLost     lost since the last report, in 1/256
 * @param cumulativeLost   24-bit signed (duplicates can make it negative)
 * @param highestSequence  extended highest sequence number received
 * @param jitter           interarrival jitter in timestamp units
 * @param lastSr           middle 32 bits of the last SR's NTP time, 0 when none
 * @param delaySinceLastSr in 1/65536 s
 */
public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, long highestSequence, long jitter,
                          long lastSr, long delaySinceLastSr) {

    public static final int LENGTH = 24;

    public ReportBlock {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost " + fractionLost);
        }
        // RFC 3550 6.4.1: the count saturates at the 24-bit limits.
        cumulativeLost = Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost));
    }

    static ReportBlock read(ByteReader r) throws ParseException {
        int ssrc = r.i32();
        int fraction = r.u8();
        int lost = r.u24();
        if ((lost & 0x800000) != 0) {
            lost |= 0xFF000000;
        }
        return new ReportBlock(ssrc, fraction, lost, r.u32(), r.u32(), r.u32(), r.u32());
    }

    void write(ByteBuffer dst) {
        dst.putInt(ssrc);
        dst.putInt((fractionLost << 24) | (cumulativeLost & 0xFFFFFF));
        dst.putInt((int) highestSequence);
        dst.putInt((int) jitter);
        dst.putInt((int) lastSr);
        dst.putInt((int) delaySinceLastSr);
    }

    static java.util.List<ReportBlock> readAll(ByteReader r, int count) throws ParseException {
        r.require(count * LENGTH, "report blocks");
        ReportBlock[] blocks = new ReportBlock[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = read(r);
        }
        return java.util.List.of(blocks);
    }
}
