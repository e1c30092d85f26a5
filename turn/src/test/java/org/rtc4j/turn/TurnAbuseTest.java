package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.turn.TurnServerTest.CLIENT;
import static org.rtc4j.turn.TurnServerTest.code;
import static org.rtc4j.turn.TurnServerTest.peer;
import static org.rtc4j.turn.TurnServerTest.relayOf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttribute.Numeric;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;

/**
 * Attacks on the TURN server's resources (issue 18 section 3), each as the attacker would run it, on the
 * engine and virtual clock of {@link TurnServerTest}.
 */
class TurnAbuseTest {

    final TurnServerTest t = new TurnServerTest();

    private TurnServerTest.Client client(int port, String user, String password) {
        return t.new Client(TransportAddress.udp(CLIENT.ip(), port), user, password);
    }

    private static Numeric evenPortPair() {
        return new Numeric(StunAttributeType.EVEN_PORT.code(), 1);
    }

    private static Numeric token(long value) {
        return new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), value);
    }

    // --- Reservation tokens --------------------------------------------------------------------------------

    /**
     * Tokens from SplittableRandom give its state away: the generator's output function is invertible and
     * its state moves by a fixed gamma per draw, so the states behind successive tokens satisfy
     * a * (s2 - s1) == b * (s1 - s0) for the small numbers of draws a and b between them; with the state the
     * next token is known. A token must be a secret; from SecureRandom no such relation holds.
     */
    @Test
    void tokensDoNotGiveTheGeneratorAway() {
        long[] states = new long[3];
        for (int i = 0; i < states.length; i++) {
            StunMessage r = client(42000 + i, "alice", "secret").allocate(evenPortPair());
            states[i] = unmix64(r.get(StunAttributeType.RESERVATION_TOKEN).value());
        }
        long d1 = states[1] - states[0];
        long d2 = states[2] - states[1];
        for (long a = 1; a <= 8; a++) {
            for (long b = 1; b <= 8; b++) {
                assertThat(a * d2).as("tokens on the generator's lattice (%d, %d draws)", a, b).isNotEqualTo(b * d1);
            }
        }
    }

    @Test
    void anotherUsersTokenTakesNothing() {
        long victims = client(42010, "alice", "secret").allocate(evenPortPair())
                .get(StunAttributeType.RESERVATION_TOKEN).value();
        assertThat(code(client(42011, "bob", "pw").allocate(token(victims)))).isEqualTo(508);
        assertThat(client(42012, "alice", "secret").allocate(token(victims)).messageClass())
                .as("the victim still gets the port").isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    // --- Quotas ----------------------------------------------------------------------------------------

    @Test
    void reservedPortsCountAgainstTheUsersQuota() {
        t.server = new TurnServerTest.Driven(TurnServerTest.config().maxAllocationsPerUser(4).build(), t.sockets);
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            tokens.add(client(42020 + i, "alice", "secret").allocate(evenPortPair())
                    .get(StunAttributeType.RESERVATION_TOKEN).value());
        }
        assertThat(t.sockets.open).hasSize(4);
        assertThat(code(client(42022, "alice", "secret").allocate(evenPortPair()))).isEqualTo(486);
        assertThat(code(client(42023, "alice", "secret").allocate())).isEqualTo(486);
        assertThat(t.sockets.open).as("no relay socket beyond the quota").hasSize(4);

        // Taking a reservation moves its slot to the allocation; an expired one gives its slot back.
        assertThat(client(42024, "alice", "secret").allocate(token(tokens.get(0))).messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(code(client(42025, "alice", "secret").allocate())).isEqualTo(486);
        t.run(Duration.ofSeconds(31));
        assertThat(t.sockets.open).hasSize(3);
        assertThat(client(42026, "alice", "secret").allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    /** REST credentials are free: one address with a fresh user name per quota still holds only its share. */
    @Test
    void oneAddressWithManyRestUserNamesHoldsOnlyItsQuota() throws Exception {
        t.server = new TurnServerTest.Driven(TurnServerTest.config().maxAllocationsPerUser(2)
                .maxAllocationsPerAddress(5).build(), t.sockets);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("shared".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        int granted = 0;
        for (int i = 0; i < 10; i++) {
            String user = (t.now.getEpochSecond() + 3600) + ":attacker" + i;
            String password = Base64.getEncoder().encodeToString(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
            for (int j = 0; j < 2; j++) {
                StunMessage r = client(43000 + 2 * i + j, user, password).allocate();
                if (r.messageClass() == StunClass.SUCCESS_RESPONSE) {
                    granted++;
                } else {
                    assertThat(code(r)).isEqualTo(486);
                }
            }
        }
        assertThat(granted).isEqualTo(5);
        // Everyone else is unaffected.
        assertThat(t.new Client(TransportAddress.udp(TransportAddress.parseIp("198.51.100.2"), 40000), "bob", "pw")
                .allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    // --- Peers ---------------------------------------------------------------------------------------------

    @Test
    void tunnelAndRelayAnycastPeersAreForbidden() {
        t.server = new TurnServerTest.Driven(TurnServerTest.config()
                .relayAddress(TransportAddress.parseIp("2606:4700::10")).build(), t.sockets);
        TurnServerTest.Client alice = client(42030, "alice", "secret");
        alice.allocate(new Numeric(StunAttributeType.ADDITIONAL_ADDRESS_FAMILY.code(), 2));
        for (String ip : List.of("192.88.99.1", "2002:c058:6301::1", "2001:0:4136:e378::1", "2001::1")) {
            TransportAddress p = TransportAddress.udp(TransportAddress.parseIp(ip), 1);
            assertThat(code(alice.request(StunMethod.CREATE_PERMISSION, peer(p)))).as(ip).isEqualTo(403);
        }
        for (String ip : List.of("192.88.98.1", "2001:4860::1", "2003::1")) {
            TransportAddress p = TransportAddress.udp(TransportAddress.parseIp(ip), 1);
            assertThat(alice.request(StunMethod.CREATE_PERMISSION, peer(p)).messageClass()).as(ip)
                    .isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    /**
     * A nested allocation (an Allocate sent through our own relay to our own port) is how relay loops
     * start: the server's listening ports are refused as peers, on a specific and on the wildcard address
     * (learnt from UDP or TCP requests), and an Allocate arriving from one of our relays is refused. Other allocations' relays stay reachable.
     */
    @Test
    void theServersOwnPortsAreNoPeers() {
        for (TransportAddress listening : List.of(TransportAddress.udp(TransportAddress.parseIp("93.184.216.10"), 3478),
                TransportAddress.udp(TransportAddress.parseIp("0.0.0.0"), 3478),
                TransportAddress.tcp(TransportAddress.parseIp("93.184.216.10"), 3478))) {
            t.sockets.open.clear();
            TransportAddress relayIp = TransportAddress.udp(TransportAddress.parseIp("93.184.216.10"), 3478);
            t.server = new TurnServerTest.Driven(TurnServerConfig.builder().realm("test").user("alice", "secret")
                    .user("bob", "pw").relayAddress(relayIp.ip()).ports(50000, 50999).build(), t.sockets);
            t.listener = listening;
            TurnServerTest.Client alice = client(42040, "alice", "secret");
            TurnServerTest.Client bob = client(42041, "bob", "pw");
            TransportAddress aliceRelay = relayOf(alice.allocate());
            TransportAddress bobRelay = relayOf(bob.allocate());

            assertThat(code(alice.request(StunMethod.CHANNEL_BIND,
                    new Numeric(StunAttributeType.CHANNEL_NUMBER.code(), 0x4000), peer(relayIp)))).isEqualTo(403);
            // The permission is per address: the server's address is one other relays live at.
            assertThat(alice.request(StunMethod.CREATE_PERMISSION, peer(bobRelay)).messageClass())
                    .isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(alice.request(StunMethod.CHANNEL_BIND, new Numeric(StunAttributeType.CHANNEL_NUMBER.code(),
                    0x4001), peer(bobRelay)).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            // A Send indication to the listening port is dropped; one to Bob's relay gets through.
            t.server.handleInput(t.now, alice.address, t.listener, ByteBuffer.wrap(sendIndication(relayIp)));
            assertThat(t.server.pollTransmit()).isNull();
            t.server.handleInput(t.now, alice.address, t.listener, ByteBuffer.wrap(sendIndication(bobRelay)));
            assertThat(t.server.pollTransmit().destination()).isEqualTo(bobRelay);

            // An Allocate from our own relay address: a nested allocation.
            TurnServerTest.Client nested = t.new Client(aliceRelay, "bob", "pw");
            assertThat(code(nested.allocate())).isEqualTo(403);
        }
    }

    private static byte[] sendIndication(TransportAddress to) {
        return StunMessage.builder(StunMethod.SEND, StunClass.INDICATION, TransactionId.random())
                .add(peer(to))
                .add(new StunAttribute.Opaque(StunAttributeType.DATA.code(), new byte[] {1}))
                .build().toBytes();
    }

    // --- SplittableRandom's output function, undone ------------------------------------------------------

    private static long unmix64(long z) {
        z = unxorshift(z, 31) * inverse(0x94d049bb133111ebL);
        z = unxorshift(z, 27) * inverse(0xbf58476d1ce4e5b9L);
        return unxorshift(z, 30);
    }

    private static long unxorshift(long z, int shift) {
        long x = z;
        for (int i = 0; i < 64 / shift + 1; i++) {
            x = z ^ (x >>> shift);
        }
        return x;
    }

    /** The inverse of an odd number modulo 2^64 (Newton's iteration doubles the correct bits). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
}
