package org.rtc4j.internal;

import org.rtc4j.rtp.payload.TelephoneEvent;

/**
 * The telephone events of one received stream turned into whole tones (RFC 4733 section 2.5.2): a tone is known
 * once its final report (E bit) comes, with its length; repeated final reports and updates are not news. An
 * event longer than the 16-bit duration field comes in segments (section 2.5.1.3), each with a new timestamp
 * where the one before ended: they add up to one tone. Loop-confined.
 */
public final class DtmfReception {

    /** A whole tone: the event code and its length in RTP ticks. */
    public record Tone(int event, long ticks) {
    }

    private long start = -1;
    private int event = -1;
    /** Ticks of the event's segments before the current one. */
    private long carried;
    private boolean ended = true;

    /** A report with its packet's RTP timestamp; the tone when this report ends it, else null. */
    public Tone receive(long timestamp, TelephoneEvent report) {
        if (timestamp != start) {
            boolean continues = !ended && report.event() == event && timestamp == ((start + 0xFFFF) & 0xFFFF_FFFFL);
            carried = continues ? carried + 0xFFFF : 0;
            start = timestamp;
            event = report.event();
            ended = false;
        }
        if (report.end() && !ended) {
            ended = true;
            return new Tone(event, carried + report.duration());
        }
        return null;
    }
}
