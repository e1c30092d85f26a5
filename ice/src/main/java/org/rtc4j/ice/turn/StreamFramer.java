package org.rtc4j.ice.turn;

import java.nio.ByteBuffer;

/**
 * Cuts a TCP byte stream from a TURN server into STUN messages and ChannelData frames (RFC 8656 section
 * 12.5: over a stream, ChannelData is padded to a multiple of four). The buffer is fixed: a frame can never
 * be longer than it, so the stream cannot make us allocate.
 */
final class StreamFramer {

    /** The longest frame: a STUN header and 65535 bytes, or ChannelData with 65535 bytes and padding. */
    private static final int CAPACITY = 20 + 0xFFFF + 4;

    private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);
    private long garbage;

    interface FrameHandler {
        void frame(ByteBuffer frame);
    }

    /** Appends stream bytes and hands every complete frame over; false when the stream became garbage. */
    boolean feed(ByteBuffer data, FrameHandler handler) {
        while (data.hasRemaining()) {
            int n = Math.min(data.remaining(), buffer.remaining());
            ByteBuffer slice = data.slice(data.position(), n);
            buffer.put(slice);
            data.position(data.position() + n);
            if (!drain(handler)) {
                return false;
            }
        }
        return true;
    }

    private boolean drain(FrameHandler handler) {
        buffer.flip();
        try {
            while (buffer.remaining() >= 4) {
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
                    buffer.clear();
                    buffer.flip();
                    return false;
                }
                if (buffer.remaining() < padded) {
                    break;
                }
                handler.frame(buffer.slice(p, frame));
                buffer.position(p + padded);
            }
        } finally {
            buffer.compact();
        }
        return true;
    }

    long garbage() {
        return garbage;
    }

    void reset() {
        buffer.clear();
    }
}
