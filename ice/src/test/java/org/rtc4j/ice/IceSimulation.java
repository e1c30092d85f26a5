package org.rtc4j.ice;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.Nat;
import org.rtc4j.testkit.sim.NatConfig;
import org.rtc4j.testkit.sim.SimEngine;
import org.rtc4j.testkit.sim.SimHost;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * Two ICE agents on a simulated network (virtual clock), each on a public host or behind a NAT, with a
 * STUN server on the public network and signaling with a delay. The relayed cases are in module turn, on its
 * TURN server.
 */
final class IceSimulation {

    static final TransportAddress SERVER = udp("198.51.100.1:3478");
    static final Duration SIGNALING_DELAY = Duration.ofMillis(50);

    final SimNetwork net;
    final long seed;
    final List<Peer> peers = new ArrayList<>();

    /** One side: its agent, where it lives, what it received. */
    static final class Peer {
        final String name;
        final IceAgent agent;
        final SimEngine<IceEvent> engine;
        final SimHost host;
        final Nat nat;
        TransportAddress socket;
        Peer other;
        Instant connectedAt;
        boolean signaling = true;
        /** Whether the end of candidates is signaled when gathering completes (browsers may never say it). */
        boolean endOfCandidates = true;
        final List<String> received = new ArrayList<>();

        Peer(String name, IceAgent agent, SimEngine<IceEvent> engine, SimHost host, Nat nat, TransportAddress socket) {
            this.name = name;
            this.agent = agent;
            this.engine = engine;
            this.host = host;
            this.nat = nat;
            this.socket = socket;
        }

        boolean connected() {
            IceConnectionState s = agent.connectionState();
            return s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED;
        }

        long count(IceConnectionState state) {
            return engine.events().stream().filter(e -> e instanceof IceEvent.ConnectionStateChanged c && c.state() == state)
                    .count();
        }

        @Override
        public String toString() {
            return name + " " + agent + " selected " + agent.selectedPair();
        }
    }

    IceSimulation(long seed, LinkConfig link) {
        this.seed = seed;
        this.net = new SimNetwork(seed);
        net.defaultLink(link);
        net.host("198.51.100.1").add(new StunBindingResponder(SERVER), SERVER);
    }

    static TransportAddress udp(String s) {
        return TransportAddress.parse(Transport.UDP, s);
    }

    static IceServer[] servers() {
        return new IceServer[] {IceServer.stun("stun:198.51.100.1:3478")};
    }

    /**
     * A peer on a public IP (nat null) or behind a NAT at {@code publicIp} with inside address
     * {@code privateIp}.
     */
    Peer peer(String name, NatConfig natConfig, String publicIp, String privateIp, IceConfig.Builder config) {
        IceAgent agent = new IceAgent(config.random(new Random(seed * 31 + peers.size())).build());
        SimHost host;
        Nat nat = null;
        if (natConfig == null) {
            host = net.host(publicIp);
        } else {
            nat = net.nat(publicIp, natConfig);
            host = nat.host(privateIp);
        }
        TransportAddress socket = host.udp(5000);
        SimEngine<IceEvent> engine = host.add(agent, socket);
        agent.addLocalAddress(socket);
        Peer p = new Peer(name, agent, engine, host, nat, socket);
        peers.add(p);
        return p;
    }

    /** A peer on a given host, bound to several addresses; the agent is told of the first only. */
    Peer peer(String name, SimHost host, List<TransportAddress> bound, IceConfig.Builder config) {
        IceAgent agent = new IceAgent(config.random(new Random(seed * 31 + peers.size())).build());
        SimEngine<IceEvent> engine = host.add(agent, bound.toArray(TransportAddress[]::new));
        agent.addLocalAddress(bound.get(0));
        Peer p = new Peer(name, agent, engine, host, null, bound.get(0));
        peers.add(p);
        return p;
    }

    /** Exchanges credentials, trickles candidates both ways with a delay, records connection times. */
    void wire(Peer a, Peer b) {
        a.other = b;
        b.other = a;
        for (Peer p : List.of(a, b)) {
            p.agent.setRemoteCredentials(p.other.agent.localCredentials().ufrag(),
                    p.other.agent.localCredentials().password());
            p.engine.onEvent(e -> {
                switch (e) {
                    case IceEvent.LocalCandidate c -> {
                        if (p.signaling) {
                            net.schedule(SIGNALING_DELAY, () -> p.other.agent.addRemoteCandidate(c.candidate()));
                        }
                    }
                    case IceEvent.GatheringStateChanged g -> {
                        if (g.state() == IceGatheringState.COMPLETE && p.signaling && p.endOfCandidates) {
                            net.schedule(SIGNALING_DELAY, () -> p.other.agent.endOfRemoteCandidates());
                        }
                    }
                    case IceEvent.Data d -> p.received.add(StandardCharsets.UTF_8.decode(d.data()).toString());
                    case IceEvent.ConnectionStateChanged s -> {
                        if ((s.state() == IceConnectionState.CONNECTED || s.state() == IceConnectionState.COMPLETED)
                                && p.connectedAt == null) {
                            p.connectedAt = net.now();
                        }
                    }
                    default -> {
                    }
                }
            });
        }
    }

    void start(Peer... ps) {
        for (Peer p : ps) {
            p.agent.gather(net.now());
        }
    }

    boolean runUntilConnected(Duration limit) {
        return net.runUntil(() -> peers.stream().allMatch(Peer::connected), limit);
    }

    /** Sends a text from one side and runs a second of simulated time. */
    void send(Peer from, String text) {
        from.agent.send(net.now(), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    void forEach(Consumer<Peer> action) {
        peers.forEach(action);
    }

    String describe() {
        StringBuilder s = new StringBuilder();
        for (Peer p : peers) {
            s.append(p).append('\n').append("  stats ").append(p.agent.stats()).append('\n');
            p.agent.describePairs().forEach(x -> s.append("  ").append(x).append('\n'));
            s.append("  events ").append(p.engine.events().stream().filter(e -> !(e instanceof IceEvent.Data)).toList())
                    .append('\n');
        }
        return s.toString();
    }
}
