package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceCredentials;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.IceServer;
import org.rtc4j.ice.IceUdpRunner;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.NatConfig;
import org.rtc4j.testkit.sim.SimEngine;
import org.rtc4j.testkit.sim.SimHost;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * ICE agents (module ice) relayed by this module's TURN server: on the simulated network, two agents behind
 * symmetric NATs (no direct path) connect through the TURN engine; on loopback sockets, two relay-only
 * agents connect through the engine run by {@link EngineRunner}, over UDP and over TCP.
 */
class IceOverTurnServerTest {

    /** Simulated only (nothing leaves the JVM): the relay refuses documentation ranges as peers. */
    static final TransportAddress SERVER = TransportAddress.parse(Transport.UDP, "11.0.0.1:3478");

    static TurnServerConfig.Builder config(InetAddress relay) {
        return TurnServerConfig.builder().realm("test").user("alice", "secret").relayAddress(relay)
                .ports(50000, 50999);
    }

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.0, 0.2})
    void agentsBehindSymmetricNatsConnectThroughTheTurnEngine(double loss) {
        SimNetwork net = new SimNetwork(17);
        net.defaultLink(LinkConfig.builder().delayMillis(20).loss(loss).build());
        SimHost serverHost = net.host("11.0.0.1");
        serverHost.add(new TurnServer(config(SERVER.ip()).build(), new RelaySockets() {
            @Override
            public boolean open(TransportAddress relay) {
                return true; // the simulated host hands every port of its IP to the engine
            }

            @Override
            public void close(TransportAddress relay) {
            }
        }), SERVER.withPort(0));
        IceServer[] servers = {IceServer.stun("stun:11.0.0.1:3478"),
            IceServer.of("alice", "secret", "turn:11.0.0.1:3478")};
        List<SimEngine<IceEvent>> engines = new ArrayList<>();
        List<IceAgent> agents = new ArrayList<>();
        List<List<String>> received = List.of(new ArrayList<>(), new ArrayList<>());
        String[][] addresses = {{"12.0.0.1", "10.0.0.2"}, {"12.0.0.2", "192.168.1.2"}};
        for (int i = 0; i < 2; i++) {
            IceAgent agent = new IceAgent(IceConfig.builder().role(i == 0 ? IceRole.CONTROLLING : IceRole.CONTROLLED)
                    .servers(servers).random(new Random(i)).build());
            SimHost host = net.nat(addresses[i][0], NatConfig.symmetric()).host(addresses[i][1]);
            engines.add(host.add(agent, host.udp(5000)));
            agent.addLocalAddress(host.udp(5000));
            List<String> mine = received.get(i);
            agent.onData((pair, data) -> mine.add(StandardCharsets.UTF_8.decode(data).toString()));
            agents.add(agent);
        }
        for (int i = 0; i < 2; i++) {
            IceAgent self = agents.get(i);
            IceAgent other = agents.get(1 - i);
            self.setRemoteCredentials(other.localCredentials().ufrag(), other.localCredentials().password());
            engines.get(i).onEvent(e -> {
                if (e instanceof IceEvent.LocalCandidate c) {
                    net.schedule(Duration.ofMillis(50), () -> other.addRemoteCandidate(c.candidate()));
                } else if (e instanceof IceEvent.GatheringStateChanged g && g.state() == IceGatheringState.COMPLETE) {
                    net.schedule(Duration.ofMillis(50), other::endOfRemoteCandidates);
                }
            });
        }
        agents.forEach(a -> a.gather(net.now()));
        assertThat(net.runUntil(() -> agents.stream().allMatch(a -> a.selectedPair() != null
                && a.connectionState() != IceConnectionState.CHECKING), Duration.ofSeconds(30))).isTrue();
        System.out.println("through the TURN engine, loss " + loss + ": connected at " + net.elapsed().toMillis() + " ms");
        for (IceAgent a : agents) {
            assertThat(a.selectedPair().isRelayed()).as(a.selectedPair().toString()).isTrue();
        }
        for (int i = 0; i < 10 && !(received.get(1).contains("ping") && received.get(0).contains("pong")); i++) {
            agents.get(0).send(net.now(), ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
            agents.get(1).send(net.now(), ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8)));
            net.runFor(Duration.ofMillis(500));
        }
        assertThat(received.get(1)).contains("ping");
        assertThat(received.get(0)).contains("pong");
        // Refreshes, permissions and channels keep the relayed call up for a quarter of an hour.
        net.runFor(Duration.ofMinutes(15));
        for (IceAgent a : agents) {
            assertThat(a.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void relayOnlyAgentsConnectThroughTheTurnServerOnLoopback(String transport) throws Exception {
        LoopbackNamespace.require();
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (EngineRunner server = EngineRunner.start(sockets -> new TurnServer(
                config(lo).allowLoopbackPeers(true).build(), sockets),
                List.of(TransportAddress.udp(lo, 0), TransportAddress.tcp(lo, 0)), org.rtc4j.core.Clock.system())) {
            int port = server.localAddresses().get(transport.equals("udp") ? 0 : 1).port();
            IceServer turn = IceServer.of("alice", "secret", "turn:127.0.0.1:" + port + "?transport=" + transport);
            IceAgent[] agents = new IceAgent[2];
            IceUdpRunner[] runners = new IceUdpRunner[2];
            List<CompletableFuture<Long>> connected = List.of(new CompletableFuture<>(), new CompletableFuture<>());
            List<List<String>> received = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
            long t0 = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                agents[i] = new IceAgent(IceConfig.builder().role(i == 0 ? IceRole.CONTROLLING : IceRole.CONTROLLED)
                        .relayOnly(true).servers(turn).build());
            }
            try {
                for (int i = 0; i < 2; i++) {
                    int me = i;
                    runners[i] = IceUdpRunner.start(agents[i], IceUdpRunner.Settings.defaults()
                            .addresses(List.of(lo))
                            .data((pair, d) -> received.get(me).add(StandardCharsets.UTF_8.decode(d).toString()))
                            .events(e -> {
                                IceUdpRunner other = runners[1 - me];
                                if (e instanceof IceEvent.LocalCandidate c) {
                                    other.execute(a -> a.addRemoteCandidate(c.candidate()));
                                } else if (e instanceof IceEvent.GatheringStateChanged g
                                        && g.state() == IceGatheringState.COMPLETE) {
                                    other.execute(IceAgent::endOfRemoteCandidates);
                                } else if (e instanceof IceEvent.ConnectionStateChanged s
                                        && s.state() == IceConnectionState.CONNECTED) {
                                    connected.get(me).complete(System.nanoTime() - t0);
                                }
                            }));
                }
                for (int i = 0; i < 2; i++) {
                    IceCredentials other = agents[1 - i].localCredentials();
                    IceUdpRunner r = runners[i];
                    r.execute(a -> a.setRemoteCredentials(other.ufrag(), other.password()));
                    r.execute(a -> a.gather(r.now()));
                }
                long a = connected.get(0).get(15, TimeUnit.SECONDS);
                long b = connected.get(1).get(15, TimeUnit.SECONDS);
                System.out.printf("relay-only through ./rtc4j's TURN server over %s: connected in %.1f ms%n", transport,
                        Math.max(a, b) / 1e6);
                for (IceUdpRunner r : runners) {
                    assertThat(r.call(IceAgent::selectedPair).get(5, TimeUnit.SECONDS).local().type())
                            .isEqualTo(CandidateType.RELAYED);
                }
                for (int i = 0; i < 50 && !(received.get(1).contains("hello") && received.get(0).contains("hi")); i++) {
                    runners[0].send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
                    runners[1].send(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
                    Thread.sleep(20);
                }
                assertThat(received.get(1)).contains("hello");
                assertThat(received.get(0)).contains("hi");
            } finally {
                for (IceUdpRunner r : runners) {
                    if (r != null) {
                        r.close();
                    }
                }
            }
        }
    }

}
