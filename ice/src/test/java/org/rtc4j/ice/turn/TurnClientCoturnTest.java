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
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.LoopbackPump;
import org.rtc4j.testkit.pump.Pumped;

/**
 * The TURN client against a real coturn, over UDP and over TCP: allocation with long-term credentials,
 * refresh (coturn grants at most 6 s, so refreshes come every 3 s), stale nonces (coturn's nonces last 2 s),
 * permissions, Send and Data indications, a channel and ChannelData both ways, and Deallocate. The client runs
 * on the test kit's loopback pump, on a UDP socket or a TCP connection to coturn.
 */
class TurnClientCoturnTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void allocatesRefreshesBindsAndRelaysThroughCoturn(Transport transport) throws Exception {
        try (Coturn coturn = Coturn.start("--max-allocate-lifetime=6", "--stale-nonce=2");
                DatagramChannel peer = DatagramChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                LoopbackPump pump = EnginePump.loopback()) {
            TransportAddress server = transport == Transport.UDP ? coturn.udp() : coturn.tcp();
            // A client knows its address when it is made: a first one holds the pump's socket (over TCP its
            // connection to coturn, which the client names as port 0 of its IP) until the real one takes over.
            TurnClient unbound = new TurnClient(TransportAddress.parse(transport, "127.0.0.1:0"), server, "alice",
                    "secret", new SecureRandom());
            Pumped<TurnEvent> d = transport == Transport.UDP ? pump.add(unbound) : pump.add(unbound, pump.connect(server));
            TurnClient client = new TurnClient(transport == Transport.UDP ? d.address() : d.address().withPort(0),
                    server, "alice", "secret", new SecureRandom(), Duration.ofMinutes(10));
            d.replace(client);
            client.autoChannels(false);
            client.allocate(Instant.now());
            assertThat(pump.runUntil(() -> client.state() != TurnClient.State.ALLOCATING, Duration.ofSeconds(5)))
                    .as(coturn.log()).isTrue();
            assertThat(client.state()).as(d.events() + coturn.log()).isEqualTo(TurnClient.State.ALLOCATED);
            TurnEvent.Allocated allocated = (TurnEvent.Allocated) d.events().stream()
                    .filter(e -> e instanceof TurnEvent.Allocated).findFirst().orElseThrow();
            assertThat(allocated.relayed().ip()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(allocated.mapped().port()).isEqualTo(d.address().port());
            assertThat(allocated.lifetime()).isLessThanOrEqualTo(Duration.ofSeconds(6));

            // Send indication out (the permission is created on the way), Data indication back.
            TransportAddress peerAddress = TransportAddress.of(Transport.UDP, (InetSocketAddress) peer.getLocalAddress());
            peer.configureBlocking(false);
            assertThat(client.send(Instant.now(), peerAddress, utf8("via send indication"))).isTrue();
            ByteBuffer got = ByteBuffer.allocate(2000);
            InetSocketAddress[] from = new InetSocketAddress[1];
            assertThat(pump.runUntil(() -> receive(peer, got, from), Duration.ofSeconds(3))).isTrue();
            assertThat(text(got)).isEqualTo("via send indication");
            assertThat(from[0].getPort()).isEqualTo(allocated.relayed().port());
            peer.send(utf8("via data indication"), allocated.relayed().socketAddress());
            assertThat(pump.runUntil(() -> hasData(d, "via data indication"), Duration.ofSeconds(3))).isTrue();

            // A channel: ChannelData both ways.
            int channel = client.bindChannel(Instant.now(), peerAddress);
            assertThat(pump.runUntil(() -> client.channel(peerAddress) == channel, Duration.ofSeconds(3))).isTrue();
            client.send(Instant.now(), peerAddress, utf8("via channel"));
            got.clear();
            assertThat(pump.runUntil(() -> receive(peer, got, from), Duration.ofSeconds(3))).isTrue();
            assertThat(text(got)).isEqualTo("via channel");
            peer.send(utf8("back via channel"), allocated.relayed().socketAddress());
            assertThat(pump.runUntil(() -> hasData(d, "back via channel"), Duration.ofSeconds(3))).isTrue();

            // Refreshes before the 6 s lifetime ends, through stale nonces; the relay still works after 8 s.
            pump.runFor(Duration.ofSeconds(8));
            assertThat(client.state()).as(d.events().toString()).isEqualTo(TurnClient.State.ALLOCATED);
            assertThat(d.events().stream().filter(e -> e instanceof TurnEvent.Refreshed).count()).isGreaterThanOrEqualTo(2);
            assertThat(client.stats().staleNonces()).isPositive();
            peer.send(utf8("still here"), allocated.relayed().socketAddress());
            assertThat(pump.runUntil(() -> hasData(d, "still here"), Duration.ofSeconds(3))).isTrue();

            // Deallocate: coturn answers, and then lets the relayed address go (over TCP: closes the connection).
            client.close(Instant.now());
            assertThat(pump.runUntil(() -> client.state() == TurnClient.State.CLOSED, Duration.ofSeconds(3))).isTrue();
            if (transport == Transport.TCP) {
                assertThat(pump.runUntil(() -> pump.closedByServer(d.address()), Duration.ofSeconds(3))).isTrue();
            } else {
                // A fresh client on the same socket allocates again: coturn has no allocation for it any more
                // (it would answer 437 Allocation Mismatch).
                pump.runFor(Duration.ofMillis(1500));
                TurnClient again = new TurnClient(d.address(), coturn.udp(), "alice", "secret", new SecureRandom());
                d.replace(again);
                again.allocate(Instant.now());
                assertThat(pump.runUntil(() -> again.state() != TurnClient.State.ALLOCATING, Duration.ofSeconds(3)))
                        .isTrue();
                assertThat(again.state()).as(d.events().toString()).isEqualTo(TurnClient.State.ALLOCATED);
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

    private static boolean hasData(Pumped<TurnEvent> d, String text) {
        return d.events().stream().anyMatch(e -> e instanceof TurnEvent.Data data
                && StandardCharsets.UTF_8.decode(data.data().duplicate()).toString().equals(text));
    }
}
