package org.rtc4j.rtp.payload;

import java.nio.ByteBuffer;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Cuts encoded frames into RTP payloads for one outgoing stream. Stateful where the format numbers its frames
 * (VP8/VP9 picture IDs, TL0PICIDX), so there is one instance per outgoing stream; not thread-safe.
 */
public interface Packetizer {

    /**
     * Cuts one frame into payloads of at most {@code maxPayloadSize} bytes, handed to {@code out} in sending
     * order; for video the last one gets {@code marker = true}. Audio frames are never cut (one payload each) and
     * their marker is false: RFC 3551 section 4.1 sets it on a talkspurt's first packet, which only the sender's
     * session knows; telephone-event sets it on an event's first report (RFC 4733 section 2.5.1.3). All payloads
     * of the frame share its RTP timestamp.
     *
     * @throws IllegalArgumentException if the frame is of another codec, or {@code maxPayloadSize} is too small
     *                                  for the format's own headers
     */
    void packetize(EncodedFrame frame, int maxPayloadSize, PayloadSink out);

    /** Where a packetizer puts its payloads. */
    interface PayloadSink {
        /**
         * One payload, from its position to its limit. The buffer is valid only during the call (the packetizer
         * reuses it): copy what must outlive the call.
         */
        void payload(ByteBuffer payload, boolean marker);
    }
}
