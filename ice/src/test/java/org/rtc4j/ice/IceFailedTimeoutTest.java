package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.sim.LinkConfig;

/**
 * Without the peer's end-of-candidates, an agent whose pairs have all failed moves from {@code CHECKING} to
 * {@code FAILED} after {@link IceConfig#failedTimeout()}, as browsers do (virtual clock).
 */
class IceFailedTimeoutTest {

    static final LinkConfig WAN = LinkConfig.builder().delayMillis(20).build();
    static final LinkConfig CUT = LinkConfig.builder().delayMillis(20).loss(1.0).build();

    /** Two public peers that exchange candidates but never the end of them, on a link that drops everything. */
    static IceSimulation.Peer[] unreachable(IceSimulation sim, IceConfig.Builder a) {
        IceSimulation.Peer pa = sim.peer("A", null, "203.0.113.10", null, a.role(IceRole.CONTROLLING));
        // B's host has a second address, bound by its driver but not yet given to its agent.
        IceSimulation.Peer pb = sim.peer("B", sim.net.host("203.0.113.20"),
                java.util.List.of(IceSimulation.udp("203.0.113.20:5000"), IceSimulation.udp("203.0.113.20:6000")),
                IceConfig.builder().role(IceRole.CONTROLLED));
        pa.endOfCandidates = false;
        pb.endOfCandidates = false;
        sim.net.link(pa.host, pb.host, CUT);
        sim.wire(pa, pb);
        sim.start(pa, pb);
        return new IceSimulation.Peer[] {pa, pb};
    }

    static boolean allPairsFailed(IceAgent agent) {
        return !agent.describePairs().isEmpty() && agent.describePairs().stream().allMatch(p -> p.contains(" FAILED"));
    }

    static Instant failedAt(IceSimulation.Peer p) {
        return p.engine.timedEvents().stream()
                .filter(t -> t.value() instanceof IceEvent.ConnectionStateChanged c
                        && c.state() == IceConnectionState.FAILED)
                .map(t -> t.time()).findFirst().orElseThrow();
    }

    @Test
    void failsAfterTheConfiguredTimeOnceEveryPairFailed() {
        IceSimulation sim = new IceSimulation(21, WAN);
        IceSimulation.Peer[] p = unreachable(sim, IceConfig.builder().failedTimeout(Duration.ofSeconds(12)));
        assertThat(sim.net.runUntil(() -> allPairsFailed(p[0].agent), Duration.ofSeconds(30))).as(sim.describe())
                .isTrue();
        Instant exhausted = sim.net.now();
        assertThat(p[0].agent.connectionState()).isEqualTo(IceConnectionState.CHECKING);
        sim.net.runFor(Duration.ofSeconds(11));
        assertThat(p[0].agent.connectionState()).isEqualTo(IceConnectionState.CHECKING);
        assertThat(sim.net.runUntil(() -> p[0].agent.connectionState() == IceConnectionState.FAILED,
                Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.between(exhausted, failedAt(p[0]))).isEqualTo(Duration.ofSeconds(12));
        // The peer used the default: 30 s after its own pairs failed.
        assertThat(sim.net.runUntil(() -> p[1].agent.connectionState() == IceConnectionState.FAILED,
                Duration.ofSeconds(40))).isTrue();
        assertThat(Duration.between(exhausted, failedAt(p[1]))).isBetween(Duration.ofSeconds(29),
                Duration.ofSeconds(31));
    }

    @Test
    void aNewCandidateBringsItBackToCheckingAndItConnects() {
        IceSimulation sim = new IceSimulation(22, WAN);
        IceSimulation.Peer[] p = unreachable(sim, IceConfig.builder().failedTimeout(Duration.ofSeconds(5)));
        assertThat(sim.net.runUntil(() -> p[0].agent.connectionState() == IceConnectionState.FAILED,
                Duration.ofSeconds(60))).isTrue();
        // The path comes back and B trickles a new candidate (a new interface came up).
        sim.net.link(p[0].host, p[1].host, WAN);
        p[1].agent.addLocalAddress(IceSimulation.udp("203.0.113.20:6000"));
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        assertThat(p[0].count(IceConnectionState.CHECKING)).isEqualTo(2);
        IceAgentSimulationTest.exchangeData(sim, p[0], p[1]);
    }

    @Test
    void staysCheckingWhileAPairIsStillInProgress() {
        IceSimulation sim = new IceSimulation(23, WAN);
        IceSimulation.Peer[] p = unreachable(sim, IceConfig.builder().failedTimeout(Duration.ofMillis(100))
                .checkRto(Duration.ofSeconds(2), Duration.ofSeconds(8)));
        // Checks retransmit for 2+4+8*4 = 38 s before the pair fails: no FAILED before then.
        sim.net.runFor(Duration.ofSeconds(30));
        assertThat(p[0].agent.connectionState()).isEqualTo(IceConnectionState.CHECKING);
        assertThat(p[0].count(IceConnectionState.FAILED)).isZero();
    }
}
