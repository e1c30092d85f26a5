package org.rtc4j.rtp;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/**
 * The playout delay limits the sender asks for (http://www.webrtc.org/experiments/rtp-hdrext/playout-delay): two
 * 12-bit values in 10 ms units.
 *
 * <pre>
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | len=2 |       MIN delay       |       MAX delay       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param minMillis 0..40950, a multiple of 10
 * @param maxMillis 0..40950, a multiple of 10
 */
public record PlayoutDelay(int minMillis, int maxMillis) {

    public static final String URI = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
    public static final int LENGTH = 3;

    public PlayoutDelay {
        if (minMillis < 0 || maxMillis < 0 || minMillis > 40950 || maxMillis > 40950 || minMillis % 10 != 0
                || maxMillis % 10 != 0) {
            throw new IllegalArgumentException("playout delay " + minMillis + ".." + maxMillis + " ms");
        }
    }

    public static PlayoutDelay read(ByteBuffer buf, int offset, int length) throws ParseException {
        if (length != LENGTH) {
            throw new ParseException("playout delay element of " + length + " bytes");
        }
        int v = ((buf.get(offset) & 0xFF) << 16) | ((buf.get(offset + 1) & 0xFF) << 8) | (buf.get(offset + 2) & 0xFF);
        return new PlayoutDelay((v >>> 12) * 10, (v & 0xFFF) * 10);
    }

    public void write(RtpHeaderWriter writer, int id) {
        int v = (minMillis / 10) << 12 | (maxMillis / 10);
        byte[] d = writer.addExtension(id, LENGTH);
        int o = writer.elementOffset();
        d[o] = (byte) (v >>> 16);
        d[o + 1] = (byte) (v >>> 8);
        d[o + 2] = (byte) v;
    }
}
