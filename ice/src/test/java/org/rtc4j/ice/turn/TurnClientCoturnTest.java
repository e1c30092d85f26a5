package org.rtc4j.ice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.Coturn;

/**
 * The TURN client against a real coturn, over UDP and over TCP: allocation with long-term credentials,
 * refresh (coturn grants at most 6 s, so refreshes come every 3 s), stale nonces (coturn's nonces last 2 s),
 * permissions, Send and Data indications, a channel and ChannelData both ways, and Deallocate.
 */
class TurnClientCoturnTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void allocatesRefreshesBindsAndRelaysThroughCoturn(Transport transport) throws Exception {
        try (Coturn coturn = Coturn.start("--max-allocate-lifetime=6", "--stale-nonce=2");
                DatagramChannel peer = DatagramChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                RealSocketDriver<TurnEvent> d = new RealSocketDriver<>(local -> new TurnClient(local,
                        transport == Transport.UDP ? coturn.udp() : coturn.tcp(), "alice", "secret",
                        new SecureRandom(), Duration.ofMinutes(10)), transport == Transport.UDP ? coturn.udp() : coturn.tcp())) {
            TurnClient client = (TurnClient) d.engine;
            client.autoChannels(false);
            client.allocate(Instant.now());
            assertThat(d.runUntil(() -> client.state() != TurnClient.State.ALLOCATING, Duration.ofSeconds(5)))
                    .as(coturn.log()).isTrue();
            assertThat(client.state()).as(d.events + coturn.log()).isEqualTo(TurnClient.State.ALLOCATED);
            TurnEvent.Allocated allocated = (TurnEvent.Allocated) d.events.stream()
                    .filter(e -> e instanceof TurnEvent.Allocated).findFirst().orElseThrow();
            assertThat(allocated.relayed().ip()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(allocated.mapped().port()).isEqualTo(d.local.port());
            assertThat(allocated.lifetime()).isLessThanOrEqualTo(Duration.ofSeconds(6));

            // Send indication out (the permission is created on the way), Data indication back.
            TransportAddress peerAddress = TransportAddress.of(Transport.UDP, (InetSocketAddress) peer.getLocalAddress());
            peer.configureBlocking(false);
            assertThat(client.send(Instant.now(), peerAddress, utf8("via send indication"))).isTrue();
            ByteBuffer got = ByteBuffer.allocate(2000);
            InetSocketAddress[] from = new InetSocketAddress[1];
            assertThat(d.runUntil(() -> receive(peer, got, from), Duration.ofSeconds(3))).isTrue();
            assertThat(text(got)).isEqualTo("via send indication");
            assertThat(from[0].getPort()).isEqualTo(allocated.relayed().port());
            peer.send(utf8("via data indication"), allocated.relayed().socketAddress());
            assertThat(d.runUntil(() -> hasData(d, "via data indication"), Duration.ofSeconds(3))).isTrue();

            // A channel: ChannelData both ways.
            int channel = client.bindChannel(Instant.now(), peerAddress);
            assertThat(d.runUntil(() -> client.channel(peerAddress) == channel, Duration.ofSeconds(3))).isTrue();
            client.send(Instant.now(), peerAddress, utf8("via channel"));
            got.clear();
            assertThat(d.runUntil(() -> receive(peer, got, from), Duration.ofSeconds(3))).isTrue();
            assertThat(text(got)).isEqualTo("via channel");
            peer.send(utf8("back via channel"), allocated.relayed().socketAddress());
            assertThat(d.runUntil(() -> hasData(d, "back via channel"), Duration.ofSeconds(3))).isTrue();

            // Refreshes before the 6 s lifetime ends, through stale nonces; the relay still works after 8 s.
            d.runUntil(() -> false, Duration.ofSeconds(8));
            assertThat(client.state()).as(d.events.toString()).isEqualTo(TurnClient.State.ALLOCATED);
            assertThat(d.events.stream().filter(e -> e instanceof TurnEvent.Refreshed).count()).isGreaterThanOrEqualTo(2);
            assertThat(client.stats().staleNonces()).isPositive();
            peer.send(utf8("still here"), allocated.relayed().socketAddress());
            assertThat(d.runUntil(() -> hasData(d, "still here"), Duration.ofSeconds(3))).isTrue();

            // Deallocate: coturn answers, and then lets the relayed address go (over TCP: closes the connection).
            client.close(Instant.now());
            assertThat(d.runUntil(() -> client.state() == TurnClient.State.CLOSED, Duration.ofSeconds(3))).isTrue();
            if (transport == Transport.TCP) {
                assertThat(d.runUntil(() -> d.serverClosed, Duration.ofSeconds(3))).isTrue();
            } else {
                // A fresh client on the same socket allocates again: coturn has no allocation for it any more
                // (it would answer 437 Allocation Mismatch).
                d.runUntil(() -> false, Duration.ofMillis(1500));
                TurnClient again = new TurnClient(d.local, coturn.udp(), "alice", "secret", new SecureRandom());
                RealSocketDriver<TurnEvent> d2 = d.replace(again);
                again.allocate(Instant.now());
                assertThat(d2.runUntil(() -> again.state() != TurnClient.State.ALLOCATING, Duration.ofSeconds(3)))
                        .isTrue();
                assertThat(again.state()).as(d2.events.toString()).isEqualTo(TurnClient.State.ALLOCATED);
            }
            assertThat(client.stats().malformed()).isZero();
            assertThat(client.stats().unauthenticated()).isZero();
        }
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        ByteBuffer d = b.duplicate().flip();
        return StandardCharsets.UTF_8.decode(d).toString();
    }

    private static boolean receive(DatagramChannel peer, ByteBuffer into, InetSocketAddress[] from) {
        try {
            into.clear();
            InetSocketAddress a = (InetSocketAddress) peer.receive(into);
            from[0] = a;
            return a != null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean hasData(RealSocketDriver<TurnEvent> d, String text) {
        return d.events.stream().anyMatch(e -> e instanceof TurnEvent.Data data
                && StandardCharsets.UTF_8.decode(data.data().duplicate()).toString().equals(text));
    }
}
