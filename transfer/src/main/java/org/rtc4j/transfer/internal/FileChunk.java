package org.rtc4j.transfer.internal;

import java.nio.ByteBuffer;

/**
 * One binary message on a file's data channel: a chunk of the file at its offset. Offsets are multiples of
 * {@link #SIZE}; every chunk but a file's last is {@link #SIZE} bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      chunk index (uint32)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 data (SIZE bytes, less in the last)         ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class FileChunk {

    /** Bytes of file data per chunk: 64 KiB, the message size data channels carry well everywhere. */
    public static final int SIZE = 64 * 1024;
    public static final int HEADER = 4;

    private FileChunk() {
    }

    /** Chunks in a file of {@code size} bytes. */
    public static int count(long size) {
        return (int) ((size + SIZE - 1) / SIZE);
    }

    /** Bytes of chunk {@code index} of a file of {@code size} bytes. */
    public static int length(long size, int index) {
        return (int) Math.min(SIZE, size - (long) index * SIZE);
    }

    /** Writes the header of chunk {@code index} at the buffer's start. */
    public static void header(ByteBuffer message, int index) {
        message.putInt(0, index);
    }

    /**
     * The chunk index of a received message for a file of {@code size} bytes, or -1 when the message is not a
     * valid chunk of it (too short, index out of range, wrong length).
     */
    public static int index(byte[] message, long size) {
        if (message.length < HEADER) {
            return -1;
        }
        long index = ((message[0] & 0xffL) << 24) | ((message[1] & 0xff) << 16) | ((message[2] & 0xff) << 8)
                | (message[3] & 0xff);
        if (index >= count(size) || message.length - HEADER != length(size, (int) index)) {
            return -1;
        }
        return (int) index;
    }
}
