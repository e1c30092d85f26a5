package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Picture loss indication (RFC 4585 section 6.3.1): payload-specific feedback, FMT 1, no FCI.
 *
 * <pre>
 * |V=2|P|  FMT=1  |   PT=206      |          length=2             |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * </pre>
 */
public record PictureLossIndication(int senderSsrc, int mediaSsrc) implements RtcpPacket {

    public static final int FMT = 1;

    static PictureLossIndication read(ByteReader r) throws ParseException {
        return new PictureLossIndication(r.i32(), r.i32());
    }

    @Override
    public int length() {
        return 12;
    }

    @Override
    public void write(ByteBuffer dst) {
        RtcpPacket.header(dst, FMT, PSFB, 12);
        dst.putInt(senderSsrc).putInt(mediaSsrc);
    }
}
