package org.rtc4j.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.rtc4j.core.TransportAddress;

/**
 * One client's TCP connection (with TLS when it came to a TLS listener): reads the stream and cuts it into
 * whole STUN messages and ChannelData frames, and queues what could not be written at once. Memory follows
 * what is in flight, not what might be: bytes are read into the runner's shared buffer and frames handed on
 * from there; only a frame split across reads is copied, into a buffer the size of that frame, dropped once it
 * is whole. Both directions are bounded: a frame is at most 64 KiB + 20 bytes, and a peer that leaves more
 * than {@link #MAX_PENDING} bytes of answers unread is disconnected.
 */
final class TcpConnection {

    /** A connection is known by its two ends. */
    record Key(TransportAddress local, TransportAddress remote) {
    }

    static final int MAX_FRAME = 20 + 0xFFFF;
    static final int MAX_PENDING = 256 << 10;
    /** A split frame's buffer this small is kept for the next one; a larger one is dropped once used. */
    private static final int KEEP = 512;

    final Key id;
    SelectionKey key;
    private final SocketChannel channel;
    private final TlsStream tls;
    /** The start of a frame split across reads (write mode), or null. */
    private ByteBuffer partial;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private int pendingBytes;
    private boolean broken;
    private boolean closed;
    private Instant lastFrame;

    TcpConnection(SocketChannel channel, TransportAddress local, TransportAddress remote, TlsStream tls,
            Instant now) {
        this.channel = channel;
        this.id = new Key(local, remote);
        this.tls = tls;
        this.lastFrame = now;
    }

    /**
     * Reads what is there into {@code buffer} (the runner's, shared) and hands each whole frame to
     * {@code frames}, as a view valid during the call; false at the end of the stream.
     */
    boolean read(ByteBuffer buffer, Consumer<ByteBuffer> frames, Instant now) throws IOException {
        int n = channel.read(buffer.clear());
        if (n < 0) {
            return false;
        }
        buffer.flip();
        if (tls != null) {
            tls.unwrap(buffer, plain -> cut(plain, frames, now), this::sendRaw);
        } else {
            cut(buffer, frames, now);
        }
        return true;
    }

    /** Cuts {@code data} into frames, keeping a split one's start in {@link #partial}. */
    private void cut(ByteBuffer data, Consumer<ByteBuffer> frames, Instant now) {
        while (data.hasRemaining() && !broken && !closed) {
            if (partial != null && partial.position() > 0) {
                int need = partial.position() < 4 ? 4 : length(partial, 0);
                if (need < 0) {
                    return;
                }
                if (partial.capacity() < need) {
                    partial = ByteBuffer.allocate(need).put(partial.flip());
                }
                int take = Math.min(need - partial.position(), data.remaining());
                partial.put(data.slice(data.position(), take));
                data.position(data.position() + take);
                if (partial.position() >= 4 && partial.position() == length(partial, 0)) {
                    ByteBuffer whole = partial.flip();
                    deliver(whole, 0, frames, now);
                    if (closed) {
                        return; // the engine's answer closed it
                    }
                    partial = whole.capacity() <= KEEP ? whole.clear() : null;
                }
                continue;
            }
            int length = data.remaining() < 4 ? 4 : length(data, data.position());
            if (length < 0) {
                return;
            }
            if (data.remaining() < length) {
                if (partial == null || partial.capacity() < length) {
                    partial = ByteBuffer.allocate(Math.max(length, Math.min(KEEP, MAX_FRAME)));
                }
                partial.put(data);
                return;
            }
            deliver(data, data.position(), frames, now);
            data.position(data.position() + length);
        }
    }

    private void deliver(ByteBuffer b, int start, Consumer<ByteBuffer> frames, Instant now) {
        lastFrame = now;
        // ChannelData over TCP is padded to a multiple of four (RFC 8656 section 12.5); the engine gets the
        // frame without the padding.
        int contentLength = (b.get(start) & 0xC0) == 0x40
                ? 4 + ((b.get(start + 2) & 0xFF) << 8 | (b.get(start + 3) & 0xFF))
                : frameLength(b.get(start) & 0xFF, (b.get(start + 2) & 0xFF) << 8 | (b.get(start + 3) & 0xFF));
        frames.accept(b.slice(start, contentLength));
    }

    /** The length of the frame starting at {@code at}, or -1 (and the stream marked broken) for neither kind. */
    private int length(ByteBuffer b, int at) {
        int length = frameLength(b.get(at) & 0xFF, (b.get(at + 2) & 0xFF) << 8 | (b.get(at + 3) & 0xFF));
        if (length < 0) {
            broken = true;
        }
        return length;
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

    /** Not STUN or ChannelData: a stream cannot be resynchronised. */
    boolean broken() {
        return broken;
    }

    /** When the last whole frame arrived (or the connection opened): bytes trickled in do not count. */
    Instant lastFrame() {
        return lastFrame;
    }

    /** Bytes held for the peer to read and for a frame split across reads. */
    int bufferedBytes() {
        return pendingBytes + (partial == null ? 0 : partial.capacity());
    }

    /** Writes or queues {@code payload} (encrypted first on TLS); false when the queue would pass its bound. */
    boolean send(ByteBuffer payload) throws IOException {
        if (tls == null) {
            return sendRaw0(payload);
        }
        try {
            tls.wrap(payload, this::sendRaw);
            return true;
        } catch (QueueFull e) {
            return false;
        }
    }

    private void sendRaw(ByteBuffer bytes) throws IOException {
        if (!sendRaw0(bytes)) {
            throw new QueueFull();
        }
    }

    private boolean sendRaw0(ByteBuffer payload) throws IOException {
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
        closed = true;
        pending.clear();
        pendingBytes = 0;
        partial = null;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** A client that does not read what TLS must write (its handshake, our answers). */
    private static final class QueueFull extends IOException {
        QueueFull() {
            super("the client does not read: its send queue is full", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
