package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Full intra request (RFC 5104 section 4.3.1): payload-specific feedback, FMT 4. The media source field is 0;
 * each FCI entry names the source asked and a sequence number that changes with each new request.
 *
 * <pre>
 * |V=2|P|  FMT=4  |   PT=206      |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source (unused, 0)             |
 * |                              SSRC                             |  (repeated)
 * | Seq nr.       |    Reserved                                   |
 * </pre>
 */
public record FullIntraRequest(int senderSsrc, List<Entry> entries) implements RtcpPacket {

    public static final int FMT = 4;

    /** One request: the source and the command sequence number. */
    public record Entry(int ssrc, int sequenceNumber) {
    }

    public FullIntraRequest {
        entries = List.copyOf(entries);
    }

    static FullIntraRequest read(ByteReader r) throws ParseException {
        int sender = r.i32();
        r.i32();
        List<Entry> entries = new ArrayList<>();
        while (r.remaining() >= 8) {
            int ssrc = r.i32();
            int seq = r.u8();
            r.skip(3);
            entries.add(new Entry(ssrc, seq));
        }
        return new FullIntraRequest(sender, entries);
    }

    @Override
    public int length() {
        return 12 + 8 * entries.size();
    }

    @Override
    public void write(ByteBuffer dst) {
        RtcpPacket.header(dst, FMT, PSFB, length());
        dst.putInt(senderSsrc).putInt(0);
        for (Entry e : entries) {
            dst.putInt(e.ssrc).putInt(e.sequenceNumber << 24);
        }
    }
}
