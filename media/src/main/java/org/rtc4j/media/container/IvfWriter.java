package org.rtc4j.media.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.rtc4j.media.container.internal.ByteBuilder;
import org.rtc4j.media.container.internal.Output;
import org.rtc4j.media.container.internal.TrackClocks;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Records VP8, VP9 or AV1 into IVF (layout in {@link IvfReader}). The time base is one frame period, as libvpx
 * and ffmpeg write it (ffmpeg reads the header's frame count as the duration in that time base); each frame is
 * written whole when it arrives, and the frame count is completed on close where the file is seekable. A frame
 * whose time falls in or before the last frame's period is written one period after it ({@link #retimed()}), so
 * that times strictly increase as demuxers require; the frames after it keep their own times.
 */
public final class IvfWriter implements EncodedWriter {

    private final Output out;
    private final Codec codec;
    private final TrackClocks clocks;
    private final int framesPerSecond;
    private final ByteBuilder header = new ByteBuilder(64 * 1024);
    private long lastPts = -1;
    private long frames;
    private long retimed;

    private IvfWriter(Output out, ContainerTrack track, int framesPerSecond) throws IOException {
        this.codec = track.codec();
        String fourcc = switch (codec) {
            case VP8 -> "VP80";
            case VP9 -> "VP90";
            case AV1 -> "AV01";
            default -> throw new IllegalArgumentException("IVF holds VP8, VP9 or AV1, not " + codec);
        };
        if (framesPerSecond <= 0) {
            throw new IllegalArgumentException("frames per second " + framesPerSecond);
        }
        this.out = out;
        this.framesPerSecond = framesPerSecond;
        this.clocks = new TrackClocks(List.of(track));
        ByteBuilder h = new ByteBuilder(32);
        h.ascii("DKIF").le(0, 2).le(32, 2).ascii(fourcc).le(track.width(), 2).le(track.height(), 2)
                .le(framesPerSecond, 4).le(1, 4).le(0, 4).le(0, 4);
        out.write(h);
    }

    /** A seekable recording: the header's frame count is set on close. */
    public static IvfWriter create(Path file, ContainerTrack track, int framesPerSecond) throws IOException {
        return Output.create(file, out -> new IvfWriter(out, track, framesPerSecond));
    }

    /** A live recording into any stream. */
    public IvfWriter(OutputStream stream, ContainerTrack track, int framesPerSecond) throws IOException {
        this(Output.of(stream), track, framesPerSecond);
    }

    @Override
    public void write(int track, EncodedFrame frame) throws IOException {
        write(track, frame, clocks.nanos(track, frame));
    }

    @Override
    public void write(int track, EncodedFrame frame, long timeNanos) throws IOException {
        if (track != 0 || frame.codec() != codec) {
            throw new IllegalArgumentException("IVF track 0 is " + codec + ", not track " + track + " " + frame.codec());
        }
        long pts = TrackClocks.nanosToTicks(timeNanos, framesPerSecond);
        if (pts <= lastPts) {
            pts = lastPts + 1;
            retimed++;
        }
        lastPts = pts;
        header.reset();
        header.le(frame.data().length, 4).le(pts, 8).bytes(frame.data());
        out.write(header); // one write: a killed recorder leaves whole frames, or a last one cut short
        out.flush();
        frames++;
    }

    /** Frames written later than their time to keep the times increasing. */
    public long retimed() {
        return retimed;
    }

    @Override
    public void close() throws IOException {
        if (out.seekable()) {
            ByteBuilder count = new ByteBuilder(4).le(frames, 4);
            out.patch(24, count.toByteArray());
        }
        out.close();
    }
}
