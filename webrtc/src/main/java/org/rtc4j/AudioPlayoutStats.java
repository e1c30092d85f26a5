package org.rtc4j;

import java.util.Map;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.PayloadFormats;

/**
 * The media-playout object of an audio receiver (W3C webrtc-stats section 8.13, RTCAudioPlayoutStats), counted
 * where rtc4j plays out: the receiver's track, which gets each whole frame as soon as it is released. Samples
 * are the frames' own (an Opus packet's duration from its TOC); a gap in the RTP timestamps between two frames
 * (frames lost for good) is what a player synthesizes (concealment), one event per gap. rtc4j adds no playout
 * buffer of its own, and a sink's device delay is unknown here, so totalPlayoutDelay is left out. Loop-confined.
 */
final class AudioPlayoutStats {

    private long samples;
    private double duration;
    private double synthesized;
    private long synthesizedEvents;
    /** The RTP timestamp the next frame should have, -1 before the first. */
    private long expected = -1;

    /** A frame went to the track. */
    void delivered(EncodedFrame frame) {
        int ticks = PayloadFormats.audioTicks(frame);
        if (ticks < 0) {
            return;
        }
        int clock = frame.codec().clockRate();
        if (expected >= 0) {
            long gap = (int) (frame.timestamp() - expected);   // RFC 3550 timestamps wrap: the signed difference
            if (gap > 0 && gap <= 10L * clock) {
                synthesized += (double) gap / clock;
                duration += (double) gap / clock;
                samples += gap * sampleRate(frame.codec()) / clock;
                synthesizedEvents++;
            }
        }
        expected = (frame.timestamp() + ticks) & 0xFFFF_FFFFL;
        duration += (double) ticks / clock;
        samples += (long) ticks * sampleRate(frame.codec()) / clock;
    }

    /** Whether any frame was counted. */
    boolean started() {
        return expected >= 0;
    }

    void putInto(Map<String, Object> s) {
        s.put("kind", "audio");
        s.put("totalSamplesCount", samples);
        s.put("totalSamplesDuration", duration);
        s.put("synthesizedSamplesDuration", synthesized);
        s.put("synthesizedSamplesEvents", synthesizedEvents);
    }

    /** G.722 samples at 16 kHz on an 8 kHz RTP clock (RFC 3551 section 4.5.2); the others at their clock. */
    private static int sampleRate(Codec c) {
        return c == Codec.G722 ? 16_000 : c.clockRate();
    }
}
