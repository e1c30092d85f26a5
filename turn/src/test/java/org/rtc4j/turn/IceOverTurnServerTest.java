package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
 * ICE agents (module ice) relayed by this module's TURN server: on the simulated network, two agents behind
 * symmetric NATs (no direct path) connect through the TURN engine (the same over real sockets:
 * {@code TurnServerOnSocketsTest} in module server, which runs the engine).
 */
class IceOverTurnServerTest {

    /** Simulated only (nothing leaves the JVM): the relay refuses documentation ranges as peers. */
    static final TransportAddress SERVER = TransportAddress.parse(Transport.UDP, "11.0.0.1:3478");

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.0, 0.2})
    void agentsBehindSymmetricNatsConnectThroughTheTurnEngine(double loss) {
        SimNetwork net = new SimNetwork(17);
        net.defaultLink(LinkConfig.builder().delayMillis(20).loss(loss).build());
        new SimTurnServer(net, SERVER, SimTurnServer.config(SERVER.ip()).build());
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
            agents.add(agent);
        }
        for (int i = 0; i < 2; i++) {
            IceAgent self = agents.get(i);
            IceAgent other = agents.get(1 - i);
            List<String> mine = received.get(i);
            self.setRemoteCredentials(other.localCredentials().ufrag(), other.localCredentials().password());
            engines.get(i).onEvent(e -> {
                if (e instanceof IceEvent.Data d) {
                    mine.add(StandardCharsets.UTF_8.decode(d.data()).toString());
                } else if (e instanceof IceEvent.LocalCandidate c) {
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
}
