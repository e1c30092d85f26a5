package org.rtc4j.media.container;

import java.io.IOException;
import java.nio.file.Path;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.TimedEncodedFrame;
import org.rtc4j.media.container.internal.OpusToc;
import org.rtc4j.media.container.internal.TrackClocks;
import org.rtc4j.rtp.EncodedFrame;

/**
 * The frames of one track of an encoded media file (the first audio or video track), timed in microseconds,
 * for a file source to pace; {@link #rewind()} reopens the file for looping.
 */
public final class ContainerFrameReader implements FrameReader {

    private final Path file;
    private final MediaKind kind;
    private final int annexBFramesPerSecond;
    private EncodedReader reader;
    private int track;
    private long last;
    private long ticks;
    private long lastMicros;
    private boolean first;

    /**
     * Opens the first track of {@code kind} in {@code file} (formats as {@link ContainerFiles#open}).
     *
     * @throws ContainerFormatException when the file has no track of that kind
     */
    public ContainerFrameReader(Path file, MediaKind kind, int annexBFramesPerSecond) throws IOException {
        this.file = file;
        this.kind = kind;
        this.annexBFramesPerSecond = annexBFramesPerSecond;
        open();
    }

    private void open() throws IOException {
        reader = ContainerFiles.open(file, annexBFramesPerSecond);
        track = -1;
        for (int i = 0; i < reader.tracks().size() && track < 0; i++) {
            if (reader.tracks().get(i).codec().isVideo() == (kind == MediaKind.VIDEO)) {
                track = i;
            }
        }
        if (track < 0) {
            reader.close();
            throw new ContainerFormatException(file + " has no " + kind + " track rtc4j reads");
        }
        first = true;
        lastMicros = Long.MIN_VALUE;
    }

    /** The track read. */
    public ContainerTrack track() {
        return reader.tracks().get(track);
    }

    @Override
    public MediaKind kind() {
        return kind;
    }

    @Override
    public MediaFrame read() throws IOException {
        TrackFrame f;
        do {
            f = reader.read();
            if (f == null) {
                return null;
            }
        } while (f.track() != track);
        EncodedFrame e = f.frame();
        if (first) {
            first = false;
            ticks = (int) e.timestamp(); // a file may start a little before 0 (Opus codec delay)
        } else {
            ticks += (int) (e.timestamp() - last);
        }
        last = e.timestamp();
        int rate = e.codec().clockRate();
        // Decode order: a B-frame's earlier presentation time is sent no earlier than the frame before it.
        long micros = Math.max(lastMicros, TrackClocks.ticksToNanos(ticks, rate) / 1000);
        lastMicros = micros;
        long duration = kind == MediaKind.AUDIO ? Math.max(0, OpusToc.samples(e.data())) * 1_000_000L / 48_000 : 0;
        return new TimedEncodedFrame(e, micros, duration);
    }

    @Override
    public void rewind() throws IOException {
        reader.close();
        open();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
