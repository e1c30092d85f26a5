package org.rtc4j.turn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.IceServer;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.NatConfig;
import org.rtc4j.testkit.sim.SimEngine;
import org.rtc4j.testkit.sim.SimHost;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * Two ICE agents (module ice) on a simulated network (virtual clock), each on a public host or behind a NAT,
 * with this module's STUN/TURN server on the public network and signaling with a delay. Simulated only: the
 * addresses are outside the ranges the relay refuses as peers (documentation, private).
 */
final class IceRelaySimulation {

    static final TransportAddress SERVER = TransportAddress.parse(Transport.UDP, "11.0.0.1:3478");
    static final Duration SIGNALING_DELAY = Duration.ofMillis(50);
    static final LinkConfig WAN = LinkConfig.builder().delayMillis(20).jitter(Duration.ofMillis(2)).build();

    final SimNetwork net;
    final long seed;
    final SimTurnServer turn;
    final List<Peer> peers = new ArrayList<>();

    /** One side: its agent, what it received. */
    static final class Peer {
        final String name;
        final IceAgent agent;
        final SimEngine<IceEvent> engine;
        Peer other;
        Instant connectedAt;
        final List<String> received = new ArrayList<>();

        Peer(String name, IceAgent agent, SimEngine<IceEvent> engine) {
            this.name = name;
            this.agent = agent;
            this.engine = engine;
        }

        boolean connected() {
            IceConnectionState s = agent.connectionState();
            return s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED;
        }

        long count(IceConnectionState state) {
            return engine.events().stream()
                    .filter(e -> e instanceof IceEvent.ConnectionStateChanged c && c.state() == state).count();
        }

        @Override
        public String toString() {
            return name + " " + agent + " selected " + agent.selectedPair();
        }
    }

    IceRelaySimulation(long seed, LinkConfig link) {
        this(seed, link, SimTurnServer.config(SERVER.ip()));
    }

    IceRelaySimulation(long seed, LinkConfig link, TurnServerConfig.Builder server) {
        this.seed = seed;
        this.net = new SimNetwork(seed);
        net.defaultLink(link);
        this.turn = new SimTurnServer(net, SERVER, server.build());
    }

    static IceServer[] servers() {
        return new IceServer[] {IceServer.stun("stun:11.0.0.1:3478"),
            IceServer.of("alice", "secret", "turn:11.0.0.1:3478")};
    }

    static IceConfig.Builder config(IceRole role) {
        return IceConfig.builder().role(role).servers(servers());
    }

    /** A peer on public IP {@code publicIp} (nat null), or behind a NAT there with inside address {@code privateIp}. */
    Peer peer(String name, NatConfig natConfig, String publicIp, String privateIp, IceConfig.Builder config) {
        IceAgent agent = new IceAgent(config.random(new Random(seed * 31 + peers.size())).build());
        SimHost host = natConfig == null ? net.host(publicIp) : net.nat(publicIp, natConfig).host(privateIp);
        TransportAddress socket = host.udp(5000);
        // and the driver's second socket of the address, which ICE names port 0 (a restart's new allocation)
        SimEngine<IceEvent> engine = host.add(agent, socket, host.udp(0));
        agent.addLocalAddress(socket);
        Peer p = new Peer(name, agent, engine);
        peers.add(p);
        return p;
    }

    /** Two peers, A controlling and B controlled, each behind a NAT or public (null), wired and gathering. */
    Peer[] pair(NatConfig a, NatConfig b) {
        Peer pa = peer("A", a, a == null ? "12.0.0.10" : "12.0.0.1", "10.0.0.2", config(IceRole.CONTROLLING));
        Peer pb = peer("B", b, b == null ? "12.0.0.20" : "12.0.0.2", "192.168.1.2", config(IceRole.CONTROLLED));
        wire(pa, pb);
        pa.agent.gather(net.now());
        pb.agent.gather(net.now());
        return new Peer[] {pa, pb};
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
                    case IceEvent.LocalCandidate c ->
                            net.schedule(SIGNALING_DELAY, () -> p.other.agent.addRemoteCandidate(c.candidate()));
                    case IceEvent.GatheringStateChanged g when g.state() == IceGatheringState.COMPLETE ->
                            net.schedule(SIGNALING_DELAY, () -> p.other.agent.endOfRemoteCandidates());
                    case IceEvent.Data d -> p.received.add(StandardCharsets.UTF_8.decode(d.data()).toString());
                    case IceEvent.ConnectionStateChanged s when p.connectedAt == null
                            && (s.state() == IceConnectionState.CONNECTED || s.state() == IceConnectionState.COMPLETED) ->
                            p.connectedAt = net.now();
                    default -> {
                    }
                }
            });
        }
    }

    boolean runUntilConnected(Duration limit) {
        return net.runUntil(() -> peers.stream().allMatch(Peer::connected), limit);
    }

    void send(Peer from, String text) {
        from.agent.send(net.now(), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A ping each way, then a second of simulated time: both arrive. */
    void exchangeData(Peer a, Peer b) {
        send(a, "ping");
        send(b, "pong");
        net.runFor(Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.assertThat(b.received).as(describe()).contains("ping");
        org.assertj.core.api.Assertions.assertThat(a.received).as(describe()).contains("pong");
    }

    String describe() {
        StringBuilder s = new StringBuilder("server ").append(turn.engine.stats()).append('\n');
        for (Peer p : peers) {
            s.append(p).append('\n').append("  stats ").append(p.agent.stats()).append('\n');
            p.agent.describePairs().forEach(x -> s.append("  ").append(x).append('\n'));
            s.append("  events ")
                    .append(p.engine.events().stream().filter(e -> !(e instanceof IceEvent.Data)).toList()).append('\n');
        }
        return s.toString();
    }
}
