package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 section 2.2): application layer feedback
 * (PSFB FMT 15) with the identifier "REMB".
 *
 * <pre>
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source (0)                     |
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * |   SSRC feedback                                               |  (Num SSRC times)
 * </pre>
 *
 * @param bitrate bits per second (mantissa times 2 to the exponent)
 */
public record ReceiverEstimatedMaxBitrate(int senderSsrc, long bitrate, List<Integer> ssrcs) implements RtcpPacket {

    public static final int FMT = 15;
    static final int REMB = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';

    public ReceiverEstimatedMaxBitrate {
        ssrcs = List.copyOf(ssrcs);
        if (bitrate < 0 || ssrcs.size() > 255) {
            throw new IllegalArgumentException("REMB of " + bitrate + " bit/s for " + ssrcs.size() + " SSRCs");
        }
    }

    /** Whether an application layer feedback body (after the two SSRCs) is a REMB. */
    static boolean isRemb(ByteReader r) throws ParseException {
        return r.remaining() >= 8 && r.u8At(r.position()) == 'R' && r.u8At(r.position() + 1) == 'E'
                && r.u8At(r.position() + 2) == 'M' && r.u8At(r.position() + 3) == 'B';
    }

    static ReceiverEstimatedMaxBitrate read(ByteReader r, int sender) throws ParseException {
        r.skip(4);
        int count = r.u8();
        int exp = r.u8() >>> 2;
        r.position(r.position() - 1);
        int mantissa = r.u24() & 0x3FFFF;
        long bitrate = exp > 45 ? Long.MAX_VALUE : (long) mantissa << exp;
        Integer[] ssrcs = new Integer[count];
        r.require(4 * count, "REMB SSRCs");
        for (int i = 0; i < count; i++) {
            ssrcs[i] = r.i32();
        }
        return new ReceiverEstimatedMaxBitrate(sender, bitrate, List.of(ssrcs));
    }

    @Override
    public int length() {
        return 20 + 4 * ssrcs.size();
    }

    @Override
    public void write(ByteBuffer dst) {
        int exp = 0;
        long m = bitrate;
        while (m > 0x3FFFF) {
            m >>>= 1;
            exp++;
        }
        RtcpPacket.header(dst, FMT, PSFB, length());
        dst.putInt(senderSsrc).putInt(0).putInt(REMB);
        dst.putInt((ssrcs.size() << 24) | (exp << 18) | (int) m);
        ssrcs.forEach(dst::putInt);
    }
}
