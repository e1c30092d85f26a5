package org.rtc4j.testkit.pump;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimEngine;
import org.rtc4j.testkit.sim.SimHost;
import org.rtc4j.testkit.sim.SimLink;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * The pump on a {@link SimNetwork}: each engine is a {@link SimEngine} of the network, which serves its
 * timeouts and carries its datagrams over the links (ideal unless configured), all on the virtual clock.
 */
public final class SimPump extends EnginePump {

    private final SimNetwork net;
    private final Map<Pumped<?>, SimEngine<?>> nodes = new HashMap<>();

    SimPump(SimNetwork net) {
        this.net = net;
    }

    public SimNetwork network() {
        return net;
    }

    @Override
    public <E> Pumped<E> add(Engine<E> engine, TransportAddress address) {
        Pumped<E> p = new Pumped<>(this, engine, address);
        nodes.put(p, net.add(p.adapter, address));
        return p;
    }

    /** Binds an engine to {@code address} on {@code host}: one of the network's hosts, behind a NAT for one. */
    public <E> Pumped<E> add(Engine<E> engine, SimHost host, TransportAddress address) {
        Pumped<E> p = new Pumped<>(this, engine, address);
        nodes.put(p, host.add(p.adapter, address));
        return p;
    }

    @Override
    TransportAddress pairAddress(int side) {
        return TransportAddress.parse(Transport.UDP, side == 0 ? "10.0.0.1:5000" : "10.0.0.2:5000");
    }

    /** The link between the two sides of a pair (to configure it). */
    public SimLink link(Pair<?> pair) {
        return net.link(node(pair.a()), node(pair.b()));
    }

    /** The network's node of an engine of this pump (to link it, to a NAT or a host). */
    public SimEngine<?> node(Pumped<?> p) {
        SimEngine<?> node = nodes.get(p);
        if (node == null) {
            throw new IllegalArgumentException("not an engine of this pump: " + p.address());
        }
        return node;
    }

    /** Links two engines with the same config both ways (or reconfigures their link). */
    public SimLink link(Pumped<?> a, Pumped<?> b, LinkConfig both) {
        return net.link(node(a), node(b), both);
    }

    /** Links two engines with one config per direction (or reconfigures their link). */
    public SimLink link(Pumped<?> a, Pumped<?> b, LinkConfig aToB, LinkConfig bToA) {
        return net.link(node(a), node(b), aToB, bToA);
    }

    @Override
    public Instant now() {
        return net.now();
    }

    /** The simulated time since the network started. */
    public Duration elapsed() {
        return net.elapsed();
    }

    @Override
    public boolean progress() {
        return net.step();
    }

    /** As {@link SimNetwork#runUntil}: when {@code done} does not hold, the clock ends at the limit. */
    @Override
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        return net.runUntil(done, limit);
    }

    @Override
    public void runFor(Duration duration) {
        net.runFor(duration);
    }
}
