package org.rtc4j.rtp.payload.internal;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Depacketizer;
import org.rtc4j.rtp.payload.Packetizer;
import org.rtc4j.rtp.payload.TelephoneEvent;

/**
 * {@code audio/telephone-event}, RFC 4733: a frame is one report (see {@link TelephoneEvent#reports}), each sent
 * in a packet of its own. The packetizer sets the marker on the first report of an event (section 2.5.1.3), told
 * by a new timestamp. Every packet is a frame for the depacketizer; {@code TelephoneEventReceiver} tells which
 * reports are news.
 */
public final class TelephoneEventFormat {

    private TelephoneEventFormat() {
    }

    public static Packetizer packetizer() {
        return new Packetizer() {
            private final PayloadWriter writer = new PayloadWriter();
            private long lastTimestamp = -1;

            @Override
            public void packetize(EncodedFrame frame, int maxPayloadSize, PayloadSink out) {
                Payloads.checkFrame(frame, Codec.TELEPHONE_EVENT, maxPayloadSize, TelephoneEvent.LENGTH);
                byte[] data = frame.data();
                if (data.length % TelephoneEvent.LENGTH != 0 || data.length == 0 || data.length > maxPayloadSize) {
                    throw new IllegalArgumentException("telephone-event frame of " + data.length + " bytes");
                }
                writer.begin(data.length);
                writer.put(data, 0, data.length);
                boolean first = frame.timestamp() != lastTimestamp;
                lastTimestamp = frame.timestamp();
                writer.emit(out, first);
            }
        };
    }

    public static Depacketizer depacketizer() {
        return new WholeFramePayload(Codec.TELEPHONE_EVENT, TelephoneEventFormat::validate);
    }

    /** Section 2.3: whole reports; a multi-event payload (2.5.1.5) is reports back to back. */
    private static void validate(ByteBuffer payload) throws ParseException {
        if (payload.remaining() % TelephoneEvent.LENGTH != 0) {
            throw new ParseException("telephone-event payload of " + payload.remaining() + " bytes");
        }
    }
}
