package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.mdns.MdnsMessage;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * The runner resolves a peer's {@code .local} candidate over a real socket: against an mDNS responder the
 * test binds on loopback (RFC 6762 section 6.7 legacy unicast), and with the default mDNS groups in the
 * loopback-only namespace, where nothing is sent and the peer is found as peer-reflexive.
 */
class IceMdnsRunnerTest {

    static final String NAME = "6f1e2d3c-1111-2222-3333-444455556666.local";

    /** One agent on loopback; its own candidates go to {@code signal} with the address hidden behind NAME. */
    static IceUdpRunner start(IceAgent agent, IceUdpRunner.Settings settings, java.util.function.Consumer<IceCandidate> signal,
            CompletableFuture<Void> connected) throws Exception {
        return IceUdpRunner.start(agent, settings.addresses(List.of(InetAddress.getLoopbackAddress()))
                .events(e -> {
                    switch (e) {
                        case IceEvent.LocalCandidate c -> signal.accept(c.candidate());
                        case IceEvent.ConnectionStateChanged s when s.state() == IceConnectionState.CONNECTED ->
                                connected.complete(null);
                        default -> {
                        }
                    }
                }));
    }

    static IceCandidate hide(IceCandidate c) {
        return IceCandidate.parse(c.toSdp().replace(" 127.0.0.1 ", " " + NAME + " "));
    }

    @Test
    void resolvesAgainstAResponderOnLoopbackAndChecksTheHiddenAddress() throws Exception {
        LoopbackNamespace.require();
        AtomicInteger queries = new AtomicInteger();
        try (DatagramChannel responder = DatagramChannel.open()) {
            responder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread answering = Thread.ofVirtual().start(() -> {
                ByteBuffer in = ByteBuffer.allocate(1500);
                try {
                    while (true) {
                        in.clear();
                        var from = responder.receive(in);
                        in.flip();
                        int id = MdnsMessage.queryId(in, NAME);
                        queries.incrementAndGet();
                        responder.send(MdnsMessage.response(id, NAME, Duration.ofSeconds(120),
                                InetAddress.getLoopbackAddress()), from);
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            TransportAddress target = TransportAddress.of(Transport.UDP,
                    (InetSocketAddress) responder.getLocalAddress());
            IceAgent a = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLED).build());
            IceAgent b = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLING).build());
            CompletableFuture<Void> aConnected = new CompletableFuture<>();
            CompletableFuture<Void> bConnected = new CompletableFuture<>();
            IceUdpRunner[] runners = new IceUdpRunner[2];
            // A's candidates reach B only as mDNS names; B's never reach A: without resolution nothing connects.
            runners[1] = start(b, IceUdpRunner.Settings.defaults().mdnsTargets(List.of(target)), c -> { },
                    bConnected);
            runners[0] = start(a, IceUdpRunner.Settings.defaults().mdnsTargets(List.of()),
                    c -> runners[1].execute(x -> x.addRemoteCandidate(hide(c))), aConnected);
            try {
                IceCredentials ka = a.localCredentials();
                IceCredentials kb = b.localCredentials();
                runners[0].execute(x -> x.setRemoteCredentials(kb.ufrag(), kb.password()));
                runners[1].execute(x -> x.setRemoteCredentials(ka.ufrag(), ka.password()));
                runners[0].execute(x -> x.gather(runners[0].now()));
                runners[1].execute(x -> x.gather(runners[1].now()));
                bConnected.get(10, TimeUnit.SECONDS);
                aConnected.get(10, TimeUnit.SECONDS);
                CandidatePair pair = runners[1].call(IceAgent::selectedPair).get(5, TimeUnit.SECONDS);
                assertThat(pair.remote().type()).isEqualTo(CandidateType.HOST);
                assertThat(pair.remote().transportAddress()).isEqualTo(runners[0].localAddresses().get(0));
                assertThat(queries.get()).isPositive();
                assertThat(runners[1].mdnsStats().answered()).isEqualTo(1);
                assertThat(runners[1].mdnsSendErrors()).isZero();
            } finally {
                runners[0].close();
                runners[1].close();
            }
            responder.close();
            answering.join(2000);
        }
    }

    @Test
    void withoutMulticastNothingIsSentAndThePeerIsFoundAsPeerReflexive() throws Exception {
        LoopbackNamespace.require();
        // The namespace has loopback only: the runner must see no interface that could carry multicast.
        assertThat(IceUdpRunner.hasMulticastInterface()).isFalse();
        IceAgent a = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLING).build());
        IceAgent b = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLED).build());
        CompletableFuture<Void> aConnected = new CompletableFuture<>();
        CompletableFuture<Void> bConnected = new CompletableFuture<>();
        IceUdpRunner[] runners = new IceUdpRunner[2];
        runners[1] = start(b, IceUdpRunner.Settings.defaults(), c -> runners[0].execute(x -> x.addRemoteCandidate(c)),
                bConnected);
        runners[0] = start(a, IceUdpRunner.Settings.defaults().mdnsTargets(List.of()),
                c -> runners[1].execute(x -> x.addRemoteCandidate(hide(c))), aConnected);
        try {
            IceCredentials ka = a.localCredentials();
            IceCredentials kb = b.localCredentials();
            runners[0].execute(x -> x.setRemoteCredentials(kb.ufrag(), kb.password()));
            runners[1].execute(x -> x.setRemoteCredentials(ka.ufrag(), ka.password()));
            runners[1].execute(x -> x.gather(runners[1].now()));
            runners[0].execute(x -> x.gather(runners[0].now()));
            aConnected.get(10, TimeUnit.SECONDS);
            bConnected.get(10, TimeUnit.SECONDS);
            CandidatePair pair = runners[1].call(IceAgent::selectedPair).get(5, TimeUnit.SECONDS);
            assertThat(pair.remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
            assertThat(runners[1].mdnsSkipped()).isPositive();
            assertThat(runners[1].mdnsStats().queriesSent()).isPositive(); // asked for, then not sent
            assertThat(runners[1].mdnsSendErrors()).isZero();
            // The name times out after the resolver's 2 s; the connection stays up.
            for (int i = 0; i < 50 && runners[1].mdnsStats().timedOut() == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(runners[1].mdnsStats().timedOut()).isEqualTo(1);
            assertThat(runners[1].call(IceAgent::connectionState).get(5, TimeUnit.SECONDS))
                    .isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        } finally {
            runners[0].close();
            runners[1].close();
        }
    }
}
