package org.rtc4j.media.container;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.container.internal.ByteBuilder;
import org.rtc4j.media.container.internal.Output;

/**
 * Records raw video into Y4M (layout in {@link Y4mReader}), at a fixed frame rate and the size of the first
 * frame. Each frame is written whole as it arrives, so a killed recorder leaves every frame but a cut last one.
 */
public final class Y4mWriter implements Closeable {

    private final Output out;
    private final int framesPerSecond;
    private final ByteBuilder frameBytes = new ByteBuilder(64 * 1024);
    private int width;
    private int height;

    public static Y4mWriter create(Path file, int framesPerSecond) throws IOException {
        return Output.create(file, out -> new Y4mWriter(out, framesPerSecond));
    }

    public Y4mWriter(OutputStream stream, int framesPerSecond) {
        this(Output.of(stream), framesPerSecond);
    }

    private Y4mWriter(Output out, int framesPerSecond) {
        if (framesPerSecond <= 0) {
            throw new IllegalArgumentException("frames per second " + framesPerSecond);
        }
        this.out = out;
        this.framesPerSecond = framesPerSecond;
    }

    /** Appends {@code frame}, which must have the first frame's size. */
    public void write(VideoFrame frame) throws IOException {
        frameBytes.reset();
        if (width == 0) {
            width = frame.width();
            height = frame.height();
            frameBytes.ascii("YUV4MPEG2 W" + width + " H" + height + " F" + framesPerSecond + ":1 Ip A1:1 C420jpeg\n");
        } else if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame of " + frame.width() + "x" + frame.height() + " in a "
                    + width + "x" + height + " Y4M file");
        }
        frameBytes.ascii("FRAME\n");
        int at = frameBytes.append(frame.packedSize());   // first: it may grow the array
        frame.writePacked(frameBytes.array(), at);
        out.write(frameBytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
