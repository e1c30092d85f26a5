package org.rtc4j.rtp.payload;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/**
 * Turns the telephone-event packets of one stream into what is news (RFC 4733 section 2.5.2): an event's start
 * once, and its end once, however many updates and repeated final reports (section 2.5.1.4) arrive, and even if
 * the first packets were lost. Not thread-safe.
 */
public final class TelephoneEventReceiver {

    private long timestamp = -1;
    private boolean ended;

    /**
     * @param timestamp the packet's RTP timestamp (the event's start)
     * @return the report if it starts or ends an event not yet reported so, else null
     */
    public TelephoneEvent receive(ByteBuffer payload, long timestamp) throws ParseException {
        TelephoneEvent e = TelephoneEvent.parse(payload);
        if (timestamp != this.timestamp) {
            this.timestamp = timestamp;
            ended = e.end();
            return e;
        }
        if (e.end() && !ended) {
            ended = true;
            return e;
        }
        return null;
    }
}
