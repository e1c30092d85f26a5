package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.testkit.sim.Datagram;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimEndpoint;

/**
 * Someone who has read the SDP knows both sides' ICE credentials: it can send checks that the controlled
 * agent (B) accepts, nominate its own address with USE-CANDIDATE and the highest priority, and answer B's
 * checks to it. It must not move B's selected pair (and so B's data) to itself while A, the real peer, is
 * alive (RFC 8445 7.3.1.5 and 8.1.1 leave the choice among nominated pairs to the controlled agent).
 */
class IceNominationAttackTest {

    IceSimulation sim;
    IceSimulation.Peer a;
    IceSimulation.Peer b;
    SimEndpoint attacker;

    @BeforeEach
    void connect() {
        sim = new IceSimulation(18, IceAgentSimulationTest.WAN);
        a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        b = sim.peer("B", null, "203.0.113.20", null, IceConfig.builder().role(IceRole.CONTROLLED));
        sim.wire(a, b);
        sim.start(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(5))).isTrue();
        attacker = sim.net.endpoint(IceSimulation.udp("203.0.113.66:4444"));
    }

    /** For {@code time}: nominates itself to B every 50 ms and answers every check B sends it, as A would. */
    void attack(Duration time) {
        String username = b.agent.localCredentials().ufrag() + ":" + a.agent.localCredentials().ufrag();
        StunKey bKey = StunKey.shortTerm(b.agent.localCredentials().password());
        StunKey aKey = StunKey.shortTerm(a.agent.localCredentials().password());
        for (long t = 0; t < time.toMillis(); t += 50) {
            attacker.send(b.socket, StunMessage.request(StunMethod.BINDING).add(StunAttribute.username(username))
                    .add(StunAttribute.priority(0x7FFFFFFF)).add(StunAttribute.iceControlling(Long.MAX_VALUE))
                    .add(StunAttribute.useCandidate()).integrity(bKey).fingerprint().build().toBytes());
            sim.net.runFor(Duration.ofMillis(50));
            for (Datagram d : attacker.takeReceived()) {
                StunMessage m = IceAgentTrustTest.parse(d.data());
                if (m.messageClass() == StunClass.REQUEST) {
                    attacker.send(d.source(), m.successResponse()
                            .add(StunAttribute.xorMappedAddress(d.source().ip(), d.source().port()))
                            .integrity(aKey).fingerprint().build().toBytes());
                }
            }
        }
    }

    @Test
    void nominationAloneDoesNotMoveTheSelectedPairWhileThePeerIsAlive() {
        attack(Duration.ofSeconds(10));
        assertThat(b.agent.remoteCandidates()).as("the attacker was learned and answered")
                .anyMatch(c -> c.address().equals("203.0.113.66"));
        assertThat(b.agent.selectedPair().remote().address()).isEqualTo("203.0.113.10");
        assertThat(b.agent.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        IceAgentSimulationTest.exchangeData(sim, a, b);
        assertThat(attacker.takeReceived()).noneMatch(d -> !isStun(d.data()));
    }

    @Test
    void aNominatedPairTakesOverWhenTheSelectedOneDies() {
        // The same nomination is honoured once A falls silent on the selected pair (B moved networks, say):
        // the controlled agent follows a nominated, validated pair rather than losing the call.
        sim.net.link(a.host, b.host, LinkConfig.builder().loss(1.0).build());
        attack(Duration.ofSeconds(10));
        assertThat(b.agent.selectedPair().remote().address()).isEqualTo("203.0.113.66");
    }

    static boolean isStun(byte[] d) {
        return d.length >= 20 && (d[0] & 0xC0) == 0 && java.nio.ByteBuffer.wrap(d).getInt(4)
                == StunMessage.MAGIC_COOKIE;
    }
}
