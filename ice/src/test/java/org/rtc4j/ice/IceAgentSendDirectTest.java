package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link IceAgent#sendDirect}: the path of the selected pair for a datagram the driver sends itself, one object
 * per pair (nothing allocated per datagram), counted as sent; none before a pair or after close.
 */
class IceAgentSendDirectTest {

    @Test
    void givesTheSelectedPairsPathAndCountsEachDatagram() {
        IceSimulation sim = new IceSimulation(7, IceAgentSimulationTest.WAN);
        IceSimulation.Peer a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        IceSimulation.Peer b = sim.peer("B", null, "203.0.113.20", null, IceConfig.builder().role(IceRole.CONTROLLED));
        sim.wire(a, b);
        assertThat(a.agent.sendDirect()).isNull();   // no pair yet
        sim.start(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(5))).isTrue();
        long sent = a.agent.stats().dataSent();

        DirectPath path = a.agent.sendDirect();
        assertThat(path).isNotNull();
        assertThat(path.source()).isEqualTo(a.socket);
        assertThat(path.destination()).isEqualTo(b.socket);
        assertThat(path.to()).isEqualTo(b.socket.socketAddress());
        assertThat(a.agent.sendDirect()).isSameAs(path);
        assertThat(a.agent.stats().dataSent()).isEqualTo(sent + 2);

        a.agent.close(sim.net.now());
        assertThat(a.agent.sendDirect()).isNull();
    }
}
