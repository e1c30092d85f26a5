package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.NatConfig;

/**
 * Two agents on the simulated network (virtual clock): NATs, loss, consent, role conflict, restart, lite. The
 * relayed cases are in module turn, whose TURN server they need.
 */
class IceAgentSimulationTest {

    /** The kit's NAT behaviours, and no NAT at all. */
    enum Behind {
        PUBLIC(null),
        FULL_CONE(NatConfig.fullCone()),
        RESTRICTED_CONE(NatConfig.restrictedCone()),
        PORT_RESTRICTED_CONE(NatConfig.portRestrictedCone()),
        SYMMETRIC(NatConfig.symmetric());

        final NatConfig config;

        Behind(NatConfig config) {
            this.config = config;
        }
    }

    static final LinkConfig WAN = LinkConfig.builder().delayMillis(20).jitter(Duration.ofMillis(2)).build();
    static final List<String> TIMES = new ArrayList<>();

    /** The pairs with a direct path; those that need a relay run on the TURN server, in module turn. */
    static Stream<Arguments> natPairs() {
        List<Arguments> all = new ArrayList<>();
        for (Behind a : Behind.values()) {
            for (Behind b : Behind.values()) {
                if (!needsRelay(a, b)) {
                    all.add(Arguments.of(a, b));
                }
            }
        }
        return all.stream();
    }

    /** Without hairpin tricks, only these pairs lack a direct path (RFC 4787 filtering defeats hole punching). */
    static boolean needsRelay(Behind a, Behind b) {
        return (a == Behind.SYMMETRIC && (b == Behind.SYMMETRIC || b == Behind.PORT_RESTRICTED_CONE))
                || (b == Behind.SYMMETRIC && a == Behind.PORT_RESTRICTED_CONE);
    }

    static IceSimulation.Peer[] pair(IceSimulation sim, Behind a, Behind b, IceConfig.Builder ca, IceConfig.Builder cb) {
        IceSimulation.Peer pa = sim.peer("A", a.config, a.config == null ? "203.0.113.10" : "203.0.113.1", "10.0.0.2",
                ca);
        IceSimulation.Peer pb = sim.peer("B", b.config, b.config == null ? "203.0.113.20" : "203.0.113.2",
                "192.168.1.2", cb);
        sim.wire(pa, pb);
        sim.start(pa, pb);
        return new IceSimulation.Peer[] {pa, pb};
    }

    static IceConfig.Builder config(IceRole role) {
        return IceConfig.builder().role(role).servers(IceSimulation.servers());
    }

    static void exchangeData(IceSimulation sim, IceSimulation.Peer a, IceSimulation.Peer b) {
        sim.send(a, "ping");
        sim.send(b, "pong");
        sim.net.runFor(Duration.ofSeconds(1));
        assertThat(b.received).as(sim.describe()).contains("ping");
        assertThat(a.received).as(sim.describe()).contains("pong");
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("natPairs")
    void connectsAcrossEveryPairOfNatBehaviours(Behind a, Behind b) {
        IceSimulation sim = new IceSimulation(42, WAN);
        IceSimulation.Peer[] p = pair(sim, a, b, config(IceRole.CONTROLLING), config(IceRole.CONTROLLED));
        assertThat(sim.runUntilConnected(Duration.ofSeconds(20))).as(sim.describe()).isTrue();
        Duration took = Duration.between(sim.net.clock().start(), p[0].connectedAt.isAfter(p[1].connectedAt)
                ? p[0].connectedAt : p[1].connectedAt);
        TIMES.add(a + "/" + b + " " + took.toMillis() + " ms");
        assertThat(p[0].agent.selectedPair().isRelayed()).as(sim.describe()).isFalse();
        exchangeData(sim, p[0], p[1]);
        // Consent keeps the pair (and the NAT mappings) alive for minutes.
        sim.net.runFor(Duration.ofMinutes(3));
        assertThat(p[0].agent.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        assertThat(p[1].agent.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        assertThat(p[0].count(IceConnectionState.DISCONNECTED) + p[1].count(IceConnectionState.DISCONNECTED)).isZero();
        exchangeData(sim, p[0], p[1]);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void connectsWithTwentyPercentLoss(long seed) {
        LinkConfig lossy = WAN.toBuilder().loss(0.2).build();
        IceSimulation sim = new IceSimulation(seed, lossy);
        IceSimulation.Peer[] p = pair(sim, Behind.PORT_RESTRICTED_CONE, Behind.RESTRICTED_CONE,
                config(IceRole.CONTROLLING), config(IceRole.CONTROLLED));
        assertThat(sim.runUntilConnected(Duration.ofSeconds(30))).as(sim.describe()).isTrue();
        Instant last = p[0].connectedAt.isAfter(p[1].connectedAt) ? p[0].connectedAt : p[1].connectedAt;
        TIMES.add("20% loss seed " + seed + " " + Duration.between(sim.net.clock().start(), last).toMillis() + " ms");
        for (int i = 0; i < 5 && !(p[1].received.contains("ping") && p[0].received.contains("pong")); i++) {
            sim.send(p[0], "ping");
            sim.send(p[1], "pong");
            sim.net.runFor(Duration.ofMillis(500));
        }
        assertThat(p[1].received).contains("ping");
        assertThat(p[0].received).contains("pong");
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void dataMayGoOnAValidPairBeforeTheNomination() {
        IceSimulation sim = new IceSimulation(9, WAN);
        IceSimulation.Peer[] p = pair(sim, Behind.PUBLIC, Behind.PUBLIC, config(IceRole.CONTROLLING),
                config(IceRole.CONTROLLED));
        assertThat(p[1].agent.sendingPair()).isNull();
        assertThat(p[1].agent.send(sim.net.now(), java.nio.ByteBuffer.wrap("early".getBytes()))).isFalse();
        // The controlled agent's own check succeeds before the controlling agent's nomination reaches it.
        assertThat(sim.net.runUntil(() -> p[1].agent.sendingPair() != null, Duration.ofSeconds(10))).isTrue();
        assertThat(p[1].agent.selectedPair()).isNull();
        // RFC 8445 section 12.1: an agent MAY send data on any valid pair before selection.
        assertThat(p[1].agent.send(sim.net.now(), java.nio.ByteBuffer.wrap("early".getBytes()))).isTrue();
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).isTrue();
        sim.net.runFor(Duration.ofSeconds(1));
        assertThat(p[0].received).contains("early");
        assertThat(p[1].agent.sendingPair()).isEqualTo(p[1].agent.selectedPair());
    }

    @Test
    void consentLossIsDetectedAtTheConfiguredTimes() {
        IceSimulation sim = new IceSimulation(7, WAN);
        IceConfig.Builder ca = config(IceRole.CONTROLLING).disconnectedTimeout(Duration.ofSeconds(4))
                .consentTimeout(Duration.ofSeconds(12));
        IceSimulation.Peer[] p = pair(sim, Behind.PUBLIC, Behind.PUBLIC, ca, config(IceRole.CONTROLLED));
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).isTrue();
        sim.net.runFor(Duration.ofSeconds(10));
        // B vanishes: nothing it sends or is sent arrives any more.
        sim.net.link(p[0].host, p[1].host, WAN.toBuilder().loss(1.0).build());
        Instant cut = sim.net.now();
        assertThat(sim.net.runUntil(() -> p[0].agent.connectionState() == IceConnectionState.FAILED,
                Duration.ofSeconds(60))).isTrue();
        Instant disconnected = p[0].engine.timedEvents().stream()
                .filter(t -> t.value() instanceof IceEvent.ConnectionStateChanged c
                        && c.state() == IceConnectionState.DISCONNECTED)
                .map(t -> t.time()).findFirst().orElseThrow();
        Instant failed = sim.net.now();
        // The last consent answer came at most one consent interval (2 s +20%) and a round trip before the cut.
        assertThat(Duration.between(cut, disconnected)).isBetween(Duration.ofMillis(4000 - 2500), Duration.ofSeconds(4));
        assertThat(Duration.between(cut, failed)).isBetween(Duration.ofMillis(12000 - 2500), Duration.ofSeconds(12));
        assertThat(p[0].agent.send(sim.net.now(), java.nio.ByteBuffer.wrap(new byte[] {1}))).isFalse();
        TIMES.add("consent: disconnected after " + Duration.between(cut, disconnected).toMillis() + " ms, failed after "
                + Duration.between(cut, failed).toMillis() + " ms (settings 4 s, 12 s)");
    }

    @Test
    void disconnectedRecoversWhenConsentAnswersReturn() {
        IceSimulation sim = new IceSimulation(8, WAN);
        IceSimulation.Peer[] p = pair(sim, Behind.PORT_RESTRICTED_CONE, Behind.PUBLIC, config(IceRole.CONTROLLING),
                config(IceRole.CONTROLLED));
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).isTrue();
        sim.net.runFor(Duration.ofSeconds(5));
        org.rtc4j.testkit.sim.SimNode natA = p[0].nat;
        sim.net.link(natA, p[1].host, WAN.toBuilder().loss(1.0).build());
        assertThat(sim.net.runUntil(() -> p[0].agent.connectionState() == IceConnectionState.DISCONNECTED,
                Duration.ofSeconds(10))).isTrue();
        sim.net.link(natA, p[1].host, WAN);
        assertThat(sim.net.runUntil(() -> p[0].connected(), Duration.ofSeconds(5))).isTrue();
        assertThat(p[0].count(IceConnectionState.FAILED)).isZero();
        exchangeData(sim, p[0], p[1]);
    }

    @ParameterizedTest(name = "both {0}")
    @MethodSource("roles")
    void roleConflictResolves(IceRole both) {
        IceSimulation sim = new IceSimulation(11, WAN);
        IceSimulation.Peer[] p = pair(sim, Behind.FULL_CONE, Behind.PUBLIC, config(both), config(both));
        assertThat(sim.runUntilConnected(Duration.ofSeconds(20))).as(sim.describe()).isTrue();
        assertThat(p[0].agent.role()).isNotEqualTo(p[1].agent.role());
        assertThat(p[0].agent.stats().roleConflicts() + p[1].agent.stats().roleConflicts()).isPositive();
        assertThat(p[0].engine.hasEvent(e -> e instanceof IceEvent.RoleChanged)
                || p[1].engine.hasEvent(e -> e instanceof IceEvent.RoleChanged)).isTrue();
        exchangeData(sim, p[0], p[1]);
    }

    static Stream<IceRole> roles() {
        return Stream.of(IceRole.CONTROLLING, IceRole.CONTROLLED);
    }

    @Test
    void restartMovesToANewPairAndKeepsTheOldOneUntilThen() {
        IceSimulation sim = new IceSimulation(5, WAN);
        // A has a second interface, bound by the driver but unused until the restart.
        org.rtc4j.core.TransportAddress first = IceSimulation.udp("203.0.113.10:5000");
        org.rtc4j.core.TransportAddress second = IceSimulation.udp("203.0.113.11:6000");
        IceSimulation.Peer a = sim.peer("A", sim.net.host("203.0.113.10", "203.0.113.11"), List.of(first, second),
                config(IceRole.CONTROLLING));
        IceSimulation.Peer b = sim.peer("B", null, "203.0.113.20", null, config(IceRole.CONTROLLED));
        sim.wire(a, b);
        sim.start(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).isTrue();
        CandidatePair before = a.agent.selectedPair();
        assertThat(before.local().port()).isEqualTo(5000);

        // The first interface is going away: the driver moves A to the second one and restarts ICE.
        a.agent.addLocalAddress(second);
        a.agent.removeLocalAddress(first);
        IceCredentials oldA = a.agent.localCredentials();
        a.agent.restart(sim.net.now());
        b.agent.restart(sim.net.now());
        assertThat(a.agent.localCredentials()).isNotEqualTo(oldA);
        b.agent.setRemoteCredentials(a.agent.localCredentials().ufrag(), a.agent.localCredentials().password());
        a.agent.setRemoteCredentials(b.agent.localCredentials().ufrag(), b.agent.localCredentials().password());
        // Data still flows on the old pair while the new session checks.
        sim.send(a, "during");
        sim.net.runFor(Duration.ofMillis(30));
        assertThat(a.agent.selectedPair()).isEqualTo(before);
        assertThat(sim.net.runUntil(() -> !before.equals(a.agent.selectedPair()) && b.agent.selectedPair() != null
                && !b.agent.selectedPair().remote().equals(before.local()), Duration.ofSeconds(10)))
                .as(sim.describe()).isTrue();
        assertThat(b.received).contains("during");
        assertThat(a.agent.selectedPair().local().port()).isEqualTo(6000);
        assertThat(a.engine.events().stream().filter(e -> e instanceof IceEvent.SelectedPairChanged).count())
                .isEqualTo(2);
        sim.net.runFor(Duration.ofSeconds(20));
        assertThat(a.count(IceConnectionState.DISCONNECTED)).isZero();
        exchangeData(sim, a, b);
    }

    @Test
    void fullAgentConnectsToRemoteIceLite() {
        IceSimulation sim = new IceSimulation(9, WAN);
        IceSimulation.Peer full = sim.peer("full", NatConfig.portRestrictedCone(), "203.0.113.1", "10.0.0.2",
                config(IceRole.CONTROLLED));
        IceSimulation.Peer lite = sim.peer("lite", null, "203.0.113.20", null,
                IceConfig.builder().lite(true).role(IceRole.CONTROLLING));
        full.agent.setRemoteLite(true);
        assertThat(full.agent.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(lite.agent.role()).isEqualTo(IceRole.CONTROLLED);
        sim.wire(full, lite);
        sim.start(full, lite);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        assertThat(lite.agent.stats().checksSent()).isZero();
        assertThat(lite.agent.localCandidates()).allMatch(c -> c.type() == CandidateType.HOST);
        // The lite side saw the full agent as peer-reflexive (its NAT mapping), since NAT hides the host address.
        assertThat(lite.agent.selectedPair().remote().type()).isIn(CandidateType.PEER_REFLEXIVE,
                CandidateType.SERVER_REFLEXIVE);
        exchangeData(sim, full, lite);
        sim.net.runFor(Duration.ofMinutes(1));
        assertThat(full.agent.connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
    }

    @Test
    void mdnsAndTcpCandidatesAreLeftToPeerReflexiveDiscovery() {
        IceSimulation sim = new IceSimulation(13, WAN);
        IceSimulation.Peer a = sim.peer("A", null, "203.0.113.10", null, IceConfig.builder().role(IceRole.CONTROLLING));
        IceSimulation.Peer b = sim.peer("B", null, "203.0.113.20", null, IceConfig.builder().role(IceRole.CONTROLLED));
        sim.wire(a, b);
        // A hides its address as a browser does: B learns only an mDNS name and a TCP candidate.
        a.signaling = false;
        sim.start(a, b);
        b.agent.addRemoteCandidate("candidate:1 1 udp 2122260223 0c1d2e3f-aaaa-bbbb-cccc-0123456789ab.local 5000 typ host");
        b.agent.addRemoteCandidate("candidate:2 1 tcp 1518280447 203.0.113.10 9 typ host tcptype active");
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        assertThat(b.agent.selectedPair().remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
        assertThat(b.agent.remoteCandidates()).anyMatch(IceCandidate::isMdns);
        exchangeData(sim, a, b);
    }

    @Test
    void connectsOverIpv6AndPairsOnlyWithinAFamily() {
        IceSimulation sim = new IceSimulation(15, WAN);
        org.rtc4j.core.TransportAddress a4 = IceSimulation.udp("203.0.113.10:5000");
        org.rtc4j.core.TransportAddress a6 = IceSimulation.udp("[2001:db8::10]:5000");
        IceSimulation.Peer a = sim.peer("A", sim.net.host("203.0.113.10", "2001:db8::10"), List.of(a4, a6),
                IceConfig.builder().role(IceRole.CONTROLLING));
        a.agent.addLocalAddress(a6);
        org.rtc4j.core.TransportAddress b6 = IceSimulation.udp("[2001:db8::20]:5000");
        IceSimulation.Peer b = sim.peer("B", sim.net.host("2001:db8::20"), List.of(b6),
                IceConfig.builder().role(IceRole.CONTROLLED));
        sim.wire(a, b);
        sim.start(a, b);
        assertThat(sim.runUntilConnected(Duration.ofSeconds(10))).as(sim.describe()).isTrue();
        assertThat(a.agent.selectedPair().local().ip()).isEqualTo(a6.ip());
        assertThat(a.agent.describePairs()).hasSize(1); // the IPv4 host candidate has no IPv6 partner
        // Local preference follows the driver's order of addresses; each address has its own foundation.
        List<IceCandidate> locals = a.agent.localCandidates();
        assertThat(locals.get(0).priority()).isGreaterThan(locals.get(1).priority());
        assertThat(locals.get(0).foundation()).isNotEqualTo(locals.get(1).foundation());
        exchangeData(sim, a, b);
    }

    @Test
    void runsAreDeterministic() {
        long[] digests = new long[2];
        long[] times = new long[2];
        for (int i = 0; i < 2; i++) {
            IceSimulation sim = new IceSimulation(77, WAN.toBuilder().loss(0.1).build());
            IceSimulation.Peer[] p = pair(sim, Behind.SYMMETRIC, Behind.RESTRICTED_CONE, config(IceRole.CONTROLLING),
                    config(IceRole.CONTROLLED));
            assertThat(sim.runUntilConnected(Duration.ofSeconds(30))).isTrue();
            sim.net.runFor(Duration.ofSeconds(10));
            digests[i] = sim.net.traceDigest();
            times[i] = p[0].connectedAt.toEpochMilli();
        }
        assertThat(digests[1]).isEqualTo(digests[0]);
        assertThat(times[1]).isEqualTo(times[0]);
    }

    @AfterAll
    static void report() {
        System.out.println("ICE simulation connection times:");
        TIMES.forEach(t -> System.out.println("  " + t));
        try {
            java.nio.file.Files.write(java.nio.file.Path.of("target", "ice-simulation-times.txt"), TIMES);
        } catch (java.io.IOException e) {
            // the figures are a by-product; the assertions above are the test
        }
    }
}
