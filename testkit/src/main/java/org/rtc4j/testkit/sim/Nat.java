package org.rtc4j.testkit.sim;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * A NAT with the behaviours of RFC 4787, between its outside (the realm it was made in, where it has one
 * public IP) and its inside (a realm of its own: make hosts there with {@link #host}, or another NAT with
 * {@link #nat}). Inside hosts reach everything outside through it; it rewrites addresses, keeps mappings
 * alive while outbound traffic refreshes them, filters inbound datagrams and hairpins as configured. It
 * adds no delay: put delay on its links ({@link #insideLink}, {@link SimNetwork#link}).
 */
public final class Nat extends Node implements SimNode {

    final Realm outer;
    final Realm inner;
    private final InetAddress publicIp;
    private final NatConfig config;
    private final SplittableRandom random;
    private final Map<MappingKey, Mapping> byKey = new LinkedHashMap<>();
    private final Map<TransportAddress, Mapping> byExternal = new HashMap<>();
    /** Per internal address: the remotes it sent to (filtering key) and until when that permits replies. */
    private final Map<TransportAddress, Map<TransportAddress, Long>> permissions = new HashMap<>();
    private int nextPort;
    private long mappingsCreated;
    private long mappingsExpired;
    private long translatedOut;
    private long translatedIn;
    private long hairpinned;
    private long droppedNoMapping;
    private long droppedFiltered;
    private long droppedNoHairpinning;
    private long droppedNoPort;

    Nat(SimNetwork net, Realm outer, InetAddress publicIp, NatConfig config) {
        super(net);
        this.outer = outer;
        this.publicIp = publicIp;
        this.config = Objects.requireNonNull(config, "config");
        this.inner = new Realm("inside of NAT " + publicIp.getHostAddress(), this);
        this.random = net.newRandom();
        this.nextPort = config.portMin();
        outer.claim(publicIp, this);
    }

    @Override
    public String name() {
        return "nat:" + publicIp.getHostAddress();
    }

    @Override
    String nodeName() {
        return name();
    }

    public InetAddress publicIp() {
        return publicIp;
    }

    public NatConfig config() {
        return config;
    }

    /** A host inside this NAT (its addresses are private to the inside). */
    public SimHost host(String... ips) {
        return net.host(inner, ips);
    }

    /** A host inside with one address and an engine bound to it: the short way for one engine per host. */
    public <E> SimEngine<E> add(Engine<E> engine, TransportAddress address) {
        return net.host(inner, address.ip().getHostAddress()).add(engine, address);
    }

    /** A NAT inside this one (its public IP is an inside address here): for double NAT. */
    public Nat nat(String publicIpInside, NatConfig natConfig) {
        return net.nat(inner, publicIpInside, natConfig);
    }

    /** The config of links made on first use inside (between inside hosts, and from them to the NAT). */
    public Nat insideLink(LinkConfig linkConfig) {
        inner.defaultLink = Objects.requireNonNull(linkConfig, "config");
        return this;
    }

    public NatStats stats() {
        return new NatStats(mappingsCreated, mappingsExpired, translatedOut, translatedIn, hairpinned,
                droppedNoMapping, droppedFiltered, droppedNoHairpinning, droppedNoPort);
    }

    /** Forgets every mapping and permission, as a NAT that reboots does. */
    public void clearMappings() {
        mappingsExpired += byKey.size();
        byKey.clear();
        byExternal.clear();
        permissions.clear();
    }

    /** The mappings alive now. */
    public List<NatMapping> mappings() {
        long now = net.clock().nanos();
        List<NatMapping> live = new ArrayList<>();
        for (Mapping m : byKey.values()) {
            if (m.expires > now) {
                live.add(new NatMapping(m.key.internal(), m.external, m.key.remote(),
                        net.clock().toInstant(m.expires)));
            }
        }
        return live;
    }

    @Override
    void receive(SimLink via, Packet p) {
        if (via != null && via.realm == inner) {
            fromInside(p);
        } else {
            fromOutside(p);
        }
    }

    private void fromInside(Packet p) {
        TransportAddress destination = p.destination();
        if (destination.ip().equals(publicIp)) {
            hairpin(p);
            return;
        }
        Mapping m = outbound(p.source(), destination);
        if (m == null) {
            drop("no free port", p);
            droppedNoPort++;
            return;
        }
        translatedOut++;
        Packet out = p.readdressed(m.external, destination);
        net.trace(TraceKind.NAT_OUT, name(), out);
        net.route(this, outer, out);
    }

    private void fromOutside(Packet p) {
        if (!p.destination().ip().equals(publicIp)) {
            droppedNoMapping++;
            drop("not addressed to the NAT", p);
            return;
        }
        inbound(p, p.source(), false);
    }

    /** RFC 4787 section 6: hairpinned datagrams carry the sender's external address (REQ-9). */
    private void hairpin(Packet p) {
        if (!config.hairpinning()) {
            droppedNoHairpinning++;
            drop("no hairpinning", p);
            return;
        }
        Mapping m = outbound(p.source(), p.destination());
        if (m == null) {
            droppedNoPort++;
            drop("no free port", p);
            return;
        }
        hairpinned++;
        Packet turned = p.readdressed(m.external, p.destination());
        net.trace(TraceKind.NAT_HAIRPIN, name(), turned);
        inbound(turned, m.external, true);
    }

    private void inbound(Packet p, TransportAddress source, boolean hairpinned) {
        long now = net.clock().nanos();
        Mapping m = byExternal.get(p.destination());
        if (m != null && m.expires <= now) {
            expire(m);
            m = null;
        }
        if (m == null) {
            droppedNoMapping++;
            drop("no mapping", p);
            return;
        }
        if (!permitted(m.key.internal(), source, now)) {
            droppedFiltered++;
            drop("filtered", p);
            return;
        }
        if (config.inboundRefresh()) {
            long until = now + config.mappingLifetime().toNanos();
            m.expires = until;
            TransportAddress permission = key(config.filtering(), source);
            if (permission != null) {
                permissions.computeIfAbsent(m.key.internal(), k -> new HashMap<>()).put(permission, until);
            }
        }
        translatedIn++;
        Packet in = p.readdressed(source, m.key.internal());
        net.trace(TraceKind.NAT_IN, name(), in);
        net.route(this, inner, in);
    }

    /** Finds or makes the mapping for a datagram leaving {@code internal} for {@code remote}, and refreshes it. */
    private Mapping outbound(TransportAddress internal, TransportAddress remote) {
        long now = net.clock().nanos();
        long until = now + config.mappingLifetime().toNanos();
        MappingKey key = new MappingKey(internal, key(config.mapping(), remote));
        Mapping m = byKey.get(key);
        if (m != null && m.expires <= now) {
            expire(m);
            m = null;
        }
        if (m == null) {
            int port = allocatePort(internal.transport(), internal.port(), now);
            if (port < 0) {
                return null;
            }
            m = new Mapping(key, new TransportAddress(internal.transport(), publicIp, port));
            byKey.put(key, m);
            byExternal.put(m.external, m);
            mappingsCreated++;
        }
        m.expires = until;
        TransportAddress permission = key(config.filtering(), remote);
        if (permission != null) {
            permissions.computeIfAbsent(internal, k -> new HashMap<>()).put(permission, until);
        }
        return m;
    }

    /** RFC 4787 section 5: what an inbound source must have been sent to before. */
    private boolean permitted(TransportAddress internal, TransportAddress source, long now) {
        TransportAddress permission = key(config.filtering(), source);
        if (permission == null) {
            return true;
        }
        Map<TransportAddress, Long> granted = permissions.get(internal);
        Long until = granted == null ? null : granted.get(permission);
        return until != null && until > now;
    }

    private static TransportAddress key(NatBehavior behavior, TransportAddress remote) {
        return switch (behavior) {
            case ENDPOINT_INDEPENDENT -> null;
            case ADDRESS_DEPENDENT -> new TransportAddress(remote.transport(), remote.ip(), 0);
            case ADDRESS_AND_PORT_DEPENDENT -> remote;
        };
    }

    private int allocatePort(Transport transport, int internalPort, long now) {
        int min = config.portMin();
        int span = config.portMax() - min + 1;
        switch (config.portAllocation()) {
            case PRESERVING -> {
                if (internalPort > 0 && isFree(transport, internalPort, now)) {
                    return internalPort;
                }
            }
            case RANDOM -> {
                for (int attempt = 0; attempt < 64; attempt++) {
                    int port = min + random.nextInt(span);
                    if (isFree(transport, port, now)) {
                        return port;
                    }
                }
            }
            case SEQUENTIAL -> {
                // the scan below
            }
        }
        for (int i = 0; i < span; i++) {
            int port = min + Math.floorMod(nextPort - min + i, span);
            if (isFree(transport, port, now)) {
                nextPort = port + 1;
                return port;
            }
        }
        return -1;
    }

    private boolean isFree(Transport transport, int port, long now) {
        Mapping m = byExternal.get(new TransportAddress(transport, publicIp, port));
        if (m == null) {
            return true;
        }
        if (m.expires <= now) {
            expire(m);
            return true;
        }
        return false;
    }

    private void expire(Mapping m) {
        byKey.remove(m.key);
        byExternal.remove(m.external);
        mappingsExpired++;
    }

    private void drop(String reason, Packet p) {
        net.trace(TraceKind.NAT_DROP, name() + " (" + reason + ")", p);
    }

    @Override
    public String toString() {
        return "Nat[" + publicIp.getHostAddress() + " in " + outer + ", " + config + "]";
    }

    /** The internal address, plus the remote for address-dependent mapping (null when independent). */
    private record MappingKey(TransportAddress internal, TransportAddress remote) {
    }

    private static final class Mapping {
        final MappingKey key;
        final TransportAddress external;
        long expires;

        Mapping(MappingKey key, TransportAddress external) {
            this.key = key;
            this.external = external;
        }
    }
}
