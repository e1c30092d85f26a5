package org.rtc4j.rtp.payload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * One telephone event report, RFC 4733 section 2.3: the payload of {@code audio/telephone-event}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * An event is reported by a packet at its start (RTP marker set), updates with a growing duration, all with the
 * event's start as RTP timestamp, and a final report with E set, sent three times (section 2.5.1.4).
 *
 * @param event    the event code: 0-9, 10 for *, 11 for #, 12-15 for A-D (section 3.2)
 * @param end      whether the event has ended
 * @param volume   the power level in -dBm0, 0 to 63 (DTMF: 0 to 36 meaningful)
 * @param duration how long the event has lasted so far, in RTP timestamp units, 0 to 65535
 */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {

    /** Bytes of one report. */
    public static final int LENGTH = 4;

    public TelephoneEvent {
        if (event < 0 || event > 255 || volume < 0 || volume > 63 || duration < 0 || duration > 0xFFFF) {
            throw new IllegalArgumentException("telephone event out of range: " + event + " " + volume + " "
                    + duration);
        }
    }

    /** The first report of a payload (RFC 4733 section 2.3; more may follow in a multi-event payload). */
    public static TelephoneEvent parse(ByteBuffer payload) throws ParseException {
        if (payload.remaining() < LENGTH) {
            throw new ParseException("telephone-event payload of " + payload.remaining() + " bytes");
        }
        int p = payload.position();
        int flags = payload.get(p + 1) & 0xFF;
        return new TelephoneEvent(payload.get(p) & 0xFF, (flags & 0x80) != 0, flags & 0x3F,
                payload.getShort(p + 2) & 0xFFFF);
    }

    /** The four bytes of this report. */
    public byte[] toBytes() {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | volume), (byte) (duration >>> 8),
                (byte) duration};
    }

    /**
     * The frames that report one event as section 2.5.1 says, for the sender's session to send one every
     * {@code interval} ticks (the first with the marker, as the packetizer does): updates, then the final report
     * three times. Events longer than the 16-bit duration are not split into segments here.
     *
     * @param timestamp the RTP timestamp of the event's start
     * @param duration  the event's length in ticks, at most 65535
     * @param interval  ticks between reports, e.g. 400 (50 ms at 8 kHz)
     */
    public static List<EncodedFrame> reports(int event, int volume, long timestamp, int duration, int interval) {
        if (interval <= 0 || duration <= 0) {
            throw new IllegalArgumentException("duration and interval must be positive");
        }
        List<EncodedFrame> frames = new ArrayList<>();
        for (int d = interval; d < duration; d += interval) {
            frames.add(new EncodedFrame(Codec.TELEPHONE_EVENT, new TelephoneEvent(event, false, volume, d).toBytes(),
                    timestamp, true));
        }
        byte[] last = new TelephoneEvent(event, true, volume, duration).toBytes();
        for (int i = 0; i < 3; i++) {
            frames.add(new EncodedFrame(Codec.TELEPHONE_EVENT, last, timestamp, true));
        }
        return frames;
    }
}
