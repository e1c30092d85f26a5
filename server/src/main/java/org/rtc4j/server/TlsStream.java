package org.rtc4j.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS on one client's TCP connection to the TURN server ({@code turns:}, RFC 8656
 * section 3.1), with the JDK's {@link SSLEngine}, driven from the runner's thread. What it keeps per
 * connection is only a record split across reads, sized to that record; plaintext and ciphertext pass through
 * buffers the runner shares between all its connections ({@link Scratch}), so an idle connection costs the
 * engine's own state and no more. The engine's delegated tasks (the handshake's key exchange) run inline.
 */
final class TlsStream {

    /** Where ciphertext goes: the connection's write-or-queue, which throws when its queue is full. */
    interface Sink {
        void write(ByteBuffer ciphertext) throws IOException;
    }

    /** The runner's buffers for unwrapping and wrapping, one set per thread. */
    static final class Scratch {
        final ByteBuffer plain;
        final ByteBuffer cipher;

        Scratch(SSLContext context) {
            SSLEngine probe = context.createSSLEngine();
            plain = ByteBuffer.allocate(probe.getSession().getApplicationBufferSize());
            cipher = ByteBuffer.allocate(probe.getSession().getPacketBufferSize());
        }
    }

    /** A TLS record's header: type, version, length (RFC 8446 section 5.1). */
    private static final int HEADER = 5;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final Scratch scratch;
    /** A record split across reads (write mode), or null. */
    private ByteBuffer partial;
    private boolean handshaken;

    TlsStream(SSLContext context, Scratch scratch) {
        this.engine = context.createSSLEngine();
        this.engine.setUseClientMode(false);
        this.scratch = scratch;
    }

    /** Whether the handshake has completed (application data can flow). */
    boolean handshaken() {
        return handshaken;
    }

    /**
     * Takes ciphertext read from the socket, answers the handshake through {@code sink}, and hands each piece
     * of plaintext to {@code plaintext} (a view valid during the call).
     *
     * @throws IOException when the client's records are refused or it closed TLS
     */
    void unwrap(ByteBuffer data, Consumer<ByteBuffer> plaintext, Sink sink) throws IOException {
        while (data.hasRemaining()) {
            if (partial != null && partial.position() > 0) {
                int need = partial.position() < HEADER ? HEADER : recordLength(partial, 0);
                if (partial.capacity() < need) {
                    partial = ByteBuffer.allocate(need).put(partial.flip());
                }
                int take = Math.min(need - partial.position(), data.remaining());
                partial.put(data.slice(data.position(), take));
                data.position(data.position() + take);
                if (partial.position() >= HEADER && partial.position() == recordLength(partial, 0)) {
                    partial.flip();
                    unwrapRecord(partial, plaintext, sink);
                    partial = null; // records are rarely split on a quiet connection: keep nothing between them
                }
                continue;
            }
            if (data.remaining() < HEADER || data.remaining() < recordLength(data, data.position())) {
                int need = data.remaining() < HEADER ? HEADER : recordLength(data, data.position());
                partial = ByteBuffer.allocate(need).put(data);
                return;
            }
            unwrapRecord(data, plaintext, sink);
        }
    }

    /** Encrypts {@code plain} (all of it) into records for {@code sink}. */
    void wrap(ByteBuffer plain, Sink sink) throws IOException {
        while (plain.hasRemaining()) {
            ByteBuffer out = scratch.cipher.clear();
            SSLEngineResult r = engine.wrap(plain, out);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("TLS wrap: " + r.getStatus());
            }
            sink.write(out.flip());
        }
        handshake(sink);
    }

    /** One whole record from {@code source}'s position. */
    private void unwrapRecord(ByteBuffer source, Consumer<ByteBuffer> plaintext, Sink sink) throws IOException {
        ByteBuffer plain = scratch.plain.clear();
        SSLEngineResult r = engine.unwrap(source, plain);
        switch (r.getStatus()) {
            case OK -> {
                if (plain.flip().hasRemaining()) {
                    plaintext.accept(plain);
                }
            }
            case CLOSED -> throw new SSLException("the client closed TLS");
            // Whole records only come here, and the scratch is the session's largest plaintext.
            default -> throw new SSLException("TLS record refused: " + r.getStatus());
        }
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshaken = true;
        }
        handshake(sink);
    }

    /** Runs the handshake's tasks and sends its flights until it waits for the client or is done. */
    private void handshake(Sink sink) throws IOException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    task.run();
                }
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                ByteBuffer out = scratch.cipher.clear();
                SSLEngineResult r = engine.wrap(EMPTY, out);
                if (out.flip().hasRemaining()) {
                    sink.write(out);
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("TLS closed during the handshake");
                }
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    handshaken = true;
                }
            } else {
                return;
            }
        }
    }

    /**
     * The whole length of the record whose header starts at {@code at}, checked against the largest the session
     * allows: a length past it is an attack or garbage, refused before anything is allocated for it.
     */
    private int recordLength(ByteBuffer b, int at) throws SSLException {
        int length = HEADER + ((b.get(at + 3) & 0xFF) << 8 | (b.get(at + 4) & 0xFF));
        if (length > scratch.cipher.capacity()) {
            throw new SSLException("TLS record of " + length + " bytes");
        }
        return length;
    }
}
