package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.core.Clock;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.mdns.MdnsMessage;
import org.rtc4j.ice.mdns.MdnsResolver;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * The driver's mDNS sockets over real sockets on a connection's loop: a peer's {@code .local} candidate resolved
 * against a responder the test binds on loopback (RFC 6762 section 6.7, legacy unicast), and, with the mDNS
 * groups in the loopback-only namespace, nothing sent and the name timed out (the peer is then found as
 * peer-reflexive, as the ice module's simulations show).
 */
@Timeout(30)
class MdnsSocketsTest {

    static final String NAME = "6f1e2d3c-1111-2222-3333-444455556666.local";
    static final String CANDIDATE = "candidate:1 1 udp 2113937151 " + NAME + " 5000 typ host";

    @Test
    void resolvesAgainstAResponderOnLoopback() throws Exception {
        LoopbackNamespace.require();
        AtomicInteger queries = new AtomicInteger();
        IoLoop loop = IoLoop.assign(1);
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
            IceAgent agent = agent();
            MdnsSockets[] mdns = new MdnsSockets[1];
            loop.call(() -> {
                mdns[0] = new MdnsSockets(loop, IoLoop.CLOCK, List.of(target), () -> mdns[0].flush(agent));
                agent.addRemoteCandidate(CANDIDATE);
                return mdns[0].flush(agent);
            });
            try {
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!loop.call(() -> resolved(agent)) && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertThat(loop.call(() -> resolved(agent))).isTrue();
                assertThat(queries.get()).isPositive();
                MdnsResolver.Stats stats = loop.call(mdns[0]::stats);
                assertThat(stats.answered()).isEqualTo(1);
                assertThat(loop.call(mdns[0]::sendErrors)).isZero();
            } finally {
                loop.call(() -> {
                    mdns[0].close();
                    return null;
                });
                loop.release();
            }
            responder.close();
            answering.join(2000);
        }
    }

    @Test
    void withoutMulticastNothingIsSentAndTheNameTimesOut() {
        LoopbackNamespace.require();
        // The namespace has loopback only: no interface could carry multicast.
        assertThat(MdnsSockets.hasMulticastInterface()).isFalse();
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = () -> now[0];
        IoLoop loop = IoLoop.assign(1);
        IceAgent agent = agent();
        MdnsSockets mdns = new MdnsSockets(loop, clock, List.of(MdnsResolver.IPV4_GROUP, MdnsResolver.IPV6_GROUP),
                () -> { });
        try {
            agent.addRemoteCandidate(CANDIDATE);
            mdns.flush(agent);
            assertThat(mdns.skipped()).isPositive();
            assertThat(mdns.stats().queriesSent()).isPositive(); // asked for, then not sent
            assertThat(mdns.sendErrors()).isZero();
            for (int i = 0; i < 10 && mdns.pollTimeout() != null; i++) {
                now[0] = mdns.pollTimeout();
                mdns.handleTimeout(now[0]);
                mdns.flush(agent);
            }
            assertThat(mdns.stats().timedOut()).isEqualTo(1);
            assertThat(resolved(agent)).isFalse();
            assertThat(agent.remoteCandidates()).anyMatch(IceCandidate::isMdns);
        } finally {
            mdns.close();
            loop.release();
        }
    }

    private static IceAgent agent() {
        IceAgent agent = new IceAgent(IceConfig.builder().build());
        agent.setRemoteCredentials("abcd", "0123456789012345678901");
        return agent;
    }

    private static boolean resolved(IceAgent agent) {
        return agent.remoteCandidates().stream().anyMatch(c -> c.ip() != null && c.ip().isLoopbackAddress());
    }
}
