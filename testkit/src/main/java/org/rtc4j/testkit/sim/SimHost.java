package org.rtc4j.testkit.sim;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rtc4j.core.Engine;
import org.rtc4j.core.TransportAddress;

/**
 * A machine with one or more IP addresses in one realm (the public network or a NAT's inside), on which
 * engines and endpoints are bound to transport addresses. Port 0 binds every port of that IP and transport
 * (for an engine that picks its own ports). A datagram to an address nothing is bound to is dropped and
 * counted ({@link SimNetwork#droppedNoListener()}).
 */
public final class SimHost extends Node implements SimNode {

    final Realm realm;
    private final List<InetAddress> ips;
    private final Map<TransportAddress, Binding> bindings = new LinkedHashMap<>();

    SimHost(SimNetwork net, Realm realm, List<InetAddress> ips) {
        super(net);
        if (ips.isEmpty()) {
            throw new IllegalArgumentException("a host needs at least one IP address");
        }
        this.realm = realm;
        this.ips = List.copyOf(ips);
        for (InetAddress ip : ips) {
            realm.claim(ip, this);
        }
    }

    @Override
    public String name() {
        return ips.get(0).getHostAddress();
    }

    @Override
    String nodeName() {
        return name();
    }

    public List<InetAddress> ips() {
        return ips;
    }

    /** The UDP address of {@code port} on the host's first IP. */
    public TransportAddress udp(int port) {
        return TransportAddress.udp(ips.get(0), port);
    }

    /** Binds an engine to addresses of this host (port 0: every port of that IP). */
    public <E> SimEngine<E> add(Engine<E> engine, TransportAddress... addresses) {
        Objects.requireNonNull(engine, "engine");
        if (addresses.length == 0) {
            throw new IllegalArgumentException("an engine needs at least one address");
        }
        SimEngine<E> handle = new SimEngine<>(net, this, engine, List.of(addresses));
        bind(handle::deliver, addresses);
        net.registerEngine(handle);
        return handle;
    }

    /** Binds an engine to UDP {@code port} on the host's first IP. */
    public <E> SimEngine<E> add(Engine<E> engine, int port) {
        return add(engine, udp(port));
    }

    /** A callback endpoint on {@code address} of this host. */
    public SimEndpoint endpoint(TransportAddress address, DatagramHandler handler) {
        SimEndpoint endpoint = new SimEndpoint(net, this, address, handler);
        bind(endpoint::deliver, address);
        return endpoint;
    }

    /** An endpoint that records what it receives ({@link SimEndpoint#received()}). */
    public SimEndpoint endpoint(TransportAddress address) {
        return endpoint(address, null);
    }

    /** A recording endpoint on UDP {@code port} of the host's first IP. */
    public SimEndpoint endpoint(int port) {
        return endpoint(udp(port), null);
    }

    public List<TransportAddress> boundAddresses() {
        return Collections.unmodifiableList(new ArrayList<>(bindings.keySet()));
    }

    boolean owns(InetAddress ip) {
        return ips.contains(ip);
    }

    private void bind(Binding binding, TransportAddress... addresses) {
        for (TransportAddress address : addresses) {
            if (!owns(address.ip())) {
                throw new IllegalArgumentException(address + " is not an address of host " + name());
            }
            if (bindings.containsKey(address)) {
                throw new IllegalArgumentException(address + " is already bound on host " + name());
            }
        }
        for (TransportAddress address : addresses) {
            bindings.put(address, binding);
        }
    }

    @Override
    void receive(SimLink via, Packet p) {
        TransportAddress to = p.destination();
        if (!owns(to.ip())) {
            net.dropUnroutable(nodeName(), p);
            return;
        }
        Binding binding = bindings.get(to);
        if (binding == null) {
            binding = bindings.get(new TransportAddress(to.transport(), to.ip(), 0));
        }
        if (binding == null) {
            net.dropNoListener(nodeName(), p);
            return;
        }
        binding.deliver(p);
    }

    /** Sends a datagram from this host, as its engines and endpoints do. */
    void send(TransportAddress source, TransportAddress destination, byte[] data) {
        Packet p = Packet.of(source, destination, data);
        if (owns(destination.ip())) {
            // Loopback inside the host: no link, delivered now (after what is already due now).
            net.schedule(net.clock().nanos(), () -> receive(null, p));
            return;
        }
        net.route(this, realm, p);
    }

    @Override
    public String toString() {
        return "SimHost[" + ips.stream().map(InetAddress::getHostAddress).toList() + " in " + realm + "]";
    }
}
