package org.rtc4j.testkit.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rtc4j.core.TransportAddress;

/**
 * An endpoint that is just code: a handler called for every datagram that arrives, and {@link #send} to
 * send from its address at the current simulated time. Without a handler it records what it receives.
 */
public final class SimEndpoint implements SimNode {

    private final SimNetwork net;
    private final SimHost host;
    private final TransportAddress address;
    private final DatagramHandler handler;
    private final List<Datagram> received = new ArrayList<>();

    SimEndpoint(SimNetwork net, SimHost host, TransportAddress address, DatagramHandler handler) {
        this.net = net;
        this.host = host;
        this.address = address;
        this.handler = handler;
    }

    @Override
    public String name() {
        return address.toString();
    }

    public TransportAddress address() {
        return address;
    }

    public SimHost host() {
        return host;
    }

    /** Sends {@code data} (copied) from this endpoint's address to {@code destination}, now. */
    public void send(TransportAddress destination, byte[] data) {
        host.send(address, destination, data.clone());
    }

    public void send(TransportAddress destination, ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        host.send(address, destination, copy);
    }

    /** What arrived, when there is no handler. */
    public List<Datagram> received() {
        return Collections.unmodifiableList(received);
    }

    /** Returns what arrived so far and forgets it. */
    public List<Datagram> takeReceived() {
        List<Datagram> copy = List.copyOf(received);
        received.clear();
        return copy;
    }

    void deliver(Packet p) {
        net.trace(TraceKind.DELIVER, name(), p);
        Datagram d = new Datagram(net.now(), p.source(), p.destination(), p.data().clone());
        if (handler == null) {
            received.add(d);
        } else {
            net.userCodeRan();
            handler.receive(this, d);
        }
    }

    @Override
    public String toString() {
        return "SimEndpoint[" + address + "]";
    }
}
