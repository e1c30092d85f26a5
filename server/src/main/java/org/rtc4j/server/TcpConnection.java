package org.rtc4j.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayDeque;
import org.rtc4j.core.TransportAddress;

/**
 * One client's TCP connection: reads the stream and cuts it into whole STUN messages and ChannelData
 * frames, and queues what could not be written at once. Both directions are bounded: a frame is at most
 * 64 KiB + 20 bytes, and a peer that leaves more than {@link #MAX_PENDING} bytes of answers unread is
 * disconnected.
 */
final class TcpConnection {

    /** A connection is known by its two ends. */
    record Key(TransportAddress local, TransportAddress remote) {
    }

    static final int MAX_FRAME = 20 + 0xFFFF;
    static final int MAX_PENDING = 1 << 20;

    final Key id;
    SelectionKey key;
    private final SocketChannel channel;
    private ByteBuffer in = ByteBuffer.allocate(2048);
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private int pendingBytes;
    private boolean broken;
    private int consumed;
    private Instant lastActivity;

    TcpConnection(SocketChannel channel, TransportAddress local, TransportAddress remote, Instant now) {
        this.channel = channel;
        this.id = new Key(local, remote);
        this.lastActivity = now;
    }

    /** Reads what is there; false at the end of the stream. */
    boolean read(Instant now) throws IOException {
        compact();
        int n = channel.read(in);
        if (n > 0) {
            lastActivity = now;
        }
        return n >= 0;
    }

    /**
     * The next whole frame, as a view into the read buffer valid until the next {@link #read}, or
     * {@code null} when more bytes are needed (or the stream is {@linkplain #broken() broken}).
     */
    ByteBuffer nextFrame() {
        int start = consumed;
        int available = in.position() - start;
        if (broken || available < 4) {
            return null;
        }
        int length = frameLength(in.get(start) & 0xFF, (in.get(start + 2) & 0xFF) << 8 | (in.get(start + 3) & 0xFF));
        if (length < 0) {
            broken = true;
            return null;
        }
        if (available < length) {
            if (in.capacity() < length) {
                grow(length);
            }
            return null;
        }
        consumed += length;
        // ChannelData over TCP is padded to a multiple of four (RFC 8656 section 12.5); the engine gets the
        // frame without the padding.
        int contentLength = (in.get(start) & 0xC0) == 0x40
                ? 4 + ((in.get(start + 2) & 0xFF) << 8 | (in.get(start + 3) & 0xFF)) : length;
        return in.slice(start, contentLength);
    }

    /**
     * The length of the frame that starts with this byte and this 16-bit length field: a STUN message
     * (top bits 00, RFC 8489 section 6.2.2) or ChannelData (top bits 01: channel numbers 0x4000-0x7FFF, the
     * RFC 5766 range), or -1 when the stream holds neither.
     */
    static int frameLength(int firstByte, int lengthField) {
        int kind = firstByte >>> 6;
        if (kind == 0) {
            return 20 + lengthField;
        }
        if (kind == 1) {
            return 4 + ((lengthField + 3) & ~3);
        }
        return -1;
    }

    boolean broken() {
        return broken;
    }

    Instant lastActivity() {
        return lastActivity;
    }

    /** Writes or queues {@code payload}; false when the queue would pass its bound. */
    boolean send(ByteBuffer payload) throws IOException {
        if (pending.isEmpty()) {
            channel.write(payload);
            if (!payload.hasRemaining()) {
                return true;
            }
        }
        if (pendingBytes + payload.remaining() > MAX_PENDING) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        pending.add(copy);
        pendingBytes += copy.remaining();
        key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        return true;
    }

    void writePending() throws IOException {
        while (!pending.isEmpty()) {
            ByteBuffer head = pending.peek();
            int n = channel.write(head);
            pendingBytes -= n;
            if (head.hasRemaining()) {
                return;
            }
            pending.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void compact() {
        if (consumed > 0) {
            in.flip().position(consumed);
            in.compact();
            consumed = 0;
        }
        if (!in.hasRemaining() && in.capacity() < MAX_FRAME) {
            grow(Math.min(MAX_FRAME, in.capacity() * 2));
        }
    }

    private void grow(int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_FRAME, Math.max(capacity, in.capacity())));
        in.flip().position(consumed);
        bigger.put(in);
        in = bigger;
        consumed = 0;
    }
}
