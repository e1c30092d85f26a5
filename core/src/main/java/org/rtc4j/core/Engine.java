package org.rtc4j.core;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The sans-IO contract (see the package documentation): a protocol engine with no threads, no sockets and
 * no clock of its own. Time and datagrams go in; datagrams, events and the next timeout come out.
 *
 * <p>An engine is not thread-safe: one driver calls it from one thread at a time. {@code now} never goes
 * backwards between calls.
 *
 * @param <E> the engine's event type
 */
public interface Engine<E> {

    /**
     * A datagram arrived from {@code source} at the engine's local address {@code destination}. The engine
     * reads {@code data} between its position and limit during the call only: the caller owns the buffer
     * and may reuse it afterwards, so the engine copies whatever it keeps. Malformed input is dropped and
     * counted by the engine, never thrown.
     */
    void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data);

    /** The time returned by {@link #pollTimeout()} has come (calling it early or late is harmless). */
    void handleTimeout(Instant now);

    /** The next datagram to send, or {@code null} when there is none for now. */
    Transmit pollTransmit();

    /** The next event, or {@code null} when there is none for now. */
    E pollEvent();

    /** When {@link #handleTimeout} should be called next, or {@code null} when the engine waits for nothing. */
    Instant pollTimeout();
}
