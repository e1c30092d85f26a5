package org.rtc4j.sctp;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The sans-IO contract of {@link org.rtc4j.core.Engine}, for a protocol that carries whole packets over a
 * lower layer that already knows its one peer. SCTP over DTLS (RFC 8261) has no addresses of its own: the
 * DTLS association is the path, so {@code source}/{@code destination} would be meaningless, and the
 * {@code Transmit} record would cost an allocation per packet. Output is written into the driver's buffer
 * instead, so the hot path allocates nothing.
 *
 * <p>Not thread-safe: one driver calls it from one thread at a time; {@code now} never goes backwards.
 *
 * @param <E> the engine's event type
 */
public interface PacketEngine<E> {

    /** A packet arrived; {@code packet} is read between position and limit during the call only. */
    void handlePacket(Instant now, ByteBuffer packet);

    /** The time returned by {@link #pollTimeout()} has come (calling it early or late is harmless). */
    void handleTimeout(Instant now);

    /**
     * Writes the next packet to send at {@code dst}'s position and advances the position past it. {@code now}
     * is when it leaves: the engine stamps what it sends with it (round trip, retransmission timer), and the
     * application may have queued data since the engine last heard the time.
     *
     * @return the packet's length, or 0 when there is nothing to send now
     * @throws IllegalArgumentException when {@code dst} has less room than the largest packet (SCTP: the max MTU)
     */
    int pollPacket(Instant now, ByteBuffer dst);

    /** The next event, or {@code null}. */
    E pollEvent();

    /** When {@link #handleTimeout} should be called next, or {@code null} when nothing is waited for. */
    Instant pollTimeout();
}
