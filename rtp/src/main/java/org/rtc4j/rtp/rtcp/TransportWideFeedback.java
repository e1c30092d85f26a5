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
 * <p>The writer takes the statuses as they come: a run of one symbol as a run length chunk when it is 14 long or
 * longer (or ends the list), else 14 one-bit symbols when none needs two bits (fewer at the end: the reader stops at
 * the status count, section 3.1), else 7 two-bit symbols. A receive delta is one unsigned byte from 0 to 255 ticks,
 * else two bytes, signed (section 3.1.4); the 32-bit boundary is reached with zero bytes (the figure of section
 * 3.1). {@link #write(ByteBuffer, int, int, int, int, int, int[], int)} writes from arrays without allocating, for
 * a receiver that sends this feedback many times a second.
 *
 * @param referenceTime  24-bit signed, in 64 ms units (written modulo 2^24, read sign-extended)
 * @param feedbackCount  8-bit counter of feedback packets
 * @param deltas         per packet from the base: the receive delta in 250 µs ticks (the first received one from
 *                       the reference time, each other from the previous received one), or {@link #NOT_RECEIVED}
 */
public record TransportWideFeedback(int senderSsrc, int mediaSsrc, int baseSequence, int referenceTime,
                                    int feedbackCount, int[] deltas) implements RtcpPacket {

    public static final int FMT = 15;
    public static final int NOT_RECEIVED = Integer.MIN_VALUE;
    /** The most statuses a packet describes (the 16-bit packet status count). */
    public static final int MAX_PACKETS = 0xFFFF;
    /** The receive delta in 250 µs ticks that two bytes hold at most and at least (section 3.1.4). */
    public static final int MAX_DELTA = Short.MAX_VALUE;
    public static final int MIN_DELTA = Short.MIN_VALUE;
    /** Bytes before the chunks: the common header, both SSRCs, base and count, reference time and counter. */
    private static final int HEADER = 20;
    private static final int MAX_RUN = 0x1FFF;

    public TransportWideFeedback {
        deltas = deltas.clone();
        check(deltas, deltas.length);
    }

    private static void check(int[] deltas, int count) {
        if (count < 0 || count > MAX_PACKETS || count > deltas.length) {
            throw new IllegalArgumentException(count + " packet statuses (at most " + MAX_PACKETS + ")");
        }
        for (int i = 0; i < count; i++) {
            int d = deltas[i];
            if (d != NOT_RECEIVED && (d < MIN_DELTA || d > MAX_DELTA)) {
                throw new IllegalArgumentException("receive delta " + d + " beyond 16 bits: a new feedback packet");
            }
        }
    }

    /** 0 not received, 1 small delta (1 byte), 2 large or negative delta (2 bytes): the bytes its delta takes. */
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
        if (count > r.remaining() / 2 * MAX_RUN) {
            throw new ParseException("packet status count " + count + " beyond what the chunks can hold");
        }
        int[] symbols = new int[count];
        int n = 0;
        while (n < count) {
            int chunk = r.u16();
            if ((chunk & 0x8000) == 0) {
                int sym = (chunk >>> 13) & 3;
                int run = chunk & MAX_RUN;
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

    /**
     * The chunk that describes the statuses from {@code i} on (of {@code count}): the 16-bit chunk in the low bits,
     * the number of statuses it covers above them.
     */
    private static long chunkAt(int[] deltas, int i, int count) {
        int sym = symbol(deltas[i]);
        int run = 1;
        while (i + run < count && run < MAX_RUN && symbol(deltas[i + run]) == sym) {
            run++;
        }
        if (run >= 14 || i + run == count && run >= 7) {
            return (long) run << 16 | (sym << 13) | run;
        }
        int left = Math.min(14, count - i);
        boolean oneBit = left > 7;
        for (int k = 0; k < left && oneBit; k++) {
            oneBit = symbol(deltas[i + k]) < 2;
        }
        if (oneBit) {
            int chunk = 0x8000;
            for (int k = 0; k < left; k++) {
                chunk |= symbol(deltas[i + k]) << (13 - k);
            }
            return (long) left << 16 | chunk;
        }
        left = Math.min(7, count - i);
        int chunk = 0xC000;
        for (int k = 0; k < left; k++) {
            chunk |= symbol(deltas[i + k]) << (12 - 2 * k);
        }
        return (long) left << 16 | chunk;
    }

    /** Bytes on the wire of a packet of the first {@code count} statuses of {@code deltas}, padding included. */
    public static int length(int[] deltas, int count) {
        int n = HEADER;
        for (int i = 0; i < count; i += (int) (chunkAt(deltas, i, count) >>> 16)) {
            n += 2;
        }
        for (int i = 0; i < count; i++) {
            n += symbol(deltas[i]);
        }
        return (n + 3) / 4 * 4;
    }

    /**
     * Writes a packet of the first {@code count} statuses of {@code deltas} (as the record's components say) at the
     * buffer's position, without allocating; returns its length.
     */
    public static int write(ByteBuffer dst, int senderSsrc, int mediaSsrc, int baseSequence, int referenceTime,
                            int feedbackCount, int[] deltas, int count) {
        check(deltas, count);
        int length = length(deltas, count);
        int end = dst.position() + length;
        RtcpPacket.header(dst, FMT, RTPFB, length);
        dst.putInt(senderSsrc).putInt(mediaSsrc).putShort((short) baseSequence).putShort((short) count);
        dst.putInt((referenceTime << 8) | (feedbackCount & 0xFF));
        for (int i = 0; i < count; ) {
            long chunk = chunkAt(deltas, i, count);
            dst.putShort((short) chunk);
            i += (int) (chunk >>> 16);
        }
        for (int i = 0; i < count; i++) {
            int d = deltas[i];
            switch (symbol(d)) {
                case 1 -> dst.put((byte) d);
                case 2 -> dst.putShort((short) d);
                default -> { }
            }
        }
        while (dst.position() < end) {
            dst.put((byte) 0);
        }
        return length;
    }

    @Override
    public int length() {
        return length(deltas, deltas.length);
    }

    @Override
    public void write(ByteBuffer dst) {
        write(dst, senderSsrc, mediaSsrc, baseSequence, referenceTime, feedbackCount, deltas, deltas.length);
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
