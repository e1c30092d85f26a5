package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;

/** {@link IceAgent#receive}: application data comes back as a view with its pair; STUN and strangers do not. */
class IceAgentReceiveTest {

    @Test
    void returnsDataOnTheSelectedPairWithoutCopyOrEvent() {
        IceSimulation sim = new IceSimulation(5, IceAgentSimulationTest.WAN);
        IceSimulation.Peer a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        IceSimulation.Peer b = sim.peer("B", null, "203.0.113.20", null, IceConfig.builder().role(IceRole.CONTROLLED));
        sim.wire(a, b);
        sim.start(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(5))).isTrue();
        IceStats before = a.agent.stats();

        ByteBuffer datagram = ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8));
        ByteBuffer data = a.agent.receive(sim.net.now(), b.socket, a.socket, datagram);
        assertThat(data).isSameAs(datagram);
        assertThat(StandardCharsets.UTF_8.decode(data).toString()).isEqualTo("hello");
        assertThat(a.agent.lastReceivedPair()).isEqualTo(a.agent.selectedPair());
        assertThat(a.agent.receiveNext(sim.net.now())).isNull();
        assertThat(a.agent.lastReceivedPair()).isNull();
        assertThat(a.agent.pollEvent()).isNull(); // no IceEvent.Data: the caller has the bytes
        assertThat(a.agent.stats().dataReceived()).isEqualTo(before.dataReceived() + 1);

        // STUN is consumed, a stranger's data dropped and counted, an unknown local socket too.
        ByteBuffer keepalive = StunMessage.builder(StunMethod.BINDING, StunClass.INDICATION, TransactionId.random())
                .fingerprint().build().asBuffer();
        assertThat(a.agent.receive(sim.net.now(), b.socket, a.socket, keepalive)).isNull();
        ByteBuffer stranger = ByteBuffer.wrap("spoofed".getBytes(StandardCharsets.UTF_8));
        assertThat(a.agent.receive(sim.net.now(), IceSimulation.udp("203.0.113.66:4444"), a.socket, stranger)).isNull();
        assertThat(a.agent.lastReceivedPair()).isNull();
        assertThat(a.agent.receive(sim.net.now(), b.socket, IceSimulation.udp("203.0.113.10:9"), datagram)).isNull();
        IceStats after = a.agent.stats();
        assertThat(after.unauthenticatedData()).isEqualTo(before.unauthenticatedData() + 1);
        assertThat(after.unknownDestination()).isEqualTo(before.unknownDestination() + 1);
        assertThat(after.dataReceived()).isEqualTo(before.dataReceived() + 1);
    }

    @Test
    void handleInputQueuesACopyForGenericPumps() {
        IceSimulation sim = new IceSimulation(6, IceAgentSimulationTest.WAN);
        IceSimulation.Peer a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        IceSimulation.Peer b = sim.peer("B", null, "203.0.113.20", null, IceConfig.builder().role(IceRole.CONTROLLED));
        sim.wire(a, b);
        sim.start(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(5))).isTrue();

        byte[] bytes = "copied".getBytes(StandardCharsets.UTF_8);
        ByteBuffer datagram = ByteBuffer.wrap(bytes);
        a.agent.handleInput(sim.net.now(), b.socket, a.socket, datagram);
        bytes[0] = 'X'; // the caller reuses its buffer at once
        IceEvent e = a.agent.pollEvent();
        assertThat(e).isInstanceOf(IceEvent.Data.class);
        IceEvent.Data d = (IceEvent.Data) e;
        assertThat(StandardCharsets.UTF_8.decode(d.data()).toString()).isEqualTo("copied");
        assertThat(d.pair()).isEqualTo(a.agent.selectedPair());
    }
}
