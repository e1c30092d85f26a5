package org.rtc4j.ice;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.rtc4j.core.TransportAddress;

/**
 * Where application data goes when it leaves straight from one of the driver's sockets, without a TURN relay:
 * the socket's address ({@code source}, the local candidate's base) and the peer's. The agent keeps one per
 * pair, so that a driver writing each datagram into its own buffer ({@link IceAgent#sendDirect}) allocates
 * nothing per datagram; {@code to} is the destination as the socket API takes it.
 */
public record DirectPath(TransportAddress source, TransportAddress destination, InetSocketAddress to) {

    public DirectPath {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(to, "to");
    }

    public DirectPath(TransportAddress source, TransportAddress destination) {
        this(source, destination, destination.socketAddress());
    }
}
