package org.rtc4j.media.container;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A reader of encoded frames from a container file, in file order (decode order). Frames of codecs rtc4j does
 * not know are skipped. A file cut at a frame boundary ends cleanly; a file cut inside a frame, or malformed,
 * gives a {@link ContainerFormatException} after the last complete frame.
 */
public interface EncodedReader extends Closeable {

    /** The tracks whose frames {@link #read()} returns, known once the reader is open. */
    List<ContainerTrack> tracks();

    /** The next frame, or {@code null} at the end of the file. */
    TrackFrame read() throws IOException;
}
