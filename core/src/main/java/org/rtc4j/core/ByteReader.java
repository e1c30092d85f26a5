package org.rtc4j.core;

import java.nio.ByteBuffer;

/**
 * Bounds-checked, big-endian (network order) reads over a region of a buffer. Every parser reads through
 * this, so a length field can never take it past the end: a short read is a {@link ParseException} that
 * says what was being read and where, never an {@link IndexOutOfBoundsException}.
 *
 * <p>The reader does not copy the buffer and may be {@linkplain #reset(ByteBuffer) reset} onto another one,
 * so a parser on the hot path allocates nothing per packet.
 */
public final class ByteReader {

    private ByteBuffer buffer;
    private int start;
    private int limit;
    private int index;

    private ByteReader(ByteBuffer buffer) {
        reset(buffer);
    }

    /** A reader over the bytes between the buffer's position and limit; the buffer itself is not moved. */
    public static ByteReader of(ByteBuffer buffer) {
        return new ByteReader(buffer);
    }

    public static ByteReader of(byte[] bytes) {
        return new ByteReader(ByteBuffer.wrap(bytes));
    }

    public static ByteReader of(byte[] bytes, int offset, int length) {
        return new ByteReader(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Points this reader at another buffer's remaining bytes. */
    public ByteReader reset(ByteBuffer newBuffer) {
        this.buffer = newBuffer;
        this.start = newBuffer.position();
        this.limit = newBuffer.limit();
        this.index = start;
        return this;
    }

    /** Offset of the next byte, counted from the start of the region. */
    public int position() {
        return index - start;
    }

    /** Moves to an offset within the region (counted from its start). */
    public void position(int offset) throws ParseException {
        if (offset < 0 || offset > limit - start) {
            throw new ParseException("offset " + offset + " outside 0.." + (limit - start));
        }
        index = start + offset;
    }

    public int remaining() {
        return limit - index;
    }

    public boolean hasRemaining() {
        return index < limit;
    }

    /** Total length of the region. */
    public int length() {
        return limit - start;
    }

    /** Fails unless {@code n} more bytes are there; {@code what} names them in the error. */
    public void require(int n, String what) throws ParseException {
        if (n < 0 || n > limit - index) {
            throw new ParseException(what + ": need " + n + " bytes at offset " + position() + ", "
                    + remaining() + " left");
        }
    }

    public int u8() throws ParseException {
        require(1, "u8");
        return buffer.get(index++) & 0xFF;
    }

    public int u16() throws ParseException {
        require(2, "u16");
        int v = ((buffer.get(index) & 0xFF) << 8) | (buffer.get(index + 1) & 0xFF);
        index += 2;
        return v;
    }

    public int u24() throws ParseException {
        require(3, "u24");
        int v = ((buffer.get(index) & 0xFF) << 16) | ((buffer.get(index + 1) & 0xFF) << 8)
                | (buffer.get(index + 2) & 0xFF);
        index += 3;
        return v;
    }

    /** A 32-bit field as a signed int (for tags, TSNs and other values compared modulo 2^32). */
    public int i32() throws ParseException {
        require(4, "u32");
        int v = buffer.getInt(index);
        index += 4;
        return buffer.order() == java.nio.ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    /** A 32-bit field as an unsigned value. */
    public long u32() throws ParseException {
        return i32() & 0xFFFF_FFFFL;
    }

    public long u64() throws ParseException {
        require(8, "u64");
        long v = buffer.getLong(index);
        index += 8;
        return buffer.order() == java.nio.ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    /** The next byte without consuming it. */
    public int peekU8() throws ParseException {
        require(1, "u8");
        return buffer.get(index) & 0xFF;
    }

    /** The unsigned byte at {@code offset} from the start of the region, without moving. */
    public int u8At(int offset) throws ParseException {
        if (offset < 0 || offset >= limit - start) {
            throw new ParseException("u8 at offset " + offset + " outside 0.." + (limit - start - 1));
        }
        return buffer.get(start + offset) & 0xFF;
    }

    public void skip(int n) throws ParseException {
        require(n, "skip");
        index += n;
    }

    /** Copies the next {@code n} bytes (bounded by the input, so never more than was received). */
    public byte[] bytes(int n) throws ParseException {
        require(n, "bytes");
        byte[] out = new byte[n];
        buffer.get(index, out, 0, n);
        index += n;
        return out;
    }

    /** Copies the next {@code n} bytes into {@code dst} at {@code offset}. */
    public void read(byte[] dst, int offset, int n) throws ParseException {
        require(n, "bytes");
        buffer.get(index, dst, offset, n);
        index += n;
    }

    /** A view of the next {@code n} bytes (no copy, big-endian), and moves past them. */
    public ByteBuffer slice(int n) throws ParseException {
        require(n, "slice");
        ByteBuffer view = buffer.slice(index, n);
        index += n;
        return view;
    }

    /** A reader over the next {@code n} bytes, and moves past them: for length-prefixed structures. */
    public ByteReader sub(int n) throws ParseException {
        return new ByteReader(slice(n));
    }
}
