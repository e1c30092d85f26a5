package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What signaling may carry to an agent: 200 junk candidates ahead of the real one fill the remote-candidate
 * cap, but a peer whose checks carry valid credentials is still learned (the cap evicts a candidate that
 * never proved anything), and addresses nobody can be checked at are dropped before pairing.
 */
class IceAgentJunkCandidatesTest {

    private static IceCandidate junk(int i) {
        return IceCandidate.parse("candidate:junk" + i + " 1 udp 2130706431 198.51.100." + (1 + i % 250) + " "
                + (10_000 + i) + " typ host");
    }

    @Test
    void twoHundredJunkCandidatesDoNotKeepTheRealPeerOut() {
        IceSimulation sim = new IceSimulation(5, IceAgentSimulationTest.WAN);
        IceSimulation.Peer a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        IceSimulation.Peer b = sim.peer("B", null, "203.0.113.20", null, IceConfig.builder().role(IceRole.CONTROLLED));
        for (int i = 0; i < 200; i++) {
            b.agent.addRemoteCandidate(junk(i)); // B's cap is full before A's real candidates are signaled
        }
        assertThat(b.agent.remoteCandidates()).hasSize(200);
        sim.wire(a, b);
        sim.start(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(30))).isTrue();
        assertThat(b.agent.remoteCandidates()).hasSizeLessThanOrEqualTo(200);
        assertThat(b.agent.selectedPair()).isNotNull();
        assertThat(b.agent.selectedPair().remote().address()).isEqualTo("203.0.113.10");
    }

    @Test
    void addressesNobodyCanBeCheckedAtAreDroppedBeforePairing() {
        IceSimulation sim = new IceSimulation(5, IceAgentSimulationTest.WAN);
        IceSimulation.Peer a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        for (String address : new String[] {"224.0.0.251", "239.1.2.3", "255.255.255.255", "0.0.0.0", "ff02::fb",
            "::"}) {
            a.agent.addRemoteCandidate(IceCandidate.parse("candidate:x 1 udp 2130706431 " + address + " 5000 typ host"));
        }
        assertThat(a.agent.remoteCandidates()).isEmpty();
        assertThat(a.agent.stats().refusedRemoteCandidates()).isEqualTo(6);
    }
}
