package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.IceServer;
import org.rtc4j.testkit.sim.NatConfig;
import org.rtc4j.testkit.sim.SimHost;
import org.rtc4j.turn.IceRelaySimulation.Peer;

/**
 * ICE restart (module ice) with this module's TURN server on the simulated network: new relayed candidates for
 * the new session (RFC 8445 section 9), from a fresh allocation once the old one is released; the allocation
 * that carries the selected pair is refreshed and kept for the media until the new session has selected its
 * pair, and replaced by a new one (from the driver's second socket) that the new session uses.
 */
class IceRestartTurnTest {

    static void restart(IceRelaySimulation sim, Peer a, Peer b) {
        a.agent.restart(sim.net.now());
        b.agent.restart(sim.net.now());
        a.agent.setRemoteCredentials(b.agent.localCredentials().ufrag(), b.agent.localCredentials().password());
        b.agent.setRemoteCredentials(a.agent.localCredentials().ufrag(), a.agent.localCredentials().password());
    }

    static List<IceCandidate> relayed(Peer p) {
        return p.agent.localCandidates().stream().filter(c -> c.type() == CandidateType.RELAYED).toList();
    }

    static long selections(Peer p) {
        return p.engine.events().stream().filter(e -> e instanceof IceEvent.SelectedPairChanged).count();
    }

    @Test
    void restartReallocatesRelaysThatCarryNoMedia() {
        IceRelaySimulation sim = new IceRelaySimulation(41, IceRelaySimulation.WAN);
        Peer[] p = sim.pair(null, NatConfig.fullCone());
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        sim.net.runFor(Duration.ofSeconds(1));
        assertThat(p[0].agent.selectedPair().isRelayed()).isFalse();
        List<IceCandidate> before = relayed(p[0]);
        assertThat(before).hasSize(1);
        assertThat(sim.turn.engine.stats().allocationsCreated()).isEqualTo(2);

        restart(sim, p[0], p[1]);
        sim.send(p[0], "during");
        assertThat(sim.net.runUntil(() -> selections(p[0]) == 2 && selections(p[1]) == 2
                && p[0].agent.gatheringState() == IceGatheringState.COMPLETE && relayed(p[0]).size() == 1
                && relayed(p[1]).size() == 1, Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        // New allocations, new relayed addresses; the old ones were released first (same 5-tuple).
        assertThat(sim.turn.engine.stats().allocationsCreated()).isEqualTo(4);
        assertThat(sim.turn.engine.stats().allocations()).isEqualTo(2);
        assertThat(relayed(p[0]).get(0).transportAddress()).isNotEqualTo(before.get(0).transportAddress());
        long announced = p[0].engine.events().stream()
                .filter(e -> e instanceof IceEvent.LocalCandidate c && c.candidate().type() == CandidateType.RELAYED)
                .count();
        assertThat(announced).isEqualTo(2);
        assertThat(p[1].received).contains("during");
        sim.net.runFor(Duration.ofMinutes(1));
        assertThat(p[0].count(IceConnectionState.DISCONNECTED) + p[1].count(IceConnectionState.DISCONNECTED)).isZero();
        assertThat(p[0].engine.hasEvent(e -> e instanceof IceEvent.CandidateError)).isFalse();
        sim.exchangeData(p[0], p[1]);
    }

    @Test
    void theRelayCarryingMediaIsKeptThroughTheRestartThenReplaced() {
        IceRelaySimulation sim = new IceRelaySimulation(42, IceRelaySimulation.WAN);
        Peer[] p = sim.pair(NatConfig.symmetric(), NatConfig.symmetric());
        assertThat(sim.runUntilConnected(Duration.ofSeconds(20))).as(sim.describe()).isTrue();
        sim.net.runFor(Duration.ofSeconds(1));
        CandidatePair old = p[0].agent.selectedPair();
        assertThat(old.isRelayed()).isTrue();
        int refreshes = sim.turn.refreshes();

        restart(sim, p[0], p[1]);
        sim.send(p[0], "during");
        assertThat(sim.net.runUntil(() -> selections(p[0]) == 2 && selections(p[1]) == 2, Duration.ofSeconds(20)))
                .as(sim.describe()).isTrue();
        assertThat(sim.turn.refreshes() - refreshes).isGreaterThanOrEqualTo(2); // both in-use allocations
        assertThat(p[0].agent.selectedPair().isRelayed()).isTrue();
        // the pair goes through the peer's new allocation: a relayed address it did not have before
        assertThat(old.remote().type()).isEqualTo(CandidateType.RELAYED);
        assertThat(p[0].agent.selectedPair().remote().transportAddress()).as("the peer's new relayed address")
                .isNotEqualTo(old.remote().transportAddress());
        // the old allocations were released once the new session selected: two left, four made in all
        assertThat(sim.net.runUntil(() -> sim.turn.engine.stats().allocations() == 2, Duration.ofSeconds(5)))
                .as(sim.describe()).isTrue();
        assertThat(sim.turn.engine.stats().allocationsCreated()).isEqualTo(4);
        assertThat(p[1].received).contains("during");
        sim.net.runFor(Duration.ofMinutes(1));
        assertThat(p[0].count(IceConnectionState.DISCONNECTED) + p[1].count(IceConnectionState.DISCONNECTED)).isZero();
        sim.exchangeData(p[0], p[1]);
    }

    static SimHost host(IceRelaySimulation sim, String ip) {
        return sim.net.hosts().stream().filter(h -> h.ips().stream().anyMatch(a -> a.getHostAddress().equals(ip)))
                .findFirst().orElseThrow();
    }

    /**
     * A restart whose release the server never answers: the new allocation, which must wait for it (the same
     * 5-tuple), holds gathering at most 5 s, then is an icecandidateerror (701); the call goes on.
     */
    @Test
    void anUnansweredReleaseHoldsTheNewGatheringAtMostFiveSeconds() {
        IceRelaySimulation sim = new IceRelaySimulation(43, IceRelaySimulation.WAN);
        // the TURN server only (a STUN server out of reach holds gathering for its own transaction's 31.5 s)
        IceServer turn = IceServer.of("alice", "secret", "turn:" + IceRelaySimulation.SERVER.ip().getHostAddress()
                + ":" + IceRelaySimulation.SERVER.port());
        Peer[] p = {sim.peer("A", null, "12.0.0.10", null, IceConfig.builder().role(IceRole.CONTROLLING)
                .servers(turn)), sim.peer("B", NatConfig.fullCone(), "12.0.0.2", "192.168.1.2",
                IceConfig.builder().role(IceRole.CONTROLLED).servers(turn))};
        sim.wire(p[0], p[1]);
        p[0].agent.gather(sim.net.now());
        p[1].agent.gather(sim.net.now());
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        sim.net.runFor(Duration.ofSeconds(1));
        assertThat(p[0].agent.selectedPair().isRelayed()).isFalse();
        assertThat(relayed(p[0])).hasSize(1);
        sim.net.link(host(sim, "12.0.0.10"), host(sim, IceRelaySimulation.SERVER.ip().getHostAddress())).down(true);
        Instant restarted = sim.net.now();
        restart(sim, p[0], p[1]);
        assertThat(sim.net.runUntil(() -> p[0].agent.gatheringState() == IceGatheringState.COMPLETE,
                Duration.ofSeconds(40))).as(sim.describe()).isTrue();
        assertThat(Duration.between(restarted, sim.net.now())).isLessThanOrEqualTo(Duration.ofSeconds(5));
        List<IceEvent.CandidateError> errors = p[0].engine.events().stream()
                .filter(e -> e instanceof IceEvent.CandidateError).map(e -> (IceEvent.CandidateError) e).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).errorCode()).isEqualTo(701);
        assertThat(errors.get(0).errorText()).contains("not released");
        assertThat(relayed(p[0])).isEmpty();
        assertThat(sim.net.runUntil(() -> selections(p[0]) == 2 && selections(p[1]) == 2, Duration.ofSeconds(10)))
                .as(sim.describe()).isTrue();
        sim.exchangeData(p[0], p[1]);
    }

    /**
     * A second restart while the first one's Allocate is answered: the allocation the server made is released
     * as soon as its answer arrives, so the 5-tuple is free for the next one (no 437).
     */
    @Test
    void aRestartDuringTheAllocationReleasesWhatTheServerAllocates() {
        IceRelaySimulation sim = new IceRelaySimulation(44, IceRelaySimulation.WAN);
        Peer[] p = sim.pair(NatConfig.symmetric(), NatConfig.symmetric());
        assertThat(sim.runUntilConnected(Duration.ofSeconds(20))).as(sim.describe()).isTrue();
        sim.net.runFor(Duration.ofSeconds(1));
        CandidatePair old = p[0].agent.selectedPair();
        assertThat(old.isRelayed()).isTrue();
        long created = sim.turn.engine.stats().allocationsCreated();
        restart(sim, p[0], p[1]);
        // the server made both new allocations; its answers are on their way
        assertThat(sim.net.runUntil(() -> sim.turn.engine.stats().allocationsCreated() == created + 2,
                Duration.ofSeconds(5))).as(sim.describe()).isTrue();
        restart(sim, p[0], p[1]);
        assertThat(sim.net.runUntil(() -> selections(p[0]) == 2 && selections(p[1]) == 2
                && relayed(p[0]).size() == 1 && relayed(p[1]).size() == 1
                && sim.turn.engine.stats().allocations() == 2, Duration.ofSeconds(20))).as(sim.describe()).isTrue();
        assertThat(p[0].agent.selectedPair().remote().transportAddress()).isNotEqualTo(old.remote().transportAddress());
        sim.net.runFor(Duration.ofSeconds(5));
        assertThat(p[0].engine.hasEvent(e -> e instanceof IceEvent.CandidateError)).as(sim.describe()).isFalse();
        assertThat(p[1].engine.hasEvent(e -> e instanceof IceEvent.CandidateError)).as(sim.describe()).isFalse();
        sim.exchangeData(p[0], p[1]);
    }
}
