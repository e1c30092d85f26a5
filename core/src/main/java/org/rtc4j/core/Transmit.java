package org.rtc4j.core;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A datagram (or a stream segment, for TCP) that an engine wants sent: from its local {@code source}
 * to {@code destination}. The engine hands {@code payload} over: the driver owns it from
 * {@code pollTransmit()} on, and sends the bytes between its position and its limit.
 */
public record Transmit(TransportAddress source, TransportAddress destination, ByteBuffer payload) {

    public Transmit {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
    }

    /** A copy of the bytes to send; for tests and logs, not the hot path. */
    public byte[] bytes() {
        ByteBuffer view = payload.duplicate();
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        return copy;
    }
}
