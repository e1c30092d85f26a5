package org.rtc4j.media.container.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.rtc4j.media.container.ContainerFormatException;

/**
 * A reader's view of its file: counts the offset for error messages, reads exactly what a length field says or
 * fails with "truncated", and never allocates more than a length the caller has checked against its cap
 * (readNBytes grows its buffer as bytes arrive, so a lying length on a short file costs nothing).
 */
public final class Input {

    private final InputStream in;
    private long position;

    public Input(InputStream in) {
        this.in = in;
    }

    public long position() {
        return position;
    }

    /** The next byte, or -1 at the end of the file. */
    public int readOrEnd() throws IOException {
        int b = in.read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    public int u8() throws IOException {
        int b = readOrEnd();
        if (b < 0) {
            throw truncated();
        }
        return b;
    }

    public long be(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | u8();
        }
        return v;
    }

    public long le(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    /** Exactly {@code len} bytes; the caller has checked {@code len} against its cap. */
    public byte[] bytes(int len) throws IOException {
        byte[] b = in.readNBytes(len);
        position += b.length;
        if (b.length != len) {
            throw truncated();
        }
        return b;
    }

    /** Up to {@code len} bytes, fewer only at the end of the file; memory grows with the bytes that arrive. */
    public byte[] upTo(int len) throws IOException {
        byte[] b = in.readNBytes(len);
        position += b.length;
        return b;
    }

    /** Fills {@code dst} exactly. */
    public void readFully(byte[] dst, int off, int len) throws IOException {
        int n = in.readNBytes(dst, off, len);
        position += n;
        if (n != len) {
            throw truncated();
        }
    }

    /** Reads as many bytes as there are up to {@code len}; returns how many (fewer only at the end). */
    public int readUpTo(byte[] dst, int off, int len) throws IOException {
        int n = in.readNBytes(dst, off, len);
        position += n;
        return n;
    }

    public void skip(long n) throws IOException {
        try {
            in.skipNBytes(n);
            position += n;
        } catch (EOFException e) {
            throw truncated();
        }
    }

    public ContainerFormatException truncated() {
        return error("file ends inside an element");
    }

    public ContainerFormatException error(String what) {
        return new ContainerFormatException(what + " (at byte " + position + ")");
    }

    public void close() throws IOException {
        in.close();
    }
}
