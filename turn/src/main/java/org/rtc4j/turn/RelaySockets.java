package org.rtc4j.turn;

import org.rtc4j.core.TransportAddress;

/**
 * The sockets a TURN engine relays through, opened and closed by its host on the engine's request: the
 * server's {@code EngineRunner} binds real UDP sockets, a simulation just records them. Called from the engine's
 * own thread, synchronously.
 */
public interface RelaySockets {

    /** Binds a UDP socket at exactly this address; false when the port is taken or the bind fails. */
    boolean open(TransportAddress relay);

    /** Closes the socket opened at this address (nothing happens when there is none). */
    void close(TransportAddress relay);
}
