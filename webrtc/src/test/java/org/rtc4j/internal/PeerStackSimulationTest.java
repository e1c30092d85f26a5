package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.RTCSettings;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.dtls.DtlsRole;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.IceServer;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.sctp.datachannel.DataChannel;
import org.rtc4j.sctp.datachannel.DataChannelEvent;
import org.rtc4j.sctp.datachannel.DataChannelOptions;
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.Pumped;
import org.rtc4j.testkit.pump.SimPump;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.NatConfig;
import org.rtc4j.testkit.sim.SimNetwork;
import org.rtc4j.turn.TurnEvent;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;

/**
 * Two whole peer connections below the W3C API (everything but the sockets: {@link PeerStack}) on testkit's
 * simulated network and virtual clock, DTLS's handshake included (it runs on the loop). The network's loss and
 * reordering and ICE's randomness come from each case's seed, which a failure names; {@code
 * -Drtc4j.sim.seed=N} runs every case with seed N. Not yet seeded: what PeerStack draws itself, SCTP's (tags,
 * initial TSNs, the idle side's heartbeat times) and the RTP session's (RTCP report times, sent even without
 * media), so the times those packets leave, and with them which packets the lossy link drops, differ from run
 * to run of one seed.
 */
class PeerStackSimulationTest {

    private static final DtlsCertificate CERT_A = DtlsCertificate.generate();
    private static final DtlsCertificate CERT_B = DtlsCertificate.generate();
    private static final int TEN_MB = 10 << 20;
    private static final int MESSAGE = 16 * 1024;
    /** The STUN and TURN server of the calls behind NATs. */
    private static final TransportAddress TURN = TransportAddress.parse(Transport.UDP, "11.0.0.1:3478");

    /** Two stacks on one simulated link, A the ICE controller and DTLS client. */
    static final class Call {

        /** The seed of the network's and ICE's randomness. */
        final long seed;
        final SimPump pump;
        final PeerStack a;
        final PeerStack b;
        final Pumped<PeerEvent> pa;
        final Pumped<PeerEvent> pb;
        private final Semaphore wake = new Semaphore(0);
        /** When A and B saw ICE fail, or null. */
        final Instant[] failed = new Instant[2];

        /** Both on public addresses, joined by one link, without ICE servers. */
        Call(long seed, RTCSettings settings) {
            this(seed, settings, null, null);
        }

        /**
         * A behind {@code natA} and B behind {@code natB} (each at its own public address), with a STUN and TURN
         * server ({@link #TURN}) on the public network; a null NAT puts that side on a public address.
         */
        Call(long seed, RTCSettings settings, NatConfig natA, NatConfig natB) {
            this.seed = seed;
            pump = EnginePump.simulated(new SimNetwork(seed));
            a = new PeerStack(settings, CERT_A);
            b = new PeerStack(settings, CERT_B);
            List<IceServer> servers = List.of();
            if (natA != null || natB != null) {
                String at = TURN.ip().getHostAddress() + ":" + TURN.port();
                servers = List.of(IceServer.stun("stun:" + at), IceServer.of("alice", "secret", "turn:" + at));
                TurnServer turn = new TurnServer(TurnServerConfig.builder().realm("test").user("alice", "secret")
                        .relayAddress(TURN.ip()).ports(50000, 50999).nonceSecret(new byte[32])
                        .random(new Random(seed)).build());
                // The server's host owns every port of its IP: each relay port it asks for opens.
                pump.add(turn, TURN.withPort(0)).onEvent(e -> {
                    if (e instanceof TurnEvent.OpenRelay open) {
                        turn.relayOpened(pump.now(), open.relay(), true);
                    }
                });
            }
            pa = place(a, natA, "12.0.0.1", "10.0.0.1");
            pb = place(b, natB, "12.0.0.2", "10.0.0.2");
            // What the DTLS handshake's thread queued moves into ICE whenever the network asks for output.
            pa.beforePoll(() -> a.drive(pump.now()));
            pb.beforePoll(() -> b.drive(pump.now()));
            a.onWakeup(wake::release);
            b.onWakeup(wake::release);
            IceAgent iceA = a.startIce(iceConfig(IceRole.CONTROLLING, seed, settings, servers));
            IceAgent iceB = b.startIce(iceConfig(IceRole.CONTROLLED, seed + 1, settings, servers));
            exchangeCredentials();
            signal(pa, b, 0);
            signal(pb, a, 1);
            a.setRemote(new RemoteTransport(List.of(CERT_B.fingerprint()), 5000, 0, 0));
            b.setRemote(new RemoteTransport(List.of(CERT_A.fingerprint()), 5000, 0, 0));
            iceA.gather(pump.now());
            iceB.gather(pump.now());
            a.startTransport(pump.now(), DtlsRole.CLIENT);
            b.startTransport(pump.now(), DtlsRole.SERVER);
        }

        /** A stack at {@code privateIp} port 5000: behind a NAT at {@code publicIp}, or a public host (no NAT). */
        private Pumped<PeerEvent> place(PeerStack stack, NatConfig nat, String publicIp, String privateIp) {
            TransportAddress address = TransportAddress.parse(Transport.UDP, privateIp + ":5000");
            stack.addLocalAddress(address, 1500);
            Pumped<PeerEvent> p = nat == null ? pump.add(stack, address)
                    : pump.add(stack, pump.network().nat(publicIp, nat).host(privateIp), address);
            return p.keepEvents(false);
        }

        /**
         * What signaling carries from one side to the other: each local candidate as it is gathered (trickle);
         * and the time ICE failed is noted.
         */
        private void signal(Pumped<PeerEvent> from, PeerStack to, int side) {
            from.onEvent(e -> {
                if (e instanceof PeerEvent.Ice(IceEvent.LocalCandidate c)) {
                    to.ice().addRemoteCandidate(c.candidate());
                } else if (e instanceof PeerEvent.Ice(IceEvent.ConnectionStateChanged s)
                        && s.state() == IceConnectionState.FAILED && failed[side] == null) {
                    failed[side] = pump.now();
                }
            });
        }

        /** Both sides learn the other's current ICE credentials (after an offer/answer, or a restart). */
        void exchangeCredentials() {
            a.ice().setRemoteCredentials(b.ice().localCredentials().ufrag(), b.ice().localCredentials().password());
            b.ice().setRemoteCredentials(a.ice().localCredentials().ufrag(), a.ice().localCredentials().password());
        }

        /**
         * Runs until SCTP is established on both sides: the virtual clock creeps a millisecond at a time while
         * the handshake's thread works in real time (at most 20 s of it).
         */
        void connect() throws InterruptedException {
            long realDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(established(a) && established(b)) && System.nanoTime() < realDeadline) {
                pump.runFor(Duration.ofMillis(1));
                wake.tryAcquire(1, TimeUnit.MILLISECONDS);
            }
            assertThat(established(a) && established(b)).as("SCTP established on both sides").isTrue();
        }

        private static boolean established(PeerStack s) {
            return s.channels() != null && s.channels().association().state() == SctpState.ESTABLISHED;
        }

        /** From now on the link loses and reorders (seeded), both ways. */
        void impair(double loss) {
            LinkConfig config = LinkConfig.builder().delayMillis(20).loss(loss)
                    .reorder(loss > 0 ? 0.05 : 0, Duration.ofMillis(5)).build();
            pump.link(pa, pb, config);
        }
    }

    /** A case's own seed, or the one {@code -Drtc4j.sim.seed} names (to replay a failure). */
    private static long seed(long own) {
        return Long.getLong("rtc4j.sim.seed", own);
    }

    private static IceConfig iceConfig(IceRole role, long seed, RTCSettings settings, List<IceServer> servers) {
        return IceConfig.builder().role(role).random(new Random(seed)).servers(servers)
                .consentInterval(settings.iceConsentInterval())
                .disconnectedTimeout(settings.iceDisconnectedTimeout())
                .consentTimeout(settings.iceFailedTimeout())
                .build();
    }

    /** Sends 10 MB from A to B on one reliable channel; checks that every byte arrived, in order. */
    private static final class Transfer {

        private final Call call;
        private final DataChannel channel;
        private final CRC32 sentCrc = new CRC32();
        private final CRC32 receivedCrc = new CRC32();
        private final Random content = new Random(42);
        private int sent;
        private long received;

        Transfer(Call call) {
            this.call = call;
            this.channel = call.a.channels().createDataChannel("bulk", DataChannelOptions.reliable());
            call.pa.beforePoll(() -> {
                // Keep a megabyte queued, as an application that waits for bufferedamountlow would.
                while (sent < TEN_MB && channel.bufferedAmount() < (1 << 20)
                        && channel.state() == org.rtc4j.sctp.datachannel.DataChannelState.OPEN) {
                    byte[] m = new byte[Math.min(MESSAGE, TEN_MB - sent)];
                    content.nextBytes(m);
                    sentCrc.update(m);
                    channel.send(m);
                    sent += m.length;
                }
                call.a.drive(call.pump.now());
            });
            call.pb.onEvent(e -> {
                if (e instanceof PeerEvent.Channel(DataChannelEvent.Message m)) {
                    receivedCrc.update(m.data());
                    received += m.data().length;
                }
            });
        }

        void runToEnd(Duration limit) {
            boolean done = call.pump.runUntil(() -> received >= TEN_MB, limit);
            String run = String.format("seed %d (-Drtc4j.sim.seed=%d), %s virtual, A's SCTP %s", call.seed, call.seed,
                    call.pump.elapsed(), call.a.channels().association().stats());
            System.out.println("10 MB: " + run);
            assertThat(done).as("received %d of %d bytes in %s; %s", received, TEN_MB, limit, run).isTrue();
            assertThat(received).isEqualTo(TEN_MB);
            assertThat(receivedCrc.getValue()).isEqualTo(sentCrc.getValue());
        }
    }

    @ParameterizedTest(name = "{0} % loss")
    @ValueSource(ints = {0, 5, 20})
    void tenMegabytesArriveIntactThroughLossAndReordering(int lossPercent) throws Exception {
        Call call = new Call(seed(1400 + lossPercent), RTCSettings.defaults());
        call.connect();
        call.impair(lossPercent / 100.0);
        Transfer transfer = new Transfer(call);
        transfer.runToEnd(Duration.ofMinutes(10));
        assertThat(call.a.ice().connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
    }

    /**
     * False Start (RFC 7918): the DTLS client (A) starts SCTP as soon as its Finished is out, so its INIT rides
     * with that flight; the server then is established (by A's COOKIE ECHO) before A, two one-way trips sooner
     * than if both INITs waited for Connected, where the server would come last.
     */
    @Test
    void theClientsSctpInitRidesWithItsFinished() throws Exception {
        Call call = new Call(seed(1500), RTCSettings.defaults());
        List<String> order = new ArrayList<>();
        call.pa.onEvent(e -> {
            if (e instanceof PeerEvent.SctpStarted) {
                order.add("A sctp started");
            } else if (e instanceof PeerEvent.Dtls(DtlsEvent.Connected c)) {
                order.add("A dtls connected");
            } else if (e instanceof PeerEvent.SctpStateChanged(SctpState st) && st == SctpState.ESTABLISHED) {
                order.add("A established");
            }
        });
        call.pb.onEvent(e -> {
            if (e instanceof PeerEvent.SctpStateChanged(SctpState st) && st == SctpState.ESTABLISHED) {
                order.add("B established");
            }
        });
        call.connect();
        assertThat(order).containsExactly("A sctp started", "A dtls connected", "B established", "A established");
    }

    /** A NAT of one of RFC 4787's classic behaviours. */
    enum Behind {
        FULL_CONE, RESTRICTED_CONE, PORT_RESTRICTED_CONE, SYMMETRIC;

        NatConfig nat() {
            return switch (this) {
                case FULL_CONE -> NatConfig.fullCone();
                case RESTRICTED_CONE -> NatConfig.restrictedCone();
                case PORT_RESTRICTED_CONE -> NatConfig.portRestrictedCone();
                case SYMMETRIC -> NatConfig.symmetric();
            };
        }
    }

    /** Every ordered pair of NAT behaviours. */
    static Stream<Arguments> natPairs() {
        List<Arguments> all = new ArrayList<>();
        for (Behind a : Behind.values()) {
            for (Behind b : Behind.values()) {
                all.add(Arguments.of(a, b));
            }
        }
        return all.stream();
    }

    /**
     * Two whole stacks behind NATs connect, directly where hole punching works and through the TURN server
     * exactly where RFC 4787 filtering leaves no direct path (symmetric against symmetric or port-restricted),
     * and a message crosses a data channel both ways.
     */
    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("natPairs")
    void connectsBehindEveryPairOfNats(Behind behindA, Behind behindB) throws Exception {
        Call call = new Call(seed(1700), RTCSettings.defaults(), behindA.nat(), behindB.nat());
        call.connect();
        boolean noDirectPath = behindA == Behind.SYMMETRIC
                && (behindB == Behind.SYMMETRIC || behindB == Behind.PORT_RESTRICTED_CONE)
                || behindB == Behind.SYMMETRIC && behindA == Behind.PORT_RESTRICTED_CONE;
        // DTLS and SCTP may run on the first valid pair (RFC 8445 section 12.1) before the nomination.
        assertThat(call.pump.runUntil(() -> call.a.ice().selectedPair() != null && call.b.ice().selectedPair() != null,
                Duration.ofSeconds(5))).isTrue();
        assertThat(call.a.ice().selectedPair().isRelayed()).as(call.a.ice().selectedPair().toString())
                .isEqualTo(noDirectPath);
        assertThat(call.b.ice().selectedPair().isRelayed()).isEqualTo(noDirectPath);
        DataChannel channel = call.a.channels().createDataChannel("nat", DataChannelOptions.reliable());
        List<String> atA = new ArrayList<>();
        List<String> atB = new ArrayList<>();
        call.pb.onEvent(e -> {
            if (e instanceof PeerEvent.Channel(DataChannelEvent.Message m)) {
                atB.add(new String(m.data(), StandardCharsets.UTF_8));
                m.channel().send("pong".getBytes(StandardCharsets.UTF_8));
                call.b.drive(call.pump.now());
            }
        });
        call.pa.onEvent(e -> {
            if (e instanceof PeerEvent.Channel(DataChannelEvent.Message m)) {
                atA.add(new String(m.data(), StandardCharsets.UTF_8));
            }
        });
        call.pump.runUntil(() -> channel.state() == org.rtc4j.sctp.datachannel.DataChannelState.OPEN,
                Duration.ofSeconds(5));
        channel.send("ping".getBytes(StandardCharsets.UTF_8));
        call.a.drive(call.pump.now());
        assertThat(call.pump.runUntil(() -> !atA.isEmpty(), Duration.ofSeconds(5))).as("pong back").isTrue();
        assertThat(atB).containsExactly("ping");
        assertThat(atA).containsExactly("pong");
    }

    @Test
    void iceRestartInTheMiddleOfATransferLosesNothing() throws Exception {
        Call call = new Call(seed(1414), RTCSettings.defaults());
        call.connect();
        call.impair(0.01);
        Transfer transfer = new Transfer(call);
        String oldUfrag = call.a.ice().localCredentials().ufrag();
        assertThat(call.pump.runUntil(() -> transfer.received >= TEN_MB / 2, Duration.ofMinutes(5))).isTrue();
        // Both sides restart, as after an offer with new credentials and its answer (RFC 8445 section 9).
        call.a.ice().restart(call.pump.now());
        call.b.ice().restart(call.pump.now());
        call.exchangeCredentials();     // restart gathers again by itself; candidates trickle as before
        transfer.runToEnd(Duration.ofMinutes(5));
        assertThat(call.a.ice().localCredentials().ufrag()).isNotEqualTo(oldUfrag);
        assertThat(call.a.ice().connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        assertThat(call.a.ice().selectedPair()).isNotNull();
    }

    @Test
    void rtpGoesToSrtpAndUnknownFirstBytesAreCountedNotGivenToDtls() throws Exception {
        Call call = new Call(seed(1616), RTCSettings.defaults());
        call.connect();
        TransportAddress from = call.pb.address();
        TransportAddress to = call.pa.address();
        var session = call.a.media().session();
        long unclaimed = call.a.unclaimed();
        long srtpDropped = session.srtpDropCount() + session.malformedCount();
        // RTP (first byte 128..191) on the authenticated pair: SRTP is keyed, and rejects a packet without its tag.
        byte[] rtp = new byte[40];
        rtp[0] = (byte) 0x80;
        call.a.handleInput(call.pump.now(), from, to, ByteBuffer.wrap(rtp));
        assertThat(session.srtpDropCount() + session.malformedCount()).isEqualTo(srtpDropped + 1);
        // 64..79 is TURN ChannelData, which ICE unwraps only from a TURN server: from the peer it is no one's.
        byte[] other = new byte[40];
        other[0] = 70;
        call.a.handleInput(call.pump.now(), from, to, ByteBuffer.wrap(other));
        assertThat(call.a.unclaimed()).isEqualTo(unclaimed + 1);
        // The same from an address ICE never validated does not even get that far.
        call.a.handleInput(call.pump.now(), TransportAddress.parse(Transport.UDP, "10.9.9.9:9"), to,
                ByteBuffer.wrap(rtp));
        assertThat(call.a.unclaimed()).isEqualTo(unclaimed + 1);
        assertThat(session.srtpDropCount() + session.malformedCount()).isEqualTo(srtpDropped + 1);
    }

    @Test
    void consentLossIsDetectedAtTheConfiguredTime() throws Exception {
        Duration consentInterval = Duration.ofSeconds(5);
        Duration failed = Duration.ofSeconds(12);
        RTCSettings settings = RTCSettings.defaults().withIceTimeouts(Duration.ofSeconds(4), failed, consentInterval);
        Call call = new Call(seed(1515), settings);
        call.connect();
        call.pump.runFor(Duration.ofSeconds(7));
        Instant cut = call.pump.now();
        call.impair(1.0);
        call.pump.runUntil(() -> call.failed[0] != null && call.failed[1] != null, Duration.ofMinutes(1));
        // The last consent answer came at most one interval (less its RFC 7675 jitter) before the cut.
        for (Instant at : call.failed) {
            assertThat(at).as("ICE %s / %s at %s after the cut", call.a.ice().connectionState(),
                    call.b.ice().connectionState(), Duration.between(cut, call.pump.now())).isNotNull();
            assertThat(Duration.between(cut, at)).isBetween(failed.minus(consentInterval), failed.plusSeconds(1));
        }
    }
}
