package org.rtc4j.rtp.payload.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects a frame's bytes into one array sized up front from the input (every format's output is within a small
 * factor of its payloads), so a hostile stream cannot make it grow beyond that bound.
 */
final class FrameBuilder {

    private final byte[] bytes;
    private int length;

    FrameBuilder(int capacity) {
        bytes = new byte[capacity];
    }

    int length() {
        return length;
    }

    void put(int b) {
        bytes[length++] = (byte) b;
    }

    void put(byte[] src, int off, int len) {
        System.arraycopy(src, off, bytes, length, len);
        length += len;
    }

    /** Copies {@code len} bytes from {@code src} at {@code index} (relative to its position), leaving it unchanged. */
    void put(ByteBuffer src, int index, int len) {
        src.get(src.position() + index, bytes, length, len);
        length += len;
    }

    void putLeb128(int value) {
        length = Leb128.write(value, bytes, length);
    }

    /** The bytes written so far, from {@code from}, as a new array. */
    byte[] copy(int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    byte[] toArray() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
