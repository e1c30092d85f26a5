package org.rtc4j.turn;

import org.rtc4j.core.TransportAddress;

/**
 * What the TURN server asks of its driver: relay sockets to open and close. Datagrams that arrive on a relay
 * socket go to {@link TurnServer#handleInput} with the relay address as destination; the server's transmits
 * from a relay address leave through that socket.
 */
public sealed interface TurnEvent {

    /**
     * Bind a UDP socket at exactly this address, then tell the server whether it worked with
     * {@link TurnServer#relayOpened}; the Allocate that asked for it is answered then.
     */
    record OpenRelay(TransportAddress relay) implements TurnEvent {
    }

    /** Close the relay socket at this address (nothing to do when there is none). */
    record CloseRelay(TransportAddress relay) implements TurnEvent {
    }
}
