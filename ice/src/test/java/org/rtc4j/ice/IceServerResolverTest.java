package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.sim.NatConfig;

/**
 * Server names are resolved before gathering, off the agent's thread; a name that does not resolve is the
 * W3C's icecandidateerror 701, never a stall, and the agent itself never looks a name up.
 */
class IceServerResolverTest {

    static final InetAddress SERVER_IP = IceSimulation.SERVER.ip();

    @Test
    void resolvesEachNameOnceOnTheExecutorAndLeavesLiteralsAlone() throws Exception {
        Map<String, Integer> asked = new ConcurrentHashMap<>();
        Map<String, String> threads = new ConcurrentHashMap<>();
        ExecutorService dns = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-dns"));
        try {
            IceServerResolver resolver = new IceServerResolver(dns, Duration.ofSeconds(5), host -> {
                asked.merge(host, 1, Integer::sum);
                threads.put(host, Thread.currentThread().getName());
                if (host.equals("stun.example.org")) {
                    return SERVER_IP;
                }
                throw new UnknownHostException(host);
            });
            List<IceServer> servers = List.of(
                    IceServer.stun("stun:stun.example.org:3478", "stun:192.0.2.1", "stun:nowhere.invalid"),
                    IceServer.of("alice", "secret", "turn:STUN.example.org?transport=tcp"));
            List<IceServer> resolved = resolver.resolve(servers).get(5, TimeUnit.SECONDS);

            List<IceServerUrl> first = resolved.get(0).urls();
            assertThat(first.get(0).serverAddress()).isEqualTo(TransportAddress.udp(SERVER_IP, 3478));
            assertThat(first.get(1).resolved()).isNull();
            assertThat(first.get(1).serverAddress()).isEqualTo(TransportAddress.udp(InetAddress.getByAddress(
                    new byte[] {(byte) 192, 0, 2, 1}), 3478));
            assertThat(first.get(2).needsResolution()).isTrue();
            assertThat(first.get(2).serverAddress()).isNull();
            IceServer turn = resolved.get(1);
            assertThat(turn.urls().get(0).resolved()).isEqualTo(SERVER_IP);
            assertThat(turn.urls().get(0).toString()).isEqualTo("turn:STUN.example.org:3478?transport=tcp");
            assertThat(turn.username()).isEqualTo("alice");
            assertThat(asked).containsOnlyKeys("stun.example.org", "nowhere.invalid")
                    .containsEntry("stun.example.org", 1);
            assertThat(threads.values()).containsOnly("test-dns");
        } finally {
            dns.shutdownNow();
        }
    }

    @Test
    void aLookupThatHangsEndsAtTheTimeoutAndTheAgentReportsError701() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ExecutorService dns = Executors.newSingleThreadExecutor();
        try {
            IceServerResolver resolver = new IceServerResolver(dns, Duration.ofMillis(50), host -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return SERVER_IP;
            });
            IceConfig config = resolver.resolve(IceConfig.builder().servers(IceServer.stun("stun:slow.example"))
                    .build()).get(5, TimeUnit.SECONDS);
            assertThat(config.servers().get(0).urls().get(0).needsResolution()).isTrue();

            IceSimulation sim = new IceSimulation(1, IceAgentSimulationTest.WAN);
            IceSimulation.Peer p = sim.peer("A", null, "203.0.113.10", null,
                    IceConfig.builder().servers(config.servers()));
            p.agent.gather(sim.net.now());
            IceEvent.CandidateError error = null;
            for (IceEvent e; (e = p.agent.pollEvent()) != null; ) {
                if (e instanceof IceEvent.CandidateError c) {
                    error = c;
                }
            }
            assertThat(error).isNotNull();
            assertThat(error.errorCode()).isEqualTo(701);
            assertThat(error.url()).isEqualTo("stun:slow.example:3478");
            assertThat(p.agent.gatheringState()).isEqualTo(IceGatheringState.COMPLETE);
        } finally {
            never.countDown();
            dns.shutdownNow();
        }
    }

    @Test
    @SuppressWarnings("removal")
    void aResolvedNameGathersAServerReflexiveCandidateAndTheAgentNeverResolves() throws Exception {
        IceServerResolver resolver = new IceServerResolver(Runnable::run, Duration.ofSeconds(1),
                host -> host.equals("stun.test") ? SERVER_IP : null);
        List<IceServer> names = List.of(IceServer.stun("stun:stun.test:3478"));
        AtomicBoolean agentResolved = new AtomicBoolean();

        IceSimulation sim = new IceSimulation(2, IceAgentSimulationTest.WAN);
        IceSimulation.Peer resolved = sim.peer("resolved", NatConfig.fullCone(), "203.0.113.1", "10.0.0.2",
                IceConfig.builder().servers(resolver.resolve(names).get(1, TimeUnit.SECONDS)));
        IceSimulation.Peer unresolved = sim.peer("unresolved", NatConfig.fullCone(), "203.0.113.2", "10.0.0.3",
                IceConfig.builder().servers(names).resolver(host -> {
                    agentResolved.set(true);
                    return SERVER_IP;
                }));
        sim.start(resolved, unresolved);
        sim.net.runFor(Duration.ofSeconds(2));

        assertThat(resolved.agent.localCandidates()).anyMatch(c -> c.type() == CandidateType.SERVER_REFLEXIVE);
        assertThat(resolved.engine.events()).noneMatch(e -> e instanceof IceEvent.CandidateError);
        assertThat(unresolved.agent.localCandidates()).noneMatch(c -> c.type() == CandidateType.SERVER_REFLEXIVE);
        assertThat(unresolved.engine.events()).anyMatch(e -> e instanceof IceEvent.CandidateError c
                && c.errorCode() == 701 && c.url().equals("stun:stun.test:3478"));
        assertThat(unresolved.agent.gatheringState()).isEqualTo(IceGatheringState.COMPLETE);
        assertThat(agentResolved).isFalse();
    }
}
