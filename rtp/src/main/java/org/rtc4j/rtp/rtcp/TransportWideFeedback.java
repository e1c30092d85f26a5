package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1):
 * transport layer feedback, FMT 15. For each transport sequence number from the base on, whether it arrived and
 * the arrival time's delta to the previous one in 250 µs ticks.
 *
 * <pre>
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * |                     SSRC of packet sender                     |
 * |                      SSRC of media source                     |
 * |      base sequence number     |      packet status count      |
 * |                 reference time                | fb pkt. count |
 * |          packet chunk         |         packet chunk          |  ...
 * |         packet chunk          |  recv delta   |  recv delta   |  ... zero padding
 *
 * chunks: |0|S S|  run length (13)  |     run of one symbol
 *         |1|0| 14 one-bit symbols  |     0 not received, 1 small delta
 *         |1|1| 7 two-bit symbols   |     00 not received, 01 small (1 byte), 10 large or negative (2 bytes)
 * </pre>
 *
 * @param referenceTime  24-bit signed, in 64 ms units
 * @param feedbackCount  8-bit counter of feedback packets
 * @param deltas         per packet from the base: the receive delta in 250 µs ticks, or {@link #NOT_RECEIVED}
 */
public record TransportWideFeedback(int senderSsrc, int mediaSsrc, int baseSequence, int referenceTime,
                                    int feedbackCount, int[] deltas) implements RtcpPacket {

    public static final int FMT = 15;
    public static final int NOT_RECEIVED = Integer.MIN_VALUE;
    private static final int MAX_PACKETS = 0xFFFF;

    public TransportWideFeedback {
        deltas = deltas.clone();
        if (deltas.length > MAX_PACKETS) {
            throw new IllegalArgumentException("more than " + MAX_PACKETS + " packet statuses");
        }
    }

    private static int symbol(int delta) {
        return delta == NOT_RECEIVED ? 0 : delta >= 0 && delta <= 255 ? 1 : 2;
    }

    static TransportWideFeedback read(ByteReader r) throws ParseException {
        int sender = r.i32();
        int media = r.i32();
        int base = r.u16();
        int count = r.u16();
        int ref = r.u24();
        if ((ref & 0x800000) != 0) {
            ref |= 0xFF000000;
        }
        int fbCount = r.u8();
        // Each chunk (2 bytes) describes at least one packet: the count is bounded by the packet's length.
        if (count > r.remaining() / 2 * 8191) {
            throw new ParseException("packet status count " + count + " beyond what the chunks can hold");
        }
        int[] symbols = new int[count];
        int n = 0;
        while (n < count) {
            int chunk = r.u16();
            if ((chunk & 0x8000) == 0) {
                int sym = (chunk >>> 13) & 3;
                int run = chunk & 0x1FFF;
                for (int i = 0; i < run && n < count; i++) {
                    symbols[n++] = sym;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int i = 13; i >= 0 && n < count; i--) {
                    symbols[n++] = (chunk >>> i) & 1;
                }
            } else {
                for (int i = 12; i >= 0 && n < count; i -= 2) {
                    symbols[n++] = (chunk >>> i) & 3;
                }
            }
        }
        int[] deltas = new int[count];
        for (int i = 0; i < count; i++) {
            deltas[i] = switch (symbols[i]) {
                case 0 -> NOT_RECEIVED;
                case 1 -> r.u8();
                case 2 -> (short) r.u16();
                default -> throw new ParseException("reserved packet status symbol");
            };
        }
        return new TransportWideFeedback(sender, media, base, ref, fbCount, deltas);
    }

    /** The chunks that describe the statuses, in order, as 16-bit values. */
    private int[] chunks() {
        int[] out = new int[deltas.length + 1];
        int c = 0;
        int i = 0;
        while (i < deltas.length) {
            int sym = symbol(deltas[i]);
            int run = 1;
            while (i + run < deltas.length && symbol(deltas[i + run]) == sym && run < 0x1FFF) {
                run++;
            }
            if (run >= 14 || i + run == deltas.length && run >= 7) {
                out[c++] = (sym << 13) | run;
                i += run;
                continue;
            }
            boolean oneBit = true;
            for (int k = i; k < Math.min(i + 14, deltas.length); k++) {
                oneBit &= symbol(deltas[k]) < 2;
            }
            if (oneBit && deltas.length - i >= 14) {
                int chunk = 0x8000;
                for (int k = 0; k < 14; k++) {
                    chunk |= symbol(deltas[i + k]) << (13 - k);
                }
                out[c++] = chunk;
                i += 14;
            } else {
                int chunk = 0xC000;
                for (int k = 0; k < 7 && i + k < deltas.length; k++) {
                    chunk |= symbol(deltas[i + k]) << (12 - 2 * k);
                }
                out[c++] = chunk;
                i += 7;
            }
        }
        return Arrays.copyOf(out, c);
    }

    private int deltaBytes() {
        int n = 0;
        for (int d : deltas) {
            n += symbol(d);
        }
        return n;
    }

    @Override
    public int length() {
        return (20 + 2 * chunks().length + deltaBytes() + 3) / 4 * 4;
    }

    @Override
    public void write(ByteBuffer dst) {
        int end = dst.position() + length();
        RtcpPacket.header(dst, FMT, RTPFB, length());
        dst.putInt(senderSsrc).putInt(mediaSsrc).putShort((short) baseSequence).putShort((short) deltas.length);
        dst.putInt((referenceTime << 8) | (feedbackCount & 0xFF));
        for (int chunk : chunks()) {
            dst.putShort((short) chunk);
        }
        for (int d : deltas) {
            switch (symbol(d)) {
                case 1 -> dst.put((byte) d);
                case 2 -> dst.putShort((short) d);
                default -> { }
            }
        }
        while (dst.position() < end) {
            dst.put((byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportWideFeedback t && senderSsrc == t.senderSsrc && mediaSsrc == t.mediaSsrc
                && baseSequence == t.baseSequence && referenceTime == t.referenceTime
                && feedbackCount == t.feedbackCount && Arrays.equals(deltas, t.deltas);
    }

    @Override
    public int hashCode() {
        return baseSequence * 31 + Arrays.hashCode(deltas);
    }

    @Override
    public String toString() {
        return "TransportWideFeedback[base=" + baseSequence + " count=" + deltas.length + " ref=" + referenceTime
                + " fb=" + feedbackCount + "]";
    }
}
