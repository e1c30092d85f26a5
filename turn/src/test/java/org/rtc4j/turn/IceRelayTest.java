package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.IceServer;
import org.rtc4j.testkit.sim.NatConfig;

/**
 * ICE agents (module ice) that need this module's TURN server: the NAT pairs without a direct path, a relayed
 * run's determinism, relayed candidates in the candidate pool, and the errors of unreachable or refusing servers.
 * The pairs with a direct path are in ice's {@code IceAgentSimulationTest}.
 */
class IceRelayTest {

    /** Without hairpin tricks, only these pairs lack a direct path (RFC 4787 filtering defeats hole punching). */
    static Stream<Arguments> relayPairs() {
        return Stream.of(Arguments.of(NatConfig.symmetric(), NatConfig.symmetric()),
                Arguments.of(NatConfig.symmetric(), NatConfig.portRestrictedCone()),
                Arguments.of(NatConfig.portRestrictedCone(), NatConfig.symmetric()));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("relayPairs")
    void connectsThroughTheRelayWhereNoDirectPathExists(NatConfig a, NatConfig b) {
        IceRelaySimulation sim = new IceRelaySimulation(42, IceRelaySimulation.WAN);
        IceRelaySimulation.Peer[] p = sim.pair(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(20))).as(sim.describe()).isTrue();
        assertThat(p[0].agent.selectedPair().isRelayed()).as(sim.describe()).isTrue();
        sim.exchangeData(p[0], p[1]);
        // Consent keeps the pair (and the NAT mappings and the allocation) alive for minutes.
        sim.net.runFor(Duration.ofMinutes(3));
        assertThat(p[0].agent.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        assertThat(p[1].agent.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        assertThat(p[0].count(IceConnectionState.DISCONNECTED) + p[1].count(IceConnectionState.DISCONNECTED)).isZero();
        sim.exchangeData(p[0], p[1]);
    }

    /**
     * Two runs with the same seed send the same datagrams, byte for byte (the trace holds each one's CRC-32), at
     * the same times between the same addresses, through one server that picks relay ports from its whole range
     * and writes Data indications with ids of its own: everything random in the run comes from the seed. A run
     * with another seed differs, so the comparison can fail.
     */
    @Test
    void relayedRunsAreDeterministic() {
        List<String> first = relayedTrace(77);
        assertThat(first).isNotEmpty().anyMatch(line -> line.contains("11.0.0.1:50") && line.contains("crc="));
        assertThat(relayedTrace(77)).isEqualTo(first);
        assertThat(relayedTrace(78)).isNotEqualTo(first);
    }

    /** Two relay-only peers behind symmetric NATs on 10 % loss: the run's trace, one line per step. */
    private static List<String> relayedTrace(long seed) {
        IceRelaySimulation sim = new IceRelaySimulation(seed, IceRelaySimulation.WAN.toBuilder().loss(0.1).build());
        IceRelaySimulation.Peer a = sim.peer("A", NatConfig.symmetric(), "12.0.0.1", "10.0.0.2",
                IceRelaySimulation.config(IceRole.CONTROLLING).relayOnly(true));
        IceRelaySimulation.Peer b = sim.peer("B", NatConfig.symmetric(), "12.0.0.2", "192.168.1.2",
                IceRelaySimulation.config(IceRole.CONTROLLED).relayOnly(true));
        sim.wire(a, b);
        List<String> trace = new ArrayList<>();
        sim.net.onTrace(t -> trace.add(t.toString()));
        a.agent.gather(sim.net.now());
        b.agent.gather(sim.net.now());
        assertThat(sim.runUntilConnected(Duration.ofSeconds(30))).as(sim.describe()).isTrue();
        assertThat(a.agent.selectedPair().isRelayed()).isTrue();
        assertThat(b.agent.selectedPair().isRelayed()).isTrue();
        sim.exchangeData(a, b);
        sim.net.runFor(Duration.ofSeconds(10));
        trace.add("A connected at " + a.connectedAt + ", B at " + b.connectedAt);
        return trace;
    }

    @Test
    void candidatePoolHoldsCandidatesUntilGathering() {
        IceRelaySimulation s = new IceRelaySimulation(4, IceRelaySimulation.WAN);
        IceRelaySimulation.Peer p = s.peer("P", NatConfig.portRestrictedCone(), "12.0.0.1", "10.0.0.2",
                IceConfig.builder().servers(IceRelaySimulation.servers()));
        p.agent.prepare(s.net.now());
        s.net.runFor(Duration.ofSeconds(2));
        assertThat(p.engine.events()).isEmpty();
        assertThat(p.agent.localCandidates()).extracting(IceCandidate::type)
                .contains(CandidateType.HOST, CandidateType.SERVER_REFLEXIVE, CandidateType.RELAYED);
        p.agent.gather(s.net.now());
        s.net.runFor(Duration.ofMillis(1));
        assertThat(p.engine.events()).filteredOn(e -> e instanceof IceEvent.LocalCandidate).hasSize(3);
        assertThat(p.engine.events()).last().isEqualTo(new IceEvent.GatheringStateChanged(IceGatheringState.COMPLETE));
    }

    @Test
    void unreachableStunServerAndRefusedTurnCredentialsGiveCandidateErrorsAndGatheringCompletes() {
        IceRelaySimulation s = new IceRelaySimulation(4, IceRelaySimulation.WAN);
        IceRelaySimulation.Peer p = s.peer("P", null, "12.0.0.10", null,
                IceConfig.builder().servers(IceServer.stun("stun:11.0.0.99:3478"),
                        IceServer.of("alice", "wrong", "turn:11.0.0.1:3478")));
        p.agent.gather(s.net.now());
        s.net.runFor(Duration.ofSeconds(60));
        assertThat(p.agent.gatheringState()).isEqualTo(IceGatheringState.COMPLETE);
        assertThat(p.engine.events()).filteredOn(e -> e instanceof IceEvent.CandidateError)
                .extracting(e -> ((IceEvent.CandidateError) e).errorCode()).containsExactlyInAnyOrder(701, 401);
        assertThat(s.turn.engine.stats().allocationsCreated()).isZero();
    }
}
