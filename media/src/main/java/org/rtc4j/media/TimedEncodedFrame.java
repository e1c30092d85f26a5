package org.rtc4j.media;

import java.util.Objects;
import org.rtc4j.rtp.EncodedFrame;

/**
 * An encoded frame with its time in microseconds, as file readers yield it: the {@link EncodedFrame}'s own
 * timestamp is an RTP timestamp (codec clock, modulo 2^32), which wraps and cannot say how long a file has run.
 *
 * @param frame           the encoded frame (owned as {@link EncodedFrame} says)
 * @param timestampMicros decode time in microseconds: frames come in decode order and are sent at this time
 * @param durationMicros  how long the frame lasts, or 0 when the container does not say
 */
public record TimedEncodedFrame(EncodedFrame frame, long timestampMicros, long durationMicros) implements MediaFrame {

    public TimedEncodedFrame {
        Objects.requireNonNull(frame, "frame");
        if (durationMicros < 0) {
            throw new IllegalArgumentException("negative duration");
        }
    }

    /**
     * The same bytes at {@code micros}, its RTP timestamp recomputed from the time in the codec's clock
     * ({@code micros * clockRate / 10^6}, modulo 2^32), so a looped or re-based stream keeps a continuous clock.
     */
    public TimedEncodedFrame at(long micros) {
        EncodedFrame f = new EncodedFrame(frame.codec(), frame.data(), rtpTimestamp(micros, frame.codec().clockRate()),
                frame.keyFrame(), frame.temporalLayer(), frame.spatialLayer());
        return new TimedEncodedFrame(f, micros, durationMicros);
    }

    /** {@code micros * clockRate / 10^6} modulo 2^32, without overflow for any time and clock rate. */
    static long rtpTimestamp(long micros, int clockRate) {
        long ticks = Math.floorDiv(micros, 1_000_000L) * clockRate
                + Math.floorMod(micros, 1_000_000L) * clockRate / 1_000_000;
        return ticks & 0xFFFF_FFFFL;
    }
}
