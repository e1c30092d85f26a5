package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;
import org.rtc4j.testkit.sim.SimEndpoint;

/**
 * The trust boundary (DESIGN.md): an attacker who knows A's address and even B's ufrag cannot make A answer,
 * learn an address, or take data in; everything it sends is dropped and counted, and the call goes on.
 */
class IceAgentTrustTest {

    IceSimulation sim;
    IceSimulation.Peer a;
    IceSimulation.Peer b;
    SimEndpoint attacker;

    @BeforeEach
    void connect() {
        sim = new IceSimulation(3, IceAgentSimulationTest.WAN);
        a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        b = sim.peer("B", null, "203.0.113.20", null, IceConfig.builder().role(IceRole.CONTROLLED));
        sim.wire(a, b);
        sim.start(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(5))).isTrue();
        attacker = sim.net.endpoint(IceSimulation.udp("203.0.113.66:4444"));
    }

    void attack(byte[] datagram) {
        attacker.send(a.socket, datagram);
        sim.net.runFor(Duration.ofMillis(100));
    }

    StunMessage.Builder check(String username) {
        return StunMessage.request(StunMethod.BINDING).add(StunAttribute.username(username))
                .add(StunAttribute.priority(1_000_000)).add(StunAttribute.iceControlling(1));
    }

    @Test
    void everythingUnauthenticatedIsDroppedAndCounted() {
        IceStats before = a.agent.stats();
        String ufrag = a.agent.localCredentials().ufrag() + ":" + b.agent.localCredentials().ufrag();

        attack("not stun at all".getBytes());
        assertThat(a.agent.stats().unauthenticatedData()).isEqualTo(before.unauthenticatedData() + 1);

        byte[] broken = check(ufrag).fingerprint().build().toBytes();
        broken[21] ^= 0x7F; // an attribute length that runs past the end
        attack(broken);
        assertThat(a.agent.stats().malformed()).isEqualTo(before.malformed() + 1);

        attack(check(ufrag).fingerprint().build().toBytes()); // no MESSAGE-INTEGRITY
        attack(check(ufrag).integrity(StunKey.shortTerm("a-wrong-password-of-22+chars")).fingerprint().build()
                .toBytes());
        attack(check(ufrag).integrity(StunKey.shortTerm(a.agent.localCredentials().password())).build().toBytes());
        attack(check("nobody:" + b.agent.localCredentials().ufrag())
                .integrity(StunKey.shortTerm(a.agent.localCredentials().password())).fingerprint().build().toBytes());
        assertThat(a.agent.stats().unauthenticated()).isEqualTo(before.unauthenticated() + 4);

        attack(StunMessage.builder(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE, TransactionId.random())
                .add(StunAttribute.xorMappedAddress(attacker.address().ip(), 1)).fingerprint().build().toBytes());
        assertThat(a.agent.stats().unknownTransaction()).isEqualTo(before.unknownTransaction() + 1);

        attack("data after all that".getBytes());
        assertThat(attacker.received()).isEmpty();
        assertThat(a.agent.remoteCandidates()).noneMatch(c -> c.address().equals("203.0.113.66"));
        assertThat(a.received).isEmpty();
        assertThat(a.agent.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        IceAgentSimulationTest.exchangeData(sim, a, b);
    }

    @Test
    void anAuthenticatedCheckFromANewAddressIsPeerReflexiveAndAnswered() {
        // Whoever holds the password (B moved, say) is answered and learned, as RFC 8445 section 7.3.1.3 says.
        String ufrag = a.agent.localCredentials().ufrag() + ":" + b.agent.localCredentials().ufrag();
        attack(check(ufrag).add(StunAttribute.iceControlled(5)).integrity(StunKey.shortTerm(
                a.agent.localCredentials().password())).fingerprint().build().toBytes());
        assertThat(a.agent.stats().malformed()).isEqualTo(1); // both ICE-CONTROLLING and ICE-CONTROLLED
        attack(StunMessage.request(StunMethod.BINDING).add(StunAttribute.username(ufrag))
                .add(StunAttribute.priority(1_000_000)).add(StunAttribute.iceControlled(5))
                .integrity(StunKey.shortTerm(a.agent.localCredentials().password())).fingerprint().build().toBytes());
        // The answer, then A's own triggered check to the new address (section 7.3.1.4).
        assertThat(attacker.received()).hasSize(2);
        assertThat(attacker.received()).extracting(d -> parse(d.data()).messageClass())
                .containsExactlyInAnyOrder(StunClass.SUCCESS_RESPONSE, StunClass.REQUEST);
        assertThat(a.agent.remoteCandidates()).anyMatch(c -> c.address().equals("203.0.113.66")
                && c.type() == CandidateType.PEER_REFLEXIVE);
    }

    static StunMessage parse(byte[] data) {
        try {
            return StunMessage.parse(data);
        } catch (org.rtc4j.core.ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void randomDatagramsNeverBreakTheAgent() {
        Random random = new Random(99);
        for (int i = 0; i < 5000; i++) {
            byte[] d = new byte[random.nextInt(200)];
            random.nextBytes(d);
            if (i % 2 == 0 && d.length >= 20) {
                // Mostly-STUN noise: a valid header with random attributes.
                ByteBuffer.wrap(d).putShort(0, (short) 0x0001).putShort(2, (short) (d.length - 20))
                        .putInt(4, StunMessage.MAGIC_COOKIE);
            }
            a.agent.handleInput(sim.net.now(), attacker.address(), a.socket, ByteBuffer.wrap(d));
        }
        sim.net.runFor(Duration.ofSeconds(1));
        assertThat(attacker.received()).isEmpty();
        assertThat(a.agent.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        IceAgentSimulationTest.exchangeData(sim, a, b);
    }
}
