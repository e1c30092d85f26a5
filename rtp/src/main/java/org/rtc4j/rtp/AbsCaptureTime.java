package org.rtc4j.rtp;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/**
 * The absolute capture time (http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time): the NTP time the
 * first sample of the frame was captured, and optionally the sender's estimate of the offset between its clock
 * and the capturer's.
 *
 * <pre>
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | len=7 or 15   |     absolute capture timestamp (64-bit NTP, 32.32) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... | estimated capture clock offset (signed 32.32, optional) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param ntpTimestamp       64-bit NTP time
 * @param clockOffset        the offset in signed 32.32 seconds, meaningful only when {@code hasClockOffset}
 * @param hasClockOffset     whether the element carries the offset (16 bytes rather than 8)
 */
public record AbsCaptureTime(long ntpTimestamp, long clockOffset, boolean hasClockOffset) {

    public static final String URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";

    public static AbsCaptureTime read(ByteBuffer buf, int offset, int length) throws ParseException {
        if (length == 8) {
            return new AbsCaptureTime(buf.getLong(offset), 0, false);
        }
        if (length == 16) {
            return new AbsCaptureTime(buf.getLong(offset), buf.getLong(offset + 8), true);
        }
        throw new ParseException("absolute capture time element of " + length + " bytes");
    }

    public void write(RtpHeaderWriter writer, int id) {
        int n = hasClockOffset ? 16 : 8;
        byte[] d = writer.addExtension(id, n);
        ByteBuffer.wrap(d, writer.elementOffset(), n).putLong(ntpTimestamp);
        if (hasClockOffset) {
            ByteBuffer.wrap(d, writer.elementOffset() + 8, 8).putLong(clockOffset);
        }
    }
}
