package org.rtc4j.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The client side of TLS over one non-blocking TCP connection to a TURN server ({@code turns:}, RFC 8656
 * section 3.1), with the JDK's {@link SSLEngine}: the server's certificate is verified against the trust store
 * with the URL's host name (RFC 6125, as HTTPS does: RFC 7065 section 3 asks for it), SNI sent for a name.
 * Loop-confined; the engine's delegated tasks run inline (they are the certificate checks, short).
 */
final class TlsPipe {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    /** Ciphertext read and not yet unwrapped (write mode): at most one partial record. */
    private final ByteBuffer netIn;
    /** Ciphertext wrapped and not yet written (read mode). */
    private final ByteBuffer netOut;
    /** Plaintext unwrapped, handed on at once. */
    private final ByteBuffer appIn;

    TlsPipe(SSLContext context, String host, int port) {
        engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(p);
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet).flip();
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    void begin() throws SSLException {
        engine.beginHandshake();
    }

    /**
     * Wraps what the handshake needs, then (once it is done) the plaintext in {@code pending}, writing as it
     * goes; returns true when nothing is left to write (false: wait until the channel is writable).
     */
    boolean flush(SocketChannel channel, ArrayDeque<ByteBuffer> pending) throws IOException {
        while (true) {
            if (netOut.hasRemaining()) {
                channel.write(netOut);
                if (netOut.hasRemaining()) {
                    return false;
                }
            }
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            if (hs == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                return true; // the server speaks next
            }
            ByteBuffer src = hs == SSLEngineResult.HandshakeStatus.NEED_WRAP ? EMPTY : pending.peek();
            if (src == null) {
                return true;
            }
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            netOut.flip();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS connection closed");
            }
            if (src != EMPTY && !src.hasRemaining()) {
                pending.poll();
            }
            if (r.bytesProduced() == 0 && r.bytesConsumed() == 0
                    && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_TASK) {
                return true;
            }
        }
    }

    /**
     * Takes ciphertext read from the channel and hands each piece of plaintext to {@code out} (a buffer valid
     * only during the call), answering the handshake on {@code channel} as it goes.
     *
     * @throws IOException when the server's records or certificate are refused, or the write fails
     */
    void unwrap(ByteBuffer data, Consumer<ByteBuffer> out, SocketChannel channel, ArrayDeque<ByteBuffer> pending)
            throws IOException {
        while (data.hasRemaining()) {
            int n = Math.min(data.remaining(), netIn.remaining());
            ByteBuffer slice = data.slice(data.position(), n);
            netIn.put(slice);
            data.position(data.position() + n);
            unwrapBuffered(out, channel, pending);
        }
    }

    private void unwrapBuffered(Consumer<ByteBuffer> out, SocketChannel channel, ArrayDeque<ByteBuffer> pending)
            throws IOException {
        while (true) {
            netIn.flip();
            appIn.clear();
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            netIn.compact();
            if (appIn.position() > 0) {
                appIn.flip();
                out.accept(appIn);
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            boolean wrapped = false;
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                flush(channel, pending);
                wrapped = true;
            }
            switch (r.getStatus()) {
                case CLOSED -> throw new SSLException("the TURN server closed TLS");
                case BUFFER_UNDERFLOW -> {
                    if (!netIn.hasRemaining()) {
                        throw new SSLException("TLS record larger than the session allows");
                    }
                    return;
                }
                case BUFFER_OVERFLOW -> throw new SSLException("TLS record larger than the session allows");
                case OK -> {
                    if (netIn.position() == 0 || (r.bytesConsumed() == 0 && !wrapped)) {
                        return;
                    }
                }
            }
        }
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

}
