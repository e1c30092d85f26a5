package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Generic NACK (RFC 4585 section 6.2.1): transport layer feedback, FMT 1. Each FCI entry names a lost packet
 * (PID) and, in a bitmask, which of the 16 after it are lost too.
 *
 * <pre>
 * |V=2|P|  FMT=1  |   PT=205      |          length               |
 * |                  SSRC of packet sender                        |
 * |                  SSRC of media source                         |
 * |            PID                |             BLP               |  (repeated)
 * </pre>
 *
 * @param lost the lost sequence numbers, in the order they were listed
 */
public record GenericNack(int senderSsrc, int mediaSsrc, int[] lost) implements RtcpPacket {

    public static final int FMT = 1;

    public GenericNack {
        lost = lost.clone();
    }

    static GenericNack read(ByteReader r) throws ParseException {
        int sender = r.i32();
        int media = r.i32();
        int entries = r.remaining() / 4;
        int[] tmp = new int[entries * 17];
        int n = 0;
        for (int i = 0; i < entries; i++) {
            int pid = r.u16();
            int blp = r.u16();
            tmp[n++] = pid;
            for (int b = 0; b < 16; b++) {
                if ((blp & (1 << b)) != 0) {
                    tmp[n++] = (pid + b + 1) & 0xFFFF;
                }
            }
        }
        return new GenericNack(sender, media, Arrays.copyOf(tmp, n));
    }

    /** The FCI entries, {@code PID << 16 | BLP}: each lost number not within 16 of the entry before it opens one. */
    private int[] entries() {
        int[] out = new int[lost.length];
        int n = 0;
        for (int i = 0; i < lost.length; ) {
            int pid = lost[i++];
            int blp = 0;
            while (i < lost.length && ((lost[i] - pid) & 0xFFFF) >= 1 && ((lost[i] - pid) & 0xFFFF) <= 16) {
                blp |= 1 << (((lost[i] - pid) & 0xFFFF) - 1);
                i++;
            }
            out[n++] = (pid << 16) | blp;
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    public int length() {
        return 12 + 4 * entries().length;
    }

    @Override
    public void write(ByteBuffer dst) {
        int[] entries = entries();
        RtcpPacket.header(dst, FMT, RTPFB, 12 + 4 * entries.length);
        dst.putInt(senderSsrc).putInt(mediaSsrc);
        for (int e : entries) {
            dst.putInt(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenericNack g && senderSsrc == g.senderSsrc && mediaSsrc == g.mediaSsrc
                && Arrays.equals(lost, g.lost);
    }

    @Override
    public int hashCode() {
        return senderSsrc * 31 + Arrays.hashCode(lost);
    }

    @Override
    public String toString() {
        return "GenericNack[" + Integer.toUnsignedString(mediaSsrc) + " " + Arrays.toString(lost) + "]";
    }
}
