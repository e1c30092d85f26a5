package org.rtc4j.media.container.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a writer's bytes go: a file channel (written straight to the operating system, so a killed process
 * loses nothing already written, and seekable, so headers can be completed) or any stream (live, no patching).
 */
public final class Output implements Closeable {

    private final FileChannel channel;
    private final OutputStream stream;
    private long position;

    private Output(FileChannel channel, OutputStream stream) {
        this.channel = channel;
        this.stream = stream;
    }

    public static Output create(Path file) throws IOException {
        return new Output(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), null);
    }

    /** What a writer's constructor is, given its output. */
    public interface Opener<T> {
        T open(Output out) throws IOException;
    }

    /** Creates {@code file} and a writer on it; the file is closed again if the writer refuses its arguments. */
    public static <T> T create(Path file, Opener<T> writer) throws IOException {
        Output out = create(file);
        try {
            return writer.open(out);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    public static Output of(OutputStream stream) {
        return new Output(null, stream);
    }

    public boolean seekable() {
        return channel != null;
    }

    /** Bytes written so far. */
    public long position() {
        return position;
    }

    public void write(ByteBuilder b) throws IOException {
        write(b.array(), 0, b.length());
    }

    public void write(byte[] b, int off, int len) throws IOException {
        if (channel != null) {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } else {
            stream.write(b, off, len);
        }
        position += len;
    }

    /** Makes what was written visible to a reader of the file (a stream's buffer is pushed on). */
    public void flush() throws IOException {
        if (stream != null) {
            stream.flush();
        }
    }

    /** Overwrites bytes already written; only when {@link #seekable()}. */
    public void patch(long at, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        long p = at;
        while (buf.hasRemaining()) {
            p += channel.write(buf, p);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        } else {
            stream.close();
        }
    }
}
