package org.rtc4j.rtp;

import java.nio.ByteBuffer;

/**
 * The absolute send time header extension (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time): the
 * send time in 24 bits, 6.18 fixed point seconds (the middle bits of an NTP timestamp), wrapping every 64 s.
 *
 * <pre>
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | len=2 |              absolute send time               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class AbsSendTime {

    public static final String URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final int LENGTH = 3;

    private AbsSendTime() {
    }

    /** The 24-bit value for a time in nanoseconds (of any epoch: only the value modulo 64 s is kept). */
    public static int fromNanos(long nanos) {
        // 2^18 units per second: nanos * 2^18 / 1e9, kept within 64 bits by splitting seconds off first.
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        long rest = Math.floorMod(nanos, 1_000_000_000L);
        long units = (seconds << 18) + (rest << 18) / 1_000_000_000L;
        return (int) (units & 0xFFFFFF);
    }

    /** The value in nanoseconds within its 64-second period. */
    public static long toNanos(int value) {
        return ((value & 0xFFFFFFL) * 1_000_000_000L) >>> 18;
    }

    public static int read(ByteBuffer buf, int offset, int length) {
        if (length != LENGTH) {
            return -1;
        }
        return ((buf.get(offset) & 0xFF) << 16) | ((buf.get(offset + 1) & 0xFF) << 8) | (buf.get(offset + 2) & 0xFF);
    }

    public static void write(RtpHeaderWriter writer, int id, int value) {
        byte[] d = writer.addExtension(id, LENGTH);
        int o = writer.elementOffset();
        d[o] = (byte) (value >>> 16);
        d[o + 1] = (byte) (value >>> 8);
        d[o + 2] = (byte) value;
    }
}
