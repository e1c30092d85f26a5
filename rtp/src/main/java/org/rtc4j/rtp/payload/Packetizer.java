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
     * order; the last one gets {@code marker = true} (for audio, every payload is a whole frame and the marker
     * is left to the session). All payloads of the frame share its RTP timestamp.
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
