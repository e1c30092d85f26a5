package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.testkit.LoopbackNamespace;

/** Two agents on real loopback sockets through the NIO runner: directly, and relay-only through coturn. */
class IceUdpRunnerTest {

    /** One agent and its runner, with what it saw. */
    static final class Side {
        final IceAgent agent;
        IceUdpRunner runner;
        Side other;
        final CompletableFuture<Long> connectedNanos = new CompletableFuture<>();
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<IceEvent> events = new CopyOnWriteArrayList<>();

        Side(IceConfig config) {
            this.agent = new IceAgent(config);
        }

        void start(long t0) throws Exception {
            IceCredentials mine = agent.localCredentials();
            runner = IceUdpRunner.start(agent, IceUdpRunner.Settings.defaults()
                    .addresses(List.of(InetAddress.getLoopbackAddress()))
                    .bufferSizes(4 << 20, 4 << 20)
                    .data((pair, data) -> received.add(StandardCharsets.UTF_8.decode(data).toString()))
                    .events(e -> {
                        events.add(e);
                        switch (e) {
                            case IceEvent.LocalCandidate c -> other.runner.execute(a -> a.addRemoteCandidate(c.candidate()));
                            case IceEvent.GatheringStateChanged g when g.state() == IceGatheringState.COMPLETE ->
                                    other.runner.execute(IceAgent::endOfRemoteCandidates);
                            case IceEvent.ConnectionStateChanged s when s.state() == IceConnectionState.CONNECTED ->
                                    connectedNanos.complete(System.nanoTime() - t0);
                            default -> {
                            }
                        }
                    }));
            assertThat(mine).isNotNull();
        }
    }

    static Side[] connect(IceConfig ca, IceConfig cb) throws Exception {
        Side a = new Side(ca);
        Side b = new Side(cb);
        a.other = b;
        b.other = a;
        long t0 = System.nanoTime();
        a.start(t0);
        b.start(t0);
        IceCredentials ka = a.agent.localCredentials();
        IceCredentials kb = b.agent.localCredentials();
        a.runner.execute(x -> x.setRemoteCredentials(kb.ufrag(), kb.password()));
        b.runner.execute(x -> x.setRemoteCredentials(ka.ufrag(), ka.password()));
        a.runner.execute(x -> x.gather(a.runner.now()));
        b.runner.execute(x -> x.gather(b.runner.now()));
        return new Side[] {a, b};
    }

    static long await(Side s, int seconds) throws Exception {
        try {
            return s.connectedNanos.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            List<String> pairs = s.runner.call(IceAgent::describePairs).get(2, TimeUnit.SECONDS);
            IceStats stats = s.runner.call(IceAgent::stats).get(2, TimeUnit.SECONDS);
            throw new AssertionError("not connected: events " + s.events + "\npairs " + pairs + "\nstats " + stats
                    + "\nother's events " + s.other.events);
        }
    }

    static void exchange(Side a, Side b) throws Exception {
        for (int i = 0; i < 50 && !(b.received.contains("hello") && a.received.contains("hi")); i++) {
            a.runner.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
            b.runner.send(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
            Thread.sleep(20);
        }
        assertThat(b.received).contains("hello");
        assertThat(a.received).contains("hi");
    }

    @Test
    void connectsOnLoopbackWithLargeSocketBuffers() throws Exception {
        LoopbackNamespace.require();
        Side[] s = connect(IceConfig.builder().role(IceRole.CONTROLLING).build(),
                IceConfig.builder().role(IceRole.CONTROLLED).build());
        try {
            long a = await(s[0], 10);
            long b = await(s[1], 10);
            System.out.printf("loopback host pair: connected in %.1f ms%n", Math.max(a, b) / 1e6);
            // 4 MiB asked; Linux reports twice what it grants, capped by net.core.rmem_max.
            assertThat(s[0].runner.receiveBufferBytes()).isGreaterThan(212_992);
            exchange(s[0], s[1]);
            CandidatePair pair = s[0].runner.call(IceAgent::selectedPair).get(5, TimeUnit.SECONDS);
            assertThat(pair.local().type()).isEqualTo(CandidateType.HOST);
        } finally {
            s[0].runner.close();
            s[1].runner.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void connectsRelayOnlyThroughCoturn(String transport) throws Exception {
        try (Coturn coturn = Coturn.start()) {
            IceServer turn = IceServer.of("alice", "secret",
                    "turn:127.0.0.1:" + coturn.port + "?transport=" + transport);
            IceConfig.Builder base = IceConfig.builder().relayOnly(true).servers(turn);
            Side[] s = connect(base.role(IceRole.CONTROLLING).build(), base.role(IceRole.CONTROLLED).build());
            try {
                long a = await(s[0], 15);
                long b = await(s[1], 15);
                String figure = String.format("relay-only through coturn over %s: connected in %.1f ms", transport,
                        Math.max(a, b) / 1e6);
                System.out.println(figure);
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "ice-coturn-" + transport + ".txt"),
                        figure + "\n");
                for (Side side : s) {
                    CandidatePair pair = side.runner.call(IceAgent::selectedPair).get(5, TimeUnit.SECONDS);
                    assertThat(pair.local().type()).isEqualTo(CandidateType.RELAYED);
                    assertThat(pair.remote().type()).isIn(CandidateType.RELAYED, CandidateType.PEER_REFLEXIVE);
                    assertThat(side.events).noneMatch(e -> e instanceof IceEvent.LocalCandidate c
                            && c.candidate().type() != CandidateType.RELAYED);
                }
                exchange(s[0], s[1]);
                IceStats stats = s[0].runner.call(IceAgent::stats).get(5, TimeUnit.SECONDS);
                assertThat(stats.unauthenticated()).isZero();
                assertThat(stats.malformed()).isZero();
            } finally {
                s[0].runner.close();
                s[1].runner.close();
            }
        }
    }

    @Test
    void hostAddressesFollowTheInterfaceFilter() throws Exception {
        LoopbackNamespace.require();
        // The namespace has loopback only: nothing without loopback, 127.0.0.1 (and ::1 with IPv6) with it.
        assertThat(IceUdpRunner.hostAddresses(nif -> true, false, true)).isEmpty();
        assertThat(IceUdpRunner.hostAddresses(nif -> true, true, false)).containsExactly(InetAddress.getLoopbackAddress());
        assertThat(IceUdpRunner.hostAddresses(nif -> true, true, true)).contains(InetAddress.getLoopbackAddress());
        assertThat(IceUdpRunner.hostAddresses(nif -> !nif.getName().equals("lo"), true, true)).isEmpty();
    }

    @Test
    void turnsServersAreSkippedWithACandidateError() throws Exception {
        LoopbackNamespace.require();
        Side[] s = connect(IceConfig.builder().role(IceRole.CONTROLLING)
                        .servers(IceServer.of("u", "p", "turns:127.0.0.1:5349")).build(),
                IceConfig.builder().role(IceRole.CONTROLLED).build());
        try {
            await(s[0], 10);
            assertThat(s[0].events).anyMatch(e -> e instanceof IceEvent.CandidateError c && c.errorCode() == 701
                    && c.url().startsWith("turns:"));
        } finally {
            s[0].runner.close();
            s[1].runner.close();
        }
    }

}
