package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Receiver report (RFC 3550 section 6.4.2).
 *
 * <pre>
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * |                     SSRC of packet sender                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (24 bytes each) ...             |
 * |                  profile-specific extensions                  |
 * </pre>
 */
public record ReceiverReport(int ssrc, List<ReportBlock> reports) implements RtcpPacket {

    public ReceiverReport {
        reports = List.copyOf(reports);
        if (reports.size() > 31) {
            throw new IllegalArgumentException("more than 31 report blocks");
        }
    }

    static ReceiverReport read(ByteReader r, int count) throws ParseException {
        return new ReceiverReport(r.i32(), ReportBlock.readAll(r, count));
    }

    @Override
    public int length() {
        return 8 + ReportBlock.LENGTH * reports.size();
    }

    @Override
    public void write(ByteBuffer dst) {
        RtcpPacket.header(dst, reports.size(), RR, length());
        dst.putInt(ssrc);
        reports.forEach(b -> b.write(dst));
    }
}
