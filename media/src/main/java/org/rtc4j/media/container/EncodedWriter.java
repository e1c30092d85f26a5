package org.rtc4j.media.container;

import java.io.Closeable;
import java.io.IOException;
import org.rtc4j.rtp.EncodedFrame;

/**
 * A recorder of encoded frames into a container file. Frames reach the file as the container allows (a frame,
 * a cluster or a page at a time), so a recording whose process dies keeps what was written before; {@link
 * #close()} completes the headers where the output is seekable.
 */
public interface EncodedWriter extends Closeable {

    /**
     * Records {@code frame} on track {@code track} (an index into the tracks the writer was made with) at
     * {@code timeNanos} from the start of the recording: the caller who knows how the tracks' RTP clocks relate
     * (RTCP sender reports) places them here.
     *
     * @throws IllegalArgumentException if the frame's codec is not the track's
     */
    void write(int track, EncodedFrame frame, long timeNanos) throws IOException;

    /**
     * Records {@code frame} at the time its RTP timestamp gives, unwrapped across 2^32 and counted from the
     * first frame of the same track: each track starts at time 0.
     */
    void write(int track, EncodedFrame frame) throws IOException;
}
