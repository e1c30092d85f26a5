package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Sender report (RFC 3550 section 6.4.1).
 *
 * <pre>
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * |             NTP timestamp, least significant word             |
 * |                         RTP timestamp                         |
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (24 bytes each) ...             |
 * |                  profile-specific extensions                  |
 * </pre>
 *
 * Profile-specific extensions are skipped.
 *
 * @param ntpTime      64-bit NTP timestamp
 * @param rtpTimestamp the same instant on the RTP clock
 */
public record SenderReport(int ssrc, long ntpTime, long rtpTimestamp, long packetCount, long octetCount,
                           List<ReportBlock> reports) implements RtcpPacket {

    public SenderReport {
        reports = List.copyOf(reports);
        if (reports.size() > 31) {
            throw new IllegalArgumentException("more than 31 report blocks");
        }
    }

    static SenderReport read(ByteReader r, int count) throws ParseException {
        return new SenderReport(r.i32(), r.u64(), r.u32(), r.u32(), r.u32(), ReportBlock.readAll(r, count));
    }

    @Override
    public int length() {
        return 28 + ReportBlock.LENGTH * reports.size();
    }

    @Override
    public void write(ByteBuffer dst) {
        RtcpPacket.header(dst, reports.size(), SR, length());
        dst.putInt(ssrc).putLong(ntpTime).putInt((int) rtpTimestamp).putInt((int) packetCount)
                .putInt((int) octetCount);
        reports.forEach(b -> b.write(dst));
    }
}
