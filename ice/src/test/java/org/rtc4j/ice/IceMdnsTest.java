package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code .local} candidates in the agent, with the test as the driver's resolver (virtual clock): the agent
 * asks for each name once; an answer makes the candidate checkable; no answer leaves the peer to
 * peer-reflexive discovery, never an error.
 */
class IceMdnsTest {

    static final IceSimulation.Peer[] hiddenA(IceSimulation sim) {
        IceSimulation.Peer a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        IceSimulation.Peer b = sim.peer("B", null, "203.0.113.20", null, IceConfig.builder().role(IceRole.CONTROLLED));
        sim.wire(a, b);
        // A hides its address as a browser does, and learns nothing of B: only B's checks can connect them.
        a.signaling = false;
        b.signaling = false;
        sim.start(a, b);
        return new IceSimulation.Peer[] {a, b};
    }

    /** What Chromium signals for its host candidate when it hides it (captured form; the UUID is random). */
    static final String CHROMIUM_MDNS = "candidate:2393089663 1 udp 2113937151 "
            + "3a7c4f2e-6b1d-4c8e-9f0a-1b2c3d4e5f60.local 5000 typ host generation 0 ufrag EsAw network-id 1"
            + " network-cost 10";

    @Test
    void aResolvedNameIsCheckedAsTheHostCandidateItHides() throws Exception {
        IceSimulation sim = new IceSimulation(31, IceAgentSimulationTest.WAN);
        IceSimulation.Peer[] p = hiddenA(sim);
        p[1].agent.addRemoteCandidate(CHROMIUM_MDNS);
        String name = p[1].agent.pollMdnsQuery();
        assertThat(name).isEqualTo("3a7c4f2e-6b1d-4c8e-9f0a-1b2c3d4e5f60.local");
        assertThat(p[1].agent.pollMdnsQuery()).isNull();
        // Nothing to check until the name resolves: the run stays unconnected.
        sim.net.runFor(Duration.ofSeconds(2));
        assertThat(p[1].agent.describePairs()).isEmpty();
        p[1].agent.mdnsResolved(sim.net.now(), name.toUpperCase(), InetAddress.getByName("203.0.113.10"));
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        CandidatePair pair = p[1].agent.selectedPair();
        assertThat(pair.remote().type()).isEqualTo(CandidateType.HOST);
        assertThat(pair.remote().transportAddress()).isEqualTo(IceSimulation.udp("203.0.113.10:5000"));
        assertThat(pair.remote().extension("ufrag")).isEqualTo("EsAw");
        assertThat(p[1].agent.remoteCandidates()).hasSize(1);
        IceAgentSimulationTest.exchangeData(sim, p[0], p[1]);
    }

    @Test
    void withoutAnAnswerThePeerIsFoundAsPeerReflexive() {
        IceSimulation sim = new IceSimulation(32, IceAgentSimulationTest.WAN);
        IceSimulation.Peer[] p = hiddenA(sim);
        p[1].agent.addRemoteCandidate(CHROMIUM_MDNS);
        // A does know B this time (B's candidates reach it), so A's checks reach B.
        p[1].agent.localCandidates().forEach(c -> p[0].agent.addRemoteCandidate(c));
        String name = p[1].agent.pollMdnsQuery();
        p[1].agent.mdnsResolved(sim.net.now(), name, null); // the resolver timed out
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        assertThat(p[1].agent.selectedPair().remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
        assertThat(p[1].agent.remoteCandidates()).anyMatch(IceCandidate::isMdns);
        IceAgentSimulationTest.exchangeData(sim, p[0], p[1]);
    }

    @Test
    void aLateAnswerTurnsThePeerReflexiveCandidateIntoTheSignaledOne() throws Exception {
        IceSimulation sim = new IceSimulation(33, IceAgentSimulationTest.WAN);
        IceSimulation.Peer[] p = hiddenA(sim);
        p[1].agent.addRemoteCandidate(CHROMIUM_MDNS);
        p[1].agent.localCandidates().forEach(c -> p[0].agent.addRemoteCandidate(c));
        String name = p[1].agent.pollMdnsQuery();
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        assertThat(p[1].agent.selectedPair().remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
        p[1].agent.mdnsResolved(sim.net.now(), name, InetAddress.getByName("203.0.113.10"));
        // RFC 8445 section 7.3.1.3: the same address, now known as the signaled host candidate.
        assertThat(p[1].agent.remoteCandidates()).hasSize(1);
        assertThat(p[1].agent.selectedPair().remote().type()).isEqualTo(CandidateType.HOST);
        IceAgentSimulationTest.exchangeData(sim, p[0], p[1]);
    }

    @Test
    void eachNameIsAskedForOnceAndTcpOrIpCandidatesNever() {
        IceAgent agent = new IceAgent(IceConfig.builder().build());
        agent.setRemoteCredentials("abcd", "0123456789012345678901");
        agent.addRemoteCandidate(CHROMIUM_MDNS);
        agent.addRemoteCandidate(CHROMIUM_MDNS.replace(" 5000 ", " 5001 "));
        agent.addRemoteCandidate("candidate:3 1 tcp 1518280447 other-name.local 9 typ host tcptype active");
        agent.addRemoteCandidate("candidate:4 1 udp 2113937151 192.0.2.1 5000 typ host");
        assertThat(agent.pollMdnsQuery()).isEqualTo("3a7c4f2e-6b1d-4c8e-9f0a-1b2c3d4e5f60.local");
        assertThat(agent.pollMdnsQuery()).isNull();
        IceCandidate c = IceCandidate.parse("a=" + CHROMIUM_MDNS);
        assertThat(c.isMdns()).isTrue();
        assertThat(c.ip()).isNull();
        assertThat(c.toSdp()).isEqualTo(CHROMIUM_MDNS);
    }
}
