package org.rtc4j.media;

import java.io.Closeable;
import java.io.IOException;

/**
 * A sequence of timed frames of one kind, read one at a time: what a file container reader (IVF, Annex B, Ogg,
 * WebM, Y4M, WAV) offers, and what {@code PacedSource} plays out in real time, optionally looped.
 *
 * <p>Frames come in the order they are to be sent (decode order for encoded video), with non-decreasing
 * {@link MediaFrame#timestampMicros()}; the first need not be at 0. A reader yields either raw frames
 * ({@link VideoFrame}, {@link AudioFrame}) or encoded ones ({@link TimedEncodedFrame}), never a mix, and all of
 * {@link #kind()}. Not thread-safe: one consumer calls it.
 */
public interface FrameReader extends Closeable {

    /** The kind of every frame this reader yields. */
    MediaKind kind();

    /**
     * The next frame, or {@code null} at the end of the sequence.
     *
     * @throws IOException when the input cannot be read or is malformed (the message says where); the reader is
     *                     then unusable except for {@link #close()}
     */
    MediaFrame read() throws IOException;

    /**
     * Goes back to the first frame, so that the sequence plays again (looping). A reader that cannot (a pipe)
     * throws {@link UnsupportedOperationException}, as this default does.
     */
    default void rewind() throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot rewind");
    }
}
