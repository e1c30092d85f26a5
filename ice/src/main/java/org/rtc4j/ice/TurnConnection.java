package org.rtc4j.ice;

import org.rtc4j.core.TransportAddress;

/**
 * A TCP (or TLS) connection to a TURN server as the agent's transmits name it (RFC 8656 section 3.1): their
 * source is the local IP with a port that numbers the connection (0, 1, 2...), not a bound port, and each
 * allocation has a connection of its own. The driver keeps one connection per name and server, and hands what
 * it reads to the agent with the name as destination.
 *
 * @param local the local IP and the connection's number, as in the transmits' source
 * @param server the server's address
 */
public record TurnConnection(TransportAddress local, TransportAddress server) {
}
