package org.rtc4j.media.container.internal;

import java.util.Arrays;

/** A reusable growable byte array for building headers, clusters and pages without allocating per frame. */
public final class ByteBuilder {

    private byte[] bytes;
    private int length;

    public ByteBuilder(int capacity) {
        bytes = new byte[capacity];
    }

    public int length() {
        return length;
    }

    public byte[] array() {
        return bytes;
    }

    public void reset() {
        length = 0;
    }

    public void truncate(int newLength) {
        length = newLength;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** Makes room for {@code n} bytes at the end, for the caller to fill; returns where they start. */
    public int append(int n) {
        ensure(n);
        length += n;
        return length - n;
    }

    public ByteBuilder u8(int v) {
        ensure(1);
        bytes[length++] = (byte) v;
        return this;
    }

    public ByteBuilder be(long v, int n) {
        ensure(n);
        for (int i = n - 1; i >= 0; i--) {
            bytes[length++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public ByteBuilder le(long v, int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public ByteBuilder bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public ByteBuilder bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
        return this;
    }

    public ByteBuilder ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Overwrites {@code n} bytes big-endian at {@code at}. */
    public void setBe(int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            bytes[at + i] = (byte) (v >>> (8 * (n - 1 - i)));
        }
    }

    /** Overwrites {@code n} bytes little-endian at {@code at}. */
    public void setLe(int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            bytes[at + i] = (byte) (v >>> (8 * i));
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }
}
