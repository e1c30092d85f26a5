package org.rtc4j.media.codec;

import java.util.List;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Turns raw audio into encoded frames, whatever the codec: what a sender puts between a microphone track and RTP.
 * Input comes in frames of any length, rate and channel count (the encoder converts and buffers); output comes
 * whenever a whole codec frame is ready, with RTP timestamps in the codec's clock continuing from the first
 * input's time. Not thread-safe: one thread feeds it.
 */
public interface AudioEncoder {

    Codec codec();

    /** The encoded frames completed by {@code frame}: none, one or several. */
    List<EncodedFrame> encode(AudioFrame frame);

    /**
     * The bit rate to hold from now on, bits per second (a sender's maxBitrate, RTCP REMB); clamped to what the
     * codec can do. A codec of one fixed rate (G.711's 64 kbit/s) ignores it.
     */
    default void setTargetBitrate(int bitsPerSecond) {
    }
}
