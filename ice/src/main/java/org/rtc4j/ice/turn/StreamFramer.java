package org.rtc4j.ice.turn;

import java.nio.ByteBuffer;
import org.rtc4j.ice.stun.ChannelData;

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
    private static final int CAPACITY = ChannelData.streamFrameLength(0x40, 0xFFFF);

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
            if (buffer.remaining() >= ChannelData.HEADER_LENGTH) {
                int p = buffer.position();
                int first = buffer.get(p);
                int length = buffer.getShort(p + 2) & 0xFFFF;
                int padded = ChannelData.streamFrameLength(first, length);
                if (padded < 0) {
                    // Neither STUN nor ChannelData: the stream is out of step and cannot be resynchronised.
                    garbage++;
                    reset();
                    return null;
                }
                int frame = ChannelData.frameLength(first, length);
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
