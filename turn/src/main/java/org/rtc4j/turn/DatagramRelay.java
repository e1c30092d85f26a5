package org.rtc4j.turn;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.rtc4j.core.TransportAddress;

/**
 * An optional fast path of a relaying engine for its driver: the datagrams it relays are written into the
 * driver's reused buffer instead of a new buffer and {@link org.rtc4j.core.Transmit} each, so relaying
 * allocates nothing per packet. The engine behaves exactly as if the datagram had gone through
 * {@code handleInput} (same checks, counters and output); only the delivery differs.
 */
public interface DatagramRelay {

    /**
     * Offers a UDP datagram. Returns false when the engine does not take this one here: the driver then
     * gives it to {@code handleInput}. Returns true when it was handled: {@code out} (cleared by the engine)
     * then holds between position 0 and its limit the datagram to send from {@link #relayedFrom()} to
     * {@link #relayedTo()}, or nothing when it was dropped (and counted). {@code data} is not consumed.
     */
    boolean relay(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data,
            ByteBuffer out);

    /** The local address to send the last relayed datagram from. */
    TransportAddress relayedFrom();

    /** Where to send the last relayed datagram. */
    TransportAddress relayedTo();
}
