package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimEngine;
import org.rtc4j.testkit.sim.SimNetwork;

/** Two associations on the test kit's simulated network, joined by one link, connected. */
final class SimPair {

    final SimNetwork net;
    final SctpAssociation a;
    final SctpAssociation b;
    final UdpOverSim<SctpEvent> ua;
    final UdpOverSim<SctpEvent> ub;
    final SimEngine<SctpEvent> sa;
    final SimEngine<SctpEvent> sb;

    SimPair(long seed, SctpSettings sa, SctpSettings sb, LinkConfig link) {
        net = new SimNetwork(seed);
        a = new SctpAssociation(sa);
        b = new SctpAssociation(sb);
        TransportAddress addrA = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
        TransportAddress addrB = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
        ua = new UdpOverSim<>(PacketPath.of(a), net.clock(), addrA, addrB);
        ub = new UdpOverSim<>(PacketPath.of(b), net.clock(), addrB, addrA);
        this.sa = net.add(ua, addrA);
        this.sb = net.add(ub, addrB);
        net.link(this.sa, this.sb, link);
        a.connect(net.now());
        assertThat(net.runUntil(() -> a.state() == SctpState.ESTABLISHED && b.state() == SctpState.ESTABLISHED,
                Duration.ofSeconds(60))).as("handshake").isTrue();
    }
}
