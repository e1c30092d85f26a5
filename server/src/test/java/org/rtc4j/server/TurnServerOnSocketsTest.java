package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;

/** Two relay-only ICE agents connect through the TURN engine run by {@link EngineRunner}, over UDP and TCP. */
class TurnServerOnSocketsTest {

    static TurnServerConfig.Builder config(InetAddress relay) {
        return TurnServerConfig.builder().realm("test").user("alice", "secret").relayAddress(relay)
                .ports(50000, 50999);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void relayOnlyAgentsConnectThroughTheTurnServerOnLoopback(String transport) throws Exception {
        LoopbackNamespace.require();
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (EngineRunner server = EngineRunner.start(new TurnServer(config(lo).allowLoopbackPeers(true).build()),
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
