package org.rtc4j.dtls.internal;

import java.io.InterruptedIOException;

/**
 * Thrown by the queue-backed transport when, after the handshake, Bouncy Castle asks for another datagram and
 * none is queued: it ends a synchronous receive. An {@link InterruptedIOException} because Bouncy Castle passes
 * those through without failing the connection. Shared and without a stack trace: it is control flow.
 */
public final class NoInput extends InterruptedIOException {

    private static final long serialVersionUID = 1L;

    public static final NoInput INSTANCE = new NoInput();

    private NoInput() {
        super("no queued datagram");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
