package org.rtc4j.media.container;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.container.internal.Input;

/** What the raw file readers share: a header read at the start, and a rewind that reopens the file. */
abstract class RawFileReader implements FrameReader {

    private final Path file;
    Input in;

    RawFileReader(Path file) {
        this.file = file;
    }

    static InputStream open(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file));
    }

    /** Reads the file's header from {@link #in}, leaving it at the first frame. */
    abstract void readHeader() throws IOException;

    final void start(InputStream stream) throws IOException {
        in = new Input(stream);
        try {
            readHeader();
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reopens the file; a reader made from a stream cannot. */
    @Override
    public void rewind() throws IOException {
        if (file == null) {
            FrameReader.super.rewind();
        }
        in.close();
        start(open(file));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
