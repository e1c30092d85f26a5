package org.rtc4j.media.container;

import java.util.Objects;
import org.rtc4j.rtp.EncodedFrame;

/**
 * A frame read from a container, with the index of its track in {@link EncodedReader#tracks()}.
 *
 * @param track index into the reader's track list
 * @param frame the frame; its timestamp is the presentation time in the codec's clock rate, modulo 2^32
 */
public record TrackFrame(int track, EncodedFrame frame) {

    public TrackFrame {
        Objects.requireNonNull(frame, "frame");
    }
}
