package org.rtc4j.ice.turn;

import java.nio.ByteBuffer;

/**
 * Cuts a TCP byte stream from a TURN server into STUN messages and ChannelData frames (RFC 8656 section
 * 12.5: over a stream, ChannelData is padded to a multiple of four). The buffer is fixed: a frame can never
 * be longer than it, so the stream cannot make us allocate.
 *
 * <p>Pulled, not pushed: {@link #feed} hands over a segment, then {@link #next} returns one whole frame at a
 * time, so a caller can stop at a frame it must hand up and come back for the rest.
 */
final class StreamFramer {

    /** The longest frame: a STUN header and 65535 bytes, or ChannelData with 65535 bytes and padding. */
    private static final int CAPACITY = 20 + 0xFFFF + 4;

    /** Bytes received but not yet cut, in read mode (position to limit). */
    private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY).flip();
    /** The segment being read, or null; the caller leaves it alone until {@link #next} returned null. */
    private ByteBuffer input;
    private long garbage;

    /** Takes the next segment of the stream; its bytes are read by {@link #next}. */
    void feed(ByteBuffer segment) {
        input = segment;
    }

    /**
     * The next whole frame (without its padding), valid until the next call; or null when the bytes so far
     * end inside a frame, or when the stream became garbage (counted; what was buffered is dropped).
     */
    ByteBuffer next() {
        while (true) {
            if (buffer.remaining() >= 4) {
                int p = buffer.position();
                int first = buffer.get(p) & 0xFF;
                int length = ((buffer.get(p + 2) & 0xFF) << 8) | (buffer.get(p + 3) & 0xFF);
                int frame;
                int padded;
                if ((first & 0xC0) == 0) {
                    frame = 20 + length;
                    padded = frame;
                } else if ((first & 0xC0) == 0x40) {
                    frame = 4 + length;
                    padded = (frame + 3) & ~3;
                } else {
                    // Neither STUN nor ChannelData: the stream is out of step and cannot be resynchronised.
                    garbage++;
                    reset();
                    return null;
                }
                if (buffer.remaining() >= padded) {
                    buffer.position(p + padded);
                    return buffer.slice(p, frame);
                }
            }
            if (input == null || !input.hasRemaining()) {
                input = null;
                return null;
            }
            buffer.compact();
            int n = Math.min(input.remaining(), buffer.remaining());
            buffer.put(input.slice(input.position(), n));
            input.position(input.position() + n);
            buffer.flip();
        }
    }

    long garbage() {
        return garbage;
    }

    void reset() {
        buffer.clear().flip();
        input = null;
    }
}
