package org.rtc4j.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.testkit.sim.SimNetworkTest.udp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * The NAT behaves as RFC 4787 names it. Servers outside answer with the source address they saw, as a STUN
 * server does: S1 at 198.51.100.1 on ports 3478 and 3479, S2 at 198.51.100.2:3478.
 */
class NatTest {

    static final TransportAddress S1 = udp("198.51.100.1:3478");
    static final TransportAddress S1_OTHER_PORT = udp("198.51.100.1:3479");
    static final TransportAddress S2 = udp("198.51.100.2:3478");

    final SimNetwork net = new SimNetwork(99);

    /** A server that answers every datagram with the text of its source address. */
    void reflectors() {
        SimHost s1 = net.host("198.51.100.1");
        for (TransportAddress a : List.of(S1, S1_OTHER_PORT)) {
            s1.endpoint(a, NatTest::reflect);
        }
        net.endpoint(S2, NatTest::reflect);
    }

    static void reflect(SimEndpoint self, Datagram d) {
        self.send(d.source(), d.source().toString().getBytes(StandardCharsets.US_ASCII));
    }

    static String text(Datagram d) {
        return new String(d.data(), StandardCharsets.US_ASCII);
    }

    /** Asks each server what it saw, one after the other, and returns the answers. */
    List<String> reflexive(SimEndpoint inside, TransportAddress... servers) {
        inside.takeReceived();
        for (TransportAddress server : servers) {
            inside.send(server, new byte[] {1});
        }
        net.runFor(Duration.ofSeconds(1));
        return inside.takeReceived().stream().map(NatTest::text).toList();
    }

    @ParameterizedTest
    @EnumSource(NatBehavior.class)
    void mappingIsAsNamed(NatBehavior mapping) {
        reflectors();
        Nat nat = net.nat("203.0.113.1", NatConfig.builder().mapping(mapping)
                .filtering(NatBehavior.ENDPOINT_INDEPENDENT).build());
        SimEndpoint inside = nat.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));

        List<String> seen = reflexive(inside, S1, S1_OTHER_PORT, S2);
        assertThat(seen).hasSize(3).allSatisfy(s -> assertThat(s).startsWith("203.0.113.1:"));
        switch (mapping) {
            case ENDPOINT_INDEPENDENT -> assertThat(Set.copyOf(seen)).hasSize(1);
            case ADDRESS_DEPENDENT -> {
                assertThat(seen.get(0)).isEqualTo(seen.get(1));
                assertThat(seen.get(2)).isNotEqualTo(seen.get(0));
            }
            case ADDRESS_AND_PORT_DEPENDENT -> assertThat(Set.copyOf(seen)).hasSize(3);
        }
        // The same destination again reuses its mapping, whatever the behaviour.
        assertThat(reflexive(inside, S2)).containsExactly(seen.get(2));
        assertThat(nat.stats().mappingsCreated()).isEqualTo(Set.copyOf(seen).size());
        assertThat(nat.mappings()).hasSize(Set.copyOf(seen).size());
    }

    @ParameterizedTest
    @EnumSource(NatBehavior.class)
    void filteringIsAsNamed(NatBehavior filtering) {
        Nat nat = net.nat("203.0.113.1", NatConfig.builder().filtering(filtering).build());
        SimEndpoint inside = nat.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        SimHost serverHost = net.host("198.51.100.1");
        SimEndpoint s1 = serverHost.endpoint(S1);
        SimEndpoint s1OtherPort = serverHost.endpoint(S1_OTHER_PORT);
        SimEndpoint s2 = net.endpoint(S2);

        inside.send(S1, new byte[] {0});
        net.runFor(Duration.ofSeconds(1));
        TransportAddress mapped = s1.received().get(0).source();
        assertThat(mapped).isEqualTo(udp("203.0.113.1:5000")); // port preservation

        s1.send(mapped, new byte[] {1});
        s1OtherPort.send(mapped, new byte[] {2});
        s2.send(mapped, new byte[] {3});
        net.runFor(Duration.ofSeconds(1));
        Set<Integer> arrived = inside.received().stream().map(d -> (int) d.data()[0]).collect(Collectors.toSet());
        switch (filtering) {
            case ENDPOINT_INDEPENDENT -> assertThat(arrived).containsExactlyInAnyOrder(1, 2, 3);
            case ADDRESS_DEPENDENT -> assertThat(arrived).containsExactlyInAnyOrder(1, 2);
            case ADDRESS_AND_PORT_DEPENDENT -> assertThat(arrived).containsExactlyInAnyOrder(1);
        }
        assertThat(nat.stats().droppedFiltered()).isEqualTo(3 - arrived.size());
        // Delivered with the real source and the internal destination.
        assertThat(inside.received()).allSatisfy(d -> assertThat(d.destination()).isEqualTo(inside.address()));
        assertThat(inside.received().get(0).source()).isEqualTo(S1);
    }

    @Test
    void mappingsExpireUnlessOutboundTrafficRefreshesThem() {
        Nat nat = net.nat("203.0.113.1", NatConfig.builder().mappingLifetime(Duration.ofSeconds(30))
                .portAllocation(PortAllocation.SEQUENTIAL).build());
        SimEndpoint inside = nat.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        SimEndpoint server = net.endpoint(S1);

        inside.send(S1, new byte[] {0});
        net.runFor(Duration.ofSeconds(1));
        TransportAddress mapped = server.takeReceived().get(0).source();

        // Inbound traffic does not refresh (RFC 4787 REQ-6 asks only for outbound refresh).
        net.schedule(Duration.ofSeconds(20), () -> server.send(mapped, new byte[] {1}));
        net.schedule(Duration.ofSeconds(32), () -> server.send(mapped, new byte[] {2}));
        net.runFor(Duration.ofSeconds(40));
        assertThat(inside.takeReceived()).extracting(d -> d.data()[0]).containsExactly((byte) 1);
        assertThat(nat.stats().droppedNoMapping()).isEqualTo(1);
        assertThat(nat.mappings()).isEmpty();

        // Keep-alives every 20 s keep a mapping for as long as they go on.
        for (int i = 0; i <= 10; i++) {
            net.schedule(Duration.ofSeconds(20L * i), () -> inside.send(S1, new byte[] {9}));
        }
        net.runFor(Duration.ofSeconds(1));
        TransportAddress renewed = server.received().get(0).source();
        assertThat(renewed).isNotEqualTo(mapped); // a new mapping, and sequential ports moved on
        net.schedule(Duration.ofSeconds(199), () -> server.send(renewed, new byte[] {3}));
        net.runFor(Duration.ofSeconds(200));
        assertThat(inside.takeReceived()).extracting(d -> d.data()[0]).containsExactly((byte) 3);
        assertThat(nat.stats().mappingsCreated()).isEqualTo(2);
    }

    @Test
    void aRebootedNatForgetsItsMappings() {
        Nat nat = net.nat("203.0.113.1", NatConfig.fullCone().toBuilder()
                .portAllocation(PortAllocation.SEQUENTIAL).build());
        SimEndpoint inside = nat.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        net.endpoint(S1, NatTest::reflect);
        String before = reflexive(inside, S1).get(0);
        nat.clearMappings();
        assertThat(nat.mappings()).isEmpty();
        assertThat(reflexive(inside, S1).get(0)).isNotEqualTo(before);
    }

    @Test
    void inboundRefreshWhenConfigured() {
        Nat nat = net.nat("203.0.113.1", NatConfig.builder().mappingLifetime(Duration.ofSeconds(30))
                .inboundRefresh(true).build());
        SimEndpoint inside = nat.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        SimEndpoint server = net.endpoint(S1);
        inside.send(S1, new byte[] {0});
        net.runFor(Duration.ofSeconds(1));
        TransportAddress mapped = server.received().get(0).source();
        for (int i = 1; i <= 5; i++) {
            byte tag = (byte) i;
            net.schedule(Duration.ofSeconds(25L * i), () -> server.send(mapped, new byte[] {tag}));
        }
        net.runFor(Duration.ofSeconds(130));
        assertThat(inside.received()).hasSize(5);
    }

    @Test
    void hairpinningCarriesTheSendersExternalAddress() {
        Nat nat = net.nat("203.0.113.1", NatConfig.fullCone());
        SimEndpoint a = nat.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        SimEndpoint b = nat.host("192.168.1.3").endpoint(udp("192.168.1.3:6000"));
        net.endpoint(S1, NatTest::reflect);
        TransportAddress aOut = TransportAddress.parse(Transport.UDP, reflexive(a, S1).get(0).replace("/udp", ""));
        TransportAddress bOut = TransportAddress.parse(Transport.UDP, reflexive(b, S1).get(0).replace("/udp", ""));

        a.send(bOut, new byte[] {7});
        net.runFor(Duration.ofSeconds(1));
        assertThat(b.received()).hasSize(1);
        // RFC 4787 REQ-9: the source is A's external address, not its internal one.
        assertThat(b.received().get(0).source()).isEqualTo(aOut);
        assertThat(nat.stats().hairpinned()).isEqualTo(1);
    }

    @Test
    void withoutHairpinningInsideToOwnPublicAddressIsDropped() {
        Nat nat = net.nat("203.0.113.1", NatConfig.fullCone().toBuilder().hairpinning(false).build());
        SimEndpoint a = nat.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        SimEndpoint b = nat.host("192.168.1.3").endpoint(udp("192.168.1.3:6000"));
        net.endpoint(S1, NatTest::reflect);
        String bOut = reflexive(b, S1).get(0).replace("/udp", "");

        a.send(TransportAddress.parse(Transport.UDP, bOut), new byte[] {7});
        net.runFor(Duration.ofSeconds(1));
        assertThat(b.received()).isEmpty();
        assertThat(nat.stats().droppedNoHairpinning()).isEqualTo(1);
    }

    @Test
    void portsArePreservedSequentialOrRandomAsConfigured() {
        SimEndpoint server = net.endpoint(S1);
        Nat preserving = net.nat("203.0.113.1", NatConfig.builder().build());
        SimEndpoint p1 = preserving.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        SimEndpoint p2 = preserving.host("192.168.1.3").endpoint(udp("192.168.1.3:5000"));
        Nat sequential = net.nat("203.0.113.2", NatConfig.builder().portAllocation(PortAllocation.SEQUENTIAL)
                .ports(40000, 40009).build());
        SimEndpoint q1 = sequential.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        SimEndpoint q2 = sequential.host("192.168.1.3").endpoint(udp("192.168.1.3:5000"));
        Nat random = net.nat("203.0.113.3", NatConfig.builder().portAllocation(PortAllocation.RANDOM)
                .ports(50000, 59999).build());
        SimEndpoint r1 = random.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));

        for (SimEndpoint e : List.of(p1, p2, q1, q2, r1)) {
            e.send(S1, new byte[1]);
        }
        net.runFor(Duration.ofSeconds(1));
        List<Integer> ports = server.received().stream().map(d -> d.source().port()).toList();
        assertThat(ports.get(0)).isEqualTo(5000);                  // preserved
        assertThat(ports.get(1)).isNotEqualTo(5000).isBetween(49152, 65535); // taken, so the next free one
        assertThat(ports.subList(2, 4)).containsExactly(40000, 40001);
        assertThat(ports.get(4)).isBetween(50000, 59999).isNotEqualTo(5000);
    }

    @Test
    void privateAddressesAreUnreachableFromOutsideAndMayRepeatBehindOtherNats() {
        SimEndpoint server = net.endpoint(S1, NatTest::reflect);
        Nat home = net.nat("203.0.113.1", NatConfig.portRestrictedCone());
        Nat office = net.nat("203.0.113.2", NatConfig.symmetric());
        SimEndpoint atHome = home.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        SimEndpoint atOffice = office.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));

        assertThat(reflexive(atHome, S1)).containsExactly("203.0.113.1:5000/udp");
        assertThat(reflexive(atOffice, S1)).containsExactly("203.0.113.2:49152/udp");

        server.send(udp("192.168.1.2:5000"), new byte[1]);
        net.runFor(Duration.ofSeconds(1));
        assertThat(net.droppedUnroutable()).isEqualTo(1);
        assertThat(atHome.received()).isEmpty();
        assertThat(atOffice.received()).isEmpty();
    }

    @Test
    void natsNestForDoubleNat() {
        net.endpoint(S1, NatTest::reflect);
        Nat carrier = net.nat("203.0.113.1", NatConfig.symmetric());
        Nat home = carrier.nat("100.64.0.7", NatConfig.portRestrictedCone());
        SimEndpoint inside = home.host("192.168.1.2").endpoint(udp("192.168.1.2:5000"));
        carrier.insideLink(LinkConfig.delay(Duration.ofMillis(10)));
        home.insideLink(LinkConfig.delay(Duration.ofMillis(2)));
        net.link(carrier, net.hosts().get(0), LinkConfig.delay(Duration.ofMillis(20)));

        inside.send(S1, new byte[1]);
        assertThat(net.runUntil(() -> !inside.received().isEmpty(), Duration.ofSeconds(1))).isTrue();
        assertThat(text(inside.received().get(0))).isEqualTo("203.0.113.1:49152/udp");
        assertThat(net.elapsed()).isEqualTo(Duration.ofMillis(2 * (2 + 10 + 20)));
        assertThat(carrier.stats().translatedOut()).isEqualTo(1);
        assertThat(home.stats().translatedIn()).isEqualTo(1);
    }

    @Test
    void twoEnginesBehindNatsConnectThroughThem() {
        // Two ARQ engines behind port-restricted NATs, each told the other's external address and both
        // sending at once, so each NAT lets the other in: the hole punching ICE does.
        Nat natA = net.nat("203.0.113.1", NatConfig.portRestrictedCone());
        Nat natB = net.nat("203.0.113.2", NatConfig.portRestrictedCone());
        TransportAddress aInside = udp("192.168.1.2:5000");
        TransportAddress bInside = udp("10.0.0.2:6000");
        ArqEngine sender = ArqEngine.sender(aInside, udp("203.0.113.2:6000"), 100);
        ArqEngine receiver = ArqEngine.receiver(bInside, udp("203.0.113.1:5000"), 100);
        natA.add(sender, aInside);
        natB.add(receiver, bInside);
        net.link(natA, natB, LinkConfig.builder().delayMillis(30).loss(0.1).build());
        receiver.punch(net.now());
        sender.start(net.now());
        assertThat(net.runUntil(() -> sender.done() && receiver.done(), Duration.ofMinutes(1))).isTrue();
        assertThat(natA.stats().translatedIn()).isPositive();
        assertThat(natB.stats().translatedOut()).isPositive();
    }
}
