package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttribute.Address;
import org.rtc4j.ice.stun.StunAttribute.Numeric;
import org.rtc4j.ice.stun.StunAttribute.PasswordAlgorithm;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;

/** The TURN engine on a virtual clock, with recorded relay sockets: every error path and every timer. */
class TurnServerTest {

    static final InetAddress RELAY_IP = TransportAddress.parseIp("192.0.2.10");
    static final TransportAddress SERVER = TransportAddress.udp(RELAY_IP, 3478);
    static final TransportAddress CLIENT = TransportAddress.udp(TransportAddress.parseIp("198.51.100.1"), 40000);
    static final TransportAddress PEER = TransportAddress.udp(TransportAddress.parseIp("8.8.4.4"), 5000);

    /** Relay sockets that exist only as a set. */
    static final class FakeSockets {
        final Set<TransportAddress> open = new HashSet<>();
        final List<TransportAddress> asked = new ArrayList<>();
        boolean refuse;
        /** Ports refused before the others open (taken by someone else). */
        int refuseFirst;
    }

    /**
     * The server as a driver runs it: after every call its events are served at once, relay sockets opened
     * (unless refused) and closed in {@link FakeSockets}.
     */
    static final class Driven {
        final TurnServer engine;
        final FakeSockets sockets;

        Driven(TurnServerConfig config, FakeSockets sockets) {
            this.engine = new TurnServer(config);
            this.sockets = sockets;
        }

        void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
            engine.handleInput(now, source, destination, data);
            serve(now);
        }

        void handleTimeout(Instant now) {
            engine.handleTimeout(now);
            serve(now);
        }

        boolean relay(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data,
                      ByteBuffer out) {
            boolean taken = engine.relay(now, source, destination, data, out);
            serve(now);
            return taken;
        }

        void connectionClosed(Instant now, TransportAddress local, TransportAddress remote) {
            engine.connectionClosed(now, local, remote);
            serve(now);
        }

        Transmit pollTransmit() {
            return engine.pollTransmit();
        }

        Instant pollTimeout() {
            return engine.pollTimeout();
        }

        boolean inUse(TransportAddress local, TransportAddress remote) {
            return engine.inUse(local, remote);
        }

        TransportAddress relayedFrom() {
            return engine.relayedFrom();
        }

        TransportAddress relayedTo() {
            return engine.relayedTo();
        }

        TurnStats stats() {
            return engine.stats();
        }

        private void serve(Instant now) {
            for (TurnEvent e; (e = engine.pollEvent()) != null; ) {
                switch (e) {
                    case TurnEvent.OpenRelay o -> {
                        sockets.asked.add(o.relay());
                        boolean ok = !sockets.refuse && sockets.refuseFirst-- <= 0 && sockets.open.add(o.relay());
                        engine.relayOpened(now, o.relay(), ok);
                    }
                    case TurnEvent.CloseRelay c -> sockets.open.remove(c.relay());
                }
            }
        }
    }

    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final FakeSockets sockets = new FakeSockets();
    Driven server = new Driven(config().build(), sockets);

    static TurnServerConfig.Builder config() {
        return TurnServerConfig.builder().realm("test").user("alice", "secret").user("bob", "pw")
                .relayAddress(RELAY_IP).ports(50000, 50999).authSecret("shared");
    }

    /** A client that answers challenges: the first request learns realm and nonce, later ones sign. */
    final class Client {
        final TransportAddress address;
        final String user;
        final String password;
        int algorithm = PasswordAlgorithm.MD5;
        String nonce;

        Client(TransportAddress address, String user, String password) {
            this.address = address;
            this.user = user;
            this.password = password;
        }

        StunKey key() {
            return StunKey.longTerm(user, "test", password, algorithm);
        }

        StunMessage request(int method, StunAttribute... attributes) {
            if (nonce == null) {
                StunMessage challenge = send(address, unsigned(method, attributes));
                assertThat(challenge.get(StunAttributeType.ERROR_CODE).code()).isEqualTo(401);
                nonce = challenge.get(StunAttributeType.NONCE).value();
            }
            StunMessage response = send(address, signed(method, TransactionId.random(), attributes));
            if (response.messageClass() == StunClass.ERROR_RESPONSE
                    && response.get(StunAttributeType.ERROR_CODE).code() == 438) {
                nonce = response.get(StunAttributeType.NONCE).value();
                response = send(address, signed(method, TransactionId.random(), attributes));
            }
            return response;
        }

        byte[] unsigned(int method, StunAttribute... attributes) {
            StunMessage.Builder b = StunMessage.request(method);
            for (StunAttribute a : attributes) {
                b.add(a);
            }
            return b.build().toBytes();
        }

        byte[] signed(int method, TransactionId id, StunAttribute... attributes) {
            StunMessage.Builder b = StunMessage.builder(method, StunClass.REQUEST, id);
            for (StunAttribute a : attributes) {
                b.add(a);
            }
            b.add(StunAttribute.username(user)).add(StunAttribute.realm("test")).add(StunAttribute.nonce(nonce));
            if (algorithm != PasswordAlgorithm.MD5) {
                b.add(new StunAttribute.PasswordAlgorithms(List.of(new PasswordAlgorithm(PasswordAlgorithm.MD5),
                        new PasswordAlgorithm(PasswordAlgorithm.SHA256))));
                b.add(new PasswordAlgorithm(algorithm));
            }
            return b.integrity(key()).fingerprint().build().toBytes();
        }

        StunMessage allocate(StunAttribute... extra) {
            List<StunAttribute> attributes = new ArrayList<>(List.of(udpTransport()));
            attributes.addAll(List.of(extra));
            return request(StunMethod.ALLOCATE, attributes.toArray(StunAttribute[]::new));
        }
    }

    final Client alice = new Client(CLIENT, "alice", "secret");

    static Numeric udpTransport() {
        return new Numeric(StunAttributeType.REQUESTED_TRANSPORT.code(), 17);
    }

    static Address peer(TransportAddress peer) {
        return new Address(StunAttributeType.XOR_PEER_ADDRESS.code(), peer.ip(), peer.port());
    }

    /** Where clients' requests arrive (the driver's listening socket). */
    TransportAddress listener = SERVER;

    StunMessage send(TransportAddress from, byte[] bytes) {
        server.handleInput(now, from, listener, ByteBuffer.wrap(bytes));
        Transmit t = server.pollTransmit();
        assertThat(t).as("a response").isNotNull();
        assertThat(t.destination()).isEqualTo(from);
        assertThat(server.pollTransmit()).isNull();
        try {
            return StunMessage.parse(t.bytes());
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    static int code(StunMessage response) {
        assertThat(response.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        return response.get(StunAttributeType.ERROR_CODE).code();
    }

    static TransportAddress relayOf(StunMessage allocateResponse) {
        Address relay = allocateResponse.get(StunAttributeType.XOR_RELAYED_ADDRESS);
        return TransportAddress.udp(relay.ip(), relay.port());
    }

    // --- Allocate and authentication --------------------------------------------------------------------

    @Test
    void bindingNeedsNoCredentials() {
        StunMessage r = send(CLIENT, StunMessage.request(StunMethod.BINDING).build().toBytes());
        assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(r.get(StunAttributeType.XOR_MAPPED_ADDRESS).port()).isEqualTo(CLIENT.port());
    }

    @Test
    void anUnauthenticatedRequestGetsOnlyTheChallenge() {
        StunMessage r = send(CLIENT, alice.unsigned(StunMethod.ALLOCATE, udpTransport()));
        assertThat(code(r)).isEqualTo(401);
        assertThat(r.get(StunAttributeType.REALM).value()).isEqualTo("test");
        assertThat(r.get(StunAttributeType.NONCE).value()).startsWith("obMatJos2");
        assertThat(r.get(StunAttributeType.PASSWORD_ALGORITHMS).algorithms()).hasSize(2);
        assertThat(r.hasIntegrity()).isFalse();
        assertThat(r.attributes()).extracting(StunAttribute::type).containsExactly(
                StunAttributeType.ERROR_CODE.code(), StunAttributeType.REALM.code(), StunAttributeType.NONCE.code(),
                StunAttributeType.PASSWORD_ALGORITHMS.code());
        assertThat(sockets.open).isEmpty();
    }

    @Test
    void allocatesARelayAndSignsTheAnswer() {
        StunMessage r = alice.allocate();
        assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(r.verifyIntegrity(alice.key())).isTrue();
        TransportAddress relay = relayOf(r);
        assertThat(relay.ip()).isEqualTo(RELAY_IP);
        assertThat(relay.port()).isBetween(50000, 50999);
        assertThat(sockets.open).containsExactly(relay);
        assertThat(r.get(StunAttributeType.LIFETIME).value()).isEqualTo(600);
        assertThat(r.get(StunAttributeType.XOR_MAPPED_ADDRESS).port()).isEqualTo(CLIENT.port());
        assertThat(server.stats().allocations()).isEqualTo(1);
    }

    @Test
    void sha256PasswordAlgorithmWorksAndAForeignListIsRefused() {
        alice.algorithm = PasswordAlgorithm.SHA256;
        StunMessage r = alice.allocate();
        assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(r.verifyIntegrity(alice.key())).isTrue();

        Client bob = new Client(TransportAddress.udp(CLIENT.ip(), 40001), "bob", "pw");
        StunMessage challenge = send(bob.address, bob.unsigned(StunMethod.ALLOCATE, udpTransport()));
        bob.nonce = challenge.get(StunAttributeType.NONCE).value();
        StunMessage.Builder b = StunMessage.request(StunMethod.ALLOCATE).add(udpTransport())
                .add(StunAttribute.username("bob")).add(StunAttribute.realm("test"))
                .add(StunAttribute.nonce(bob.nonce))
                .add(new StunAttribute.PasswordAlgorithms(List.of(new PasswordAlgorithm(PasswordAlgorithm.MD5))))
                .add(new PasswordAlgorithm(PasswordAlgorithm.MD5));
        assertThat(code(send(bob.address, b.integrity(bob.key()).build().toBytes()))).isEqualTo(400);
    }

    @Test
    void wrongPasswordsAndUnknownUsersGet401AndAreCounted() {
        Client mallory = new Client(CLIENT, "alice", "guess");
        assertThat(code(mallory.allocate())).isEqualTo(401);
        Client nobody = new Client(TransportAddress.udp(CLIENT.ip(), 1), "nobody", "x");
        assertThat(code(nobody.allocate())).isEqualTo(401);
        assertThat(server.stats().authFailures()).isEqualTo(2);
        assertThat(sockets.open).isEmpty();
    }

    @Test
    void integrityWithoutRealmOrNonceIs400() {
        byte[] m = StunMessage.request(StunMethod.ALLOCATE).add(udpTransport()).add(StunAttribute.username("alice"))
                .integrity(alice.key()).build().toBytes();
        assertThat(code(send(CLIENT, m))).isEqualTo(400);
    }

    @Test
    void anExpiredNonceIs438WithAFreshOne() {
        StunMessage first = send(CLIENT, alice.unsigned(StunMethod.ALLOCATE, udpTransport()));
        alice.nonce = first.get(StunAttributeType.NONCE).value();
        now = now.plus(Duration.ofMinutes(11));
        StunMessage stale = send(CLIENT, alice.signed(StunMethod.ALLOCATE, TransactionId.random(), udpTransport()));
        assertThat(code(stale)).isEqualTo(438);
        assertThat(stale.get(StunAttributeType.NONCE).value()).isNotEqualTo(alice.nonce);
        // A nonce given to another client address is not accepted either.
        Client other = new Client(TransportAddress.udp(TransportAddress.parseIp("198.51.100.2"), 40000), "alice",
                "secret");
        other.nonce = stale.get(StunAttributeType.NONCE).value();
        assertThat(code(send(other.address, other.signed(StunMethod.ALLOCATE, TransactionId.random(),
                udpTransport())))).isEqualTo(438);
    }

    @Test
    void restApiCredentialsWorkUntilTheyExpire() throws Exception {
        String username = (now.getEpochSecond() + 3600) + ":carol";
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("shared".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String password = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        Client carol = new Client(TransportAddress.udp(CLIENT.ip(), 40002), username, password);
        assertThat(carol.allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        String expired = (now.getEpochSecond() - 1) + ":dave";
        String expiredPassword = Base64.getEncoder().encodeToString(
                mac.doFinal(expired.getBytes(StandardCharsets.UTF_8)));
        Client dave = new Client(TransportAddress.udp(CLIENT.ip(), 40003), expired, expiredPassword);
        assertThat(code(dave.allocate())).isEqualTo(401);
    }

    @Test
    void allocateErrors() {
        assertThat(code(alice.request(StunMethod.ALLOCATE))).isEqualTo(400);
        assertThat(code(alice.request(StunMethod.ALLOCATE,
                new Numeric(StunAttributeType.REQUESTED_TRANSPORT.code(), 6)))).isEqualTo(442);
        StunMessage df = alice.allocate(new StunAttribute.Flag(StunAttributeType.DONT_FRAGMENT.code()));
        assertThat(code(df)).isEqualTo(420);
        assertThat(df.get(StunAttributeType.UNKNOWN_ATTRIBUTES).types()).containsExactly(0x001A);
        assertThat(code(alice.allocate(new StunAttribute.Opaque(0x7ABC, new byte[4])))).isEqualTo(420);
        assertThat(code(alice.allocate(new Numeric(StunAttributeType.REQUESTED_ADDRESS_FAMILY.code(), 2))))
                .isEqualTo(440);
        assertThat(code(alice.allocate(new Numeric(StunAttributeType.REQUESTED_ADDRESS_FAMILY.code(), 1),
                new Numeric(StunAttributeType.ADDITIONAL_ADDRESS_FAMILY.code(), 2)))).isEqualTo(400);
        assertThat(code(alice.allocate(new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), 7)))).isEqualTo(508);
        assertThat(code(alice.allocate(new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), 7),
                new Numeric(StunAttributeType.EVEN_PORT.code(), 0)))).isEqualTo(400);
        assertThat(sockets.open).isEmpty();
    }

    @Test
    void evenPortWithReservationHandsTheNextPortToTheTokenHolder() {
        StunMessage first = alice.allocate(new Numeric(StunAttributeType.EVEN_PORT.code(), 1));
        TransportAddress even = relayOf(first);
        assertThat(even.port() % 2).isZero();
        long token = first.get(StunAttributeType.RESERVATION_TOKEN).value();
        assertThat(sockets.open).containsExactlyInAnyOrder(even, even.withPort(even.port() + 1));

        // RFC 8656 section 7.2: a token the server does not know is 508; another user's token is one it
        // does not know for this user, so whoever guesses or overhears it takes nothing.
        Client bob = new Client(TransportAddress.udp(CLIENT.ip(), 40030), "bob", "pw");
        assertThat(code(bob.allocate(new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), token))))
                .isEqualTo(508);
        Client alice2 = new Client(TransportAddress.udp(CLIENT.ip(), 40031), "alice", "secret");
        StunMessage second = alice2.allocate(new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), token));
        assertThat(relayOf(second).port()).isEqualTo(even.port() + 1);
        Client alice3 = new Client(TransportAddress.udp(CLIENT.ip(), 40033), "alice", "secret");
        assertThat(code(alice3.allocate(new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), token))))
                .as("a token is used once").isEqualTo(508);

        // An unused reservation is given up after 30 seconds.
        Client dave = new Client(TransportAddress.udp(CLIENT.ip(), 40032), "bob", "pw");
        TransportAddress other = relayOf(dave.allocate(new Numeric(StunAttributeType.EVEN_PORT.code(), 1)));
        assertThat(sockets.open).contains(other.withPort(other.port() + 1));
        run(Duration.ofSeconds(31));
        assertThat(sockets.open).doesNotContain(other.withPort(other.port() + 1)).contains(other);
    }

    @Test
    void evenPortWithoutReservationGivesAnEvenPort() {
        TransportAddress relay = relayOf(alice.allocate(new Numeric(StunAttributeType.EVEN_PORT.code(), 0)));
        assertThat(relay.port() % 2).isZero();
        assertThat(sockets.open).containsExactly(relay);
    }

    @Test
    void dualStackRequestOnAnIpv4OnlyServerGetsIpv4AndAnAddressError() {
        StunMessage r = alice.allocate(new Numeric(StunAttributeType.ADDITIONAL_ADDRESS_FAMILY.code(), 2));
        assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(r.get(StunAttributeType.ADDRESS_ERROR_CODE).code()).isEqualTo(440);
        assertThat(relayOf(r).ip()).isEqualTo(RELAY_IP);
    }

    @Test
    void dualStackServerGivesTwoRelaysAndHonoursTheFamily() {
        server = new Driven(config().relayAddress(TransportAddress.parseIp("2001:db8::10")).build(), sockets);
        StunMessage r = alice.allocate(new Numeric(StunAttributeType.ADDITIONAL_ADDRESS_FAMILY.code(), 2));
        List<Address> relays = r.attributes().stream().filter(a -> a.type() == 0x0016).map(a -> (Address) a).toList();
        assertThat(relays).hasSize(2);
        assertThat(relays.get(1).isIpv6()).isTrue();
        assertThat(sockets.open).hasSize(2);

        Client v6only = new Client(TransportAddress.udp(CLIENT.ip(), 40010), "bob", "pw");
        StunMessage v6 = v6only.allocate(new Numeric(StunAttributeType.REQUESTED_ADDRESS_FAMILY.code(), 2));
        assertThat(relayOf(v6).isIpv6()).isTrue();
        assertThat(code(v6only.request(StunMethod.CREATE_PERMISSION, peer(PEER)))).isEqualTo(443);
    }

    @Test
    void coturnsDraftAdditionalFamilyTypeWorksAndOneFamilyCanBeGivenUp() {
        server = new Driven(config().relayAddress(TransportAddress.parseIp("2001:db8::10")).build(), sockets);
        StunMessage r = alice.allocate(new StunAttribute.Opaque(0x8032, new byte[] {2, 0, 0, 0}));
        assertThat(r.attributes().stream().filter(a -> a.type() == 0x0016).count()).isEqualTo(2);
        assertThat(sockets.open).hasSize(2);
        StunMessage dropV6 = alice.request(StunMethod.REFRESH, new Numeric(0x000D, 0),
                new Numeric(StunAttributeType.REQUESTED_ADDRESS_FAMILY.code(), 2));
        assertThat(dropV6.get(StunAttributeType.LIFETIME).value()).isZero();
        assertThat(sockets.open).hasSize(1);
        assertThat(sockets.open.iterator().next().isIpv6()).isFalse();
        assertThat(code(alice.request(StunMethod.REFRESH,
                new Numeric(StunAttributeType.REQUESTED_ADDRESS_FAMILY.code(), 2)))).isEqualTo(443);
        assertThat(alice.request(StunMethod.REFRESH).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void aSecondAllocateIs437UnlessItIsARetransmission() {
        alice.allocate();
        assertThat(code(alice.allocate())).isEqualTo(437);
        TransactionId id = TransactionId.random();
        Client bob = new Client(TransportAddress.udp(CLIENT.ip(), 40020), "bob", "pw");
        bob.request(StunMethod.REFRESH); // learns the nonce (437: no allocation yet)
        StunMessage first = send(bob.address, bob.signed(StunMethod.ALLOCATE, id, udpTransport()));
        StunMessage again = send(bob.address, bob.signed(StunMethod.ALLOCATE, id, udpTransport()));
        assertThat(again.get(StunAttributeType.XOR_RELAYED_ADDRESS))
                .isEqualTo(first.get(StunAttributeType.XOR_RELAYED_ADDRESS));
        assertThat(server.stats().allocations()).isEqualTo(2);
    }

    @Test
    void requestsWithoutAnAllocationAre437AndAnotherUserIs441() {
        assertThat(code(alice.request(StunMethod.REFRESH))).isEqualTo(437);
        assertThat(code(alice.request(StunMethod.CREATE_PERMISSION, peer(PEER)))).isEqualTo(437);
        alice.allocate();
        Client bob = new Client(CLIENT, "bob", "pw");
        assertThat(code(bob.request(StunMethod.REFRESH))).isEqualTo(441);
    }

    @Test
    void quotasPerUserAndInTotal() {
        server = new Driven(config().maxAllocationsPerUser(2).maxAllocations(3).build(), sockets);
        for (int i = 0; i < 2; i++) {
            assertThat(new Client(TransportAddress.udp(CLIENT.ip(), 41000 + i), "alice", "secret").allocate()
                    .messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
        assertThat(code(new Client(TransportAddress.udp(CLIENT.ip(), 41002), "alice", "secret").allocate()))
                .isEqualTo(486);
        assertThat(new Client(TransportAddress.udp(CLIENT.ip(), 41003), "bob", "pw").allocate().messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(code(new Client(TransportAddress.udp(CLIENT.ip(), 41004), "bob", "pw").allocate()))
                .isEqualTo(508);
        // Counted by code for /metrics: one of each refusal, and the 401 that starts every client's first request.
        TurnStats stats = server.stats();
        assertThat(stats.rejected(486)).isEqualTo(1);
        assertThat(stats.rejected(508)).isEqualTo(1);
        assertThat(stats.rejected(401)).isEqualTo(5);
        assertThat(stats.rejected(437)).isZero();
        assertThat(stats.prometheus()).contains("rtc4j_turn_rejected_requests_total{code=\"486\"} 1\n");
    }

    @Test
    void noFreeRelayPortIs508() {
        sockets.refuse = true;
        assertThat(code(alice.allocate())).isEqualTo(508);
        assertThat(sockets.asked).hasSize(32); // one port after another, then the server gives up
    }

    @Test
    void aPortTheDriverCannotOpenIsReplacedByAnother() {
        sockets.refuseFirst = 3;
        StunMessage r = alice.allocate();
        assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(sockets.asked).hasSize(4).doesNotHaveDuplicates();
        assertThat(sockets.open).containsExactly(relayOf(r));
    }

    @Test
    void theAnswerWaitsForTheDriverToOpenTheRelay() {
        TurnServer engine = new TurnServer(config().build());
        Client bob = new Client(TransportAddress.udp(CLIENT.ip(), 41010), "bob", "pw");
        engine.handleInput(now, bob.address, SERVER, ByteBuffer.wrap(bob.unsigned(StunMethod.ALLOCATE, udpTransport())));
        bob.nonce = parse(engine.pollTransmit()).get(StunAttributeType.NONCE).value();
        engine.handleInput(now, bob.address, SERVER, ByteBuffer.wrap(bob.signed(StunMethod.ALLOCATE,
                TransactionId.random(), udpTransport())));
        assertThat(engine.pollTransmit()).as("no answer before the relay socket exists").isNull();
        TurnEvent.OpenRelay open = (TurnEvent.OpenRelay) engine.pollEvent();
        assertThat(engine.pollEvent()).isNull();
        engine.relayOpened(now.plusMillis(1), open.relay(), true);
        StunMessage r = parse(engine.pollTransmit());
        assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(relayOf(r)).isEqualTo(open.relay());
        // an answer nobody waits for any more: the socket is closed again
        TransportAddress stray = open.relay().withPort(open.relay().port() + 1);
        engine.relayOpened(now, stray, true);
        assertThat(engine.pollEvent()).isEqualTo(new TurnEvent.CloseRelay(stray));
    }

    // --- Permissions, channels and data -----------------------------------------------------------------

    @Test
    void specialPurposePeersAreForbidden() {
        alice.allocate();
        for (String ip : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.1.1", "224.0.0.1",
                "0.0.0.0", "100.64.0.1", "255.255.255.255", "192.0.2.1")) {
            TransportAddress p = TransportAddress.udp(TransportAddress.parseIp(ip), 1);
            assertThat(code(alice.request(StunMethod.CREATE_PERMISSION, peer(p)))).as(ip).isEqualTo(403);
        }
        assertThat(code(alice.request(StunMethod.CREATE_PERMISSION))).isEqualTo(400);
        TransportAddress v6 = TransportAddress.udp(TransportAddress.parseIp("2606:4700::1"), 1);
        assertThat(code(alice.request(StunMethod.CREATE_PERMISSION, peer(v6)))).isEqualTo(443);
    }

    @Test
    void loopbackPeersWhenAllowed() {
        server = new Driven(config().allowLoopbackPeers(true).build(), sockets);
        alice.allocate();
        TransportAddress loop = TransportAddress.udp(TransportAddress.parseIp("127.0.0.1"), 9);
        assertThat(alice.request(StunMethod.CREATE_PERMISSION, peer(loop)).messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        TransportAddress lan = TransportAddress.udp(TransportAddress.parseIp("10.0.0.1"), 9);
        assertThat(code(alice.request(StunMethod.CREATE_PERMISSION, peer(lan)))).isEqualTo(403);
    }

    @Test
    void sendAndDataIndicationsNeedAPermission() throws ParseException {
        TransportAddress relay = relayOf(alice.allocate());
        byte[] send = sendIndication(PEER, "hello");
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(send));
        assertThat(server.pollTransmit()).as("no permission yet").isNull();
        server.handleInput(now, PEER, relay, ByteBuffer.wrap("in".getBytes()));
        assertThat(server.pollTransmit()).as("no permission yet").isNull();

        assertThat(alice.request(StunMethod.CREATE_PERMISSION, peer(PEER)).messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(send));
        Transmit out = server.pollTransmit();
        assertThat(out.source()).isEqualTo(relay);
        assertThat(out.destination()).isEqualTo(PEER);
        assertThat(new String(out.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello");

        server.handleInput(now, PEER, relay, ByteBuffer.wrap("reply".getBytes()));
        Transmit in = server.pollTransmit();
        assertThat(in.source()).isEqualTo(SERVER);
        assertThat(in.destination()).isEqualTo(CLIENT);
        StunMessage data = StunMessage.parse(in.bytes());
        assertThat(data.method()).isEqualTo(StunMethod.DATA);
        assertThat(data.messageClass()).isEqualTo(StunClass.INDICATION);
        assertThat(data.get(StunAttributeType.XOR_PEER_ADDRESS).port()).isEqualTo(PEER.port());
        assertThat(new String(data.get(StunAttributeType.DATA).value(), StandardCharsets.UTF_8)).isEqualTo("reply");

        // Permissions are per IP: another port of the same peer is let through.
        server.handleInput(now, PEER.withPort(6000), relay, ByteBuffer.wrap("x".getBytes()));
        assertThat(server.pollTransmit()).isNotNull();
        TurnStats stats = server.stats();
        assertThat(stats.packetsToPeers()).isEqualTo(1);
        assertThat(stats.bytesToClients()).isEqualTo(6);
        assertThat(stats.prometheus()).contains("rtc4j_turn_allocations 1",
                "rtc4j_turn_relayed_bytes_total{direction=\"to_peer\"} 5");
    }

    @Test
    void channelsCarryDataBothWays() {
        TransportAddress relay = relayOf(alice.allocate());
        assertThat(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4001), peer(PEER)).messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(channelData(0x4001, "abc")));
        Transmit out = server.pollTransmit();
        assertThat(out.destination()).isEqualTo(PEER);
        assertThat(new String(out.bytes(), StandardCharsets.UTF_8)).isEqualTo("abc");

        server.handleInput(now, PEER, relay, ByteBuffer.wrap("12345".getBytes()));
        assertThat(server.pollTransmit().bytes()).isEqualTo(channelData(0x4001, "12345"));

        // An unbound channel is dropped; a bad length is malformed.
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(channelData(0x4002, "abc")));
        assertThat(server.pollTransmit()).isNull();
        byte[] bad = channelData(0x4001, "abc");
        bad[3] = 9;
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(bad));
        assertThat(server.pollTransmit()).isNull();
        assertThat(server.stats().malformed()).isEqualTo(1);
    }

    /** The driver's allocation-free path relays and drops exactly as handleInput does. */
    @Test
    void relayPathMatchesTheQueuedPath() throws ParseException {
        TransportAddress relay = relayOf(alice.allocate());
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        ByteBuffer stun = ByteBuffer.wrap(sendIndication(PEER, "hello"));
        assertThat(server.relay(now, CLIENT, SERVER, stun, out)).as("STUN is left to handleInput").isFalse();
        assertThat(stun.remaining()).as("not consumed").isEqualTo(sendIndication(PEER, "hello").length);

        // No permission yet: handled and dropped, as by handleInput.
        assertThat(server.relay(now, PEER, relay, ByteBuffer.wrap("in".getBytes()), out)).isTrue();
        assertThat(out.hasRemaining()).isFalse();
        assertThat(server.stats().dropped()).isEqualTo(1);

        assertThat(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4001), peer(PEER)).messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        ByteBuffer data = ByteBuffer.wrap(channelData(0x4001, "abc"));
        assertThat(server.relay(now, CLIENT, SERVER, data, out)).isTrue();
        assertThat(data.remaining()).as("not consumed").isEqualTo(7);
        assertThat(server.relayedFrom()).isEqualTo(relay);
        assertThat(server.relayedTo()).isEqualTo(PEER);
        assertThat(bytes(out)).isEqualTo("abc".getBytes());

        assertThat(server.relay(now, PEER, relay, ByteBuffer.wrap("12345".getBytes()), out)).isTrue();
        assertThat(server.relayedFrom()).isEqualTo(SERVER);
        assertThat(server.relayedTo()).isEqualTo(CLIENT);
        assertThat(bytes(out)).isEqualTo(channelData(0x4001, "12345"));

        // Another port of the peer has no channel: a Data indication.
        assertThat(server.relay(now, PEER.withPort(6000), relay, ByteBuffer.wrap("x".getBytes()), out)).isTrue();
        StunMessage indication = StunMessage.parse(bytes(out));
        assertThat(indication.method()).isEqualTo(StunMethod.DATA);
        assertThat(indication.get(StunAttributeType.XOR_PEER_ADDRESS).port()).isEqualTo(6000);
        assertThat(indication.get(StunAttributeType.DATA).value()).isEqualTo("x".getBytes());

        // An unbound channel is dropped, a bad length is malformed, a message larger than out is left over.
        assertThat(server.relay(now, CLIENT, SERVER, ByteBuffer.wrap(channelData(0x4002, "abc")), out)).isTrue();
        assertThat(out.hasRemaining()).isFalse();
        byte[] bad = channelData(0x4001, "abc");
        bad[3] = 9;
        assertThat(server.relay(now, CLIENT, SERVER, ByteBuffer.wrap(bad), out)).isTrue();
        assertThat(out.hasRemaining()).isFalse();
        assertThat(server.relay(now, CLIENT, SERVER, ByteBuffer.wrap(channelData(0x4001, "x".repeat(3000))), out))
                .isFalse();
        assertThat(server.pollTransmit()).isNull();
        TurnStats stats = server.stats();
        assertThat(stats.packetsToPeers()).isEqualTo(1);
        assertThat(stats.bytesToPeers()).isEqualTo(3);
        assertThat(stats.packetsToClients()).isEqualTo(2);
        assertThat(stats.bytesToClients()).isEqualTo(6);
        assertThat(stats.dropped()).isEqualTo(2);
        assertThat(stats.malformed()).isEqualTo(1);
    }

    @Test
    void relayPathLeavesTcpClientsToTheQueue() {
        TransportAddress tcpClient = TransportAddress.tcp(CLIENT.ip(), 40001);
        TransportAddress tcpServer = TransportAddress.tcp(SERVER.ip(), SERVER.port());
        Client bob = new Client(tcpClient, "alice", "secret");
        // Over TCP the requests go to the TCP listener.
        TransportAddress relay = relayOf(sendTo(bob, tcpServer));
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        assertThat(server.relay(now, PEER, relay, ByteBuffer.wrap("12345".getBytes()), out)).isFalse();
        assertThat(server.stats().dropped()).as("nothing counted: handleInput will").isZero();
    }

    private StunMessage sendTo(Client client, TransportAddress listener) {
        StunMessage challenge = exchange(client.address, listener, client.unsigned(StunMethod.ALLOCATE, udpTransport()));
        client.nonce = challenge.get(StunAttributeType.NONCE).value();
        return exchange(client.address, listener, client.signed(StunMethod.ALLOCATE, TransactionId.random(),
                udpTransport()));
    }

    private StunMessage exchange(TransportAddress from, TransportAddress to, byte[] bytes) {
        server.handleInput(now, from, to, ByteBuffer.wrap(bytes));
        try {
            return StunMessage.parse(server.pollTransmit().bytes());
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(ByteBuffer out) {
        byte[] b = new byte[out.remaining()];
        out.duplicate().get(b);
        return b;
    }

    @Test
    void channelBindErrors() {
        alice.allocate();
        assertThat(code(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x3FFF), peer(PEER))))
                .isEqualTo(400);
        assertThat(code(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x7FFF), peer(PEER))))
                .isEqualTo(400);
        assertThat(code(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4000)))).isEqualTo(400);
        assertThat(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4000), peer(PEER)).messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(code(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4000),
                peer(PEER.withPort(1))))).isEqualTo(400);
        assertThat(code(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4001), peer(PEER))))
                .isEqualTo(400);
        TransportAddress lan = TransportAddress.udp(TransportAddress.parseIp("10.0.0.1"), 9);
        assertThat(code(alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4002), peer(lan))))
                .isEqualTo(403);
    }

    @Test
    void theBandwidthCapDropsTheExcess() {
        server = new Driven(config().maxBytesPerSecond(1000).build(), sockets);
        alice.allocate();
        alice.request(StunMethod.CREATE_PERMISSION, peer(PEER));
        byte[] send = sendIndication(PEER, "x".repeat(400));
        int sent = 0;
        for (int i = 0; i < 5; i++) {
            server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(send));
            if (server.pollTransmit() != null) {
                sent++;
            }
        }
        assertThat(sent).isEqualTo(2);
        now = now.plusSeconds(1);
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(send));
        assertThat(server.pollTransmit()).isNotNull();
    }

    // --- Timers -----------------------------------------------------------------------------------------

    @Test
    void allocationsExpireUnlessRefreshed() {
        TransportAddress relay = relayOf(alice.allocate());
        assertThat(server.pollTimeout()).isNotNull();
        run(Duration.ofMinutes(9));
        StunMessage refreshed = alice.request(StunMethod.REFRESH, new Numeric(0x000D, 1200));
        assertThat(refreshed.get(StunAttributeType.LIFETIME).value()).isEqualTo(1200);
        run(Duration.ofMinutes(19));
        assertThat(sockets.open).containsExactly(relay);
        run(Duration.ofMinutes(2));
        assertThat(sockets.open).isEmpty();
        assertThat(server.stats().allocations()).isZero();
        assertThat(server.pollTimeout()).isNull();
        assertThat(code(alice.request(StunMethod.REFRESH))).isEqualTo(437);
    }

    @Test
    void refreshWithLifetimeZeroDeletesAndLifetimesAreClamped() {
        StunMessage r = alice.allocate(new Numeric(0x000D, 999_999));
        assertThat(r.get(StunAttributeType.LIFETIME).value()).isEqualTo(3600);
        assertThat(alice.request(StunMethod.REFRESH, new Numeric(0x000D, 1)).get(StunAttributeType.LIFETIME).value())
                .isEqualTo(600);
        assertThat(alice.request(StunMethod.REFRESH, new Numeric(0x000D, 0)).get(StunAttributeType.LIFETIME).value())
                .isZero();
        assertThat(sockets.open).isEmpty();
        assertThat(code(alice.request(StunMethod.REFRESH,
                new Numeric(StunAttributeType.REQUESTED_ADDRESS_FAMILY.code(), 1)))).isEqualTo(437);
    }

    @Test
    void aTcpAllocationEndsWithItsConnection() {
        TransportAddress tcpClient = TransportAddress.tcp(CLIENT.ip(), 40100);
        TransportAddress tcpServer = TransportAddress.tcp(RELAY_IP, 3478);
        Client overTcp = new Client(tcpClient, "alice", "secret");
        // The helper's send() goes to SERVER; over TCP the server address is the listener's TCP address.
        server.handleInput(now, tcpClient, tcpServer, ByteBuffer.wrap(overTcp.unsigned(StunMethod.ALLOCATE,
                udpTransport())));
        overTcp.nonce = parse(server.pollTransmit()).get(StunAttributeType.NONCE).value();
        server.handleInput(now, tcpClient, tcpServer, ByteBuffer.wrap(overTcp.signed(StunMethod.ALLOCATE,
                TransactionId.random(), udpTransport())));
        Transmit response = server.pollTransmit();
        assertThat(response.destination()).isEqualTo(tcpClient);
        assertThat(parse(response).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(server.inUse(tcpServer, tcpClient)).isTrue();
        assertThat(server.inUse(tcpServer, tcpClient.withPort(1))).isFalse();
        server.connectionClosed(now, tcpServer, tcpClient);
        assertThat(server.inUse(tcpServer, tcpClient)).isFalse();
        assertThat(sockets.open).isEmpty();
    }

    private static StunMessage parse(Transmit t) {
        try {
            return StunMessage.parse(t.bytes());
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refreshOfAnotherFamilyIs443() {
        alice.allocate();
        assertThat(code(alice.request(StunMethod.REFRESH,
                new Numeric(StunAttributeType.REQUESTED_ADDRESS_FAMILY.code(), 2)))).isEqualTo(443);
    }

    @Test
    void permissionsLastFiveMinutesAndChannelsTen() {
        TransportAddress relay = relayOf(alice.allocate(new Numeric(0x000D, 3600)));
        alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4000), peer(PEER));
        run(Duration.ofSeconds(299));
        assertThat(peerGetsThrough(relay)).isTrue();
        run(Duration.ofSeconds(2));
        assertThat(peerGetsThrough(relay)).as("permission expired after 300 s").isFalse();
        // Refreshing the channel refreshes the permission too.
        alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4000), peer(PEER));
        assertThat(peerGetsThrough(relay)).isTrue();
        run(Duration.ofSeconds(280));
        alice.request(StunMethod.CREATE_PERMISSION, peer(PEER));
        run(Duration.ofSeconds(280)); // channel bound 560 s ago: still there
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(channelData(0x4000, "a")));
        assertThat(server.pollTransmit()).isNotNull();
        run(Duration.ofSeconds(60)); // 620 s: channel gone, permission (refreshed 340 s ago)... gone too
        alice.request(StunMethod.CREATE_PERMISSION, peer(PEER));
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(channelData(0x4000, "a")));
        assertThat(server.pollTransmit()).as("channel expired after 600 s").isNull();
        server.handleInput(now, PEER, relay, ByteBuffer.wrap("b".getBytes()));
        assertThat(server.pollTransmit().bytes()[0]).as("a Data indication now, not ChannelData").isEqualTo((byte) 0);
    }

    /**
     * Whatever a client or a peer sends, the engine neither throws nor grows without bound: valid traffic of
     * an authenticated client mutated at random (seeded), fed from the client, from a peer, to relays.
     */
    @Test
    void mutatedTrafficIsAnsweredOrDropped() {
        server = new Driven(config().allowLoopbackPeers(true).build(), sockets);
        TransportAddress relay = relayOf(alice.allocate());
        alice.request(StunMethod.CHANNEL_BIND, new Numeric(0x000C, 0x4001), peer(PEER));
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(alice.signed(StunMethod.CREATE_PERMISSION, TransactionId.random(), peer(PEER)));
        seeds.add(alice.signed(StunMethod.REFRESH, TransactionId.random(),
                new Numeric(0x000D, 600)));
        seeds.add(alice.signed(StunMethod.CHANNEL_BIND, TransactionId.random(),
                new Numeric(0x000C, 0x4002), peer(PEER.withPort(7))));
        seeds.add(alice.signed(StunMethod.ALLOCATE, TransactionId.random(), udpTransport()));
        seeds.add(StunMessage.request(StunMethod.BINDING).fingerprint().build().toBytes());
        seeds.add(channelData(0x4001, "payload"));
        seeds.add(Bytes.fromHex("0016000c2112a442000000000000000000000000"));

        Random random = new Random(8656);
        for (int i = 0; i < 100_000; i++) {
            byte[] input = seeds.get(random.nextInt(seeds.size())).clone();
            for (int e = 1 + random.nextInt(3); e > 0 && input.length > 0; e--) {
                int at = random.nextInt(input.length);
                switch (random.nextInt(4)) {
                    case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> input[at] = (byte) random.nextInt(256);
                    case 2 -> input = java.util.Arrays.copyOf(input, at);
                    default -> {
                        if (input.length >= 4) {
                            Bytes.putU16(input, 2, random.nextInt(0x10000));
                        }
                    }
                }
            }
            TransportAddress from = switch (random.nextInt(3)) {
                case 0 -> CLIENT;
                case 1 -> PEER;
                default -> TransportAddress.udp(CLIENT.ip(), 1 + random.nextInt(3));
            };
            TransportAddress to = random.nextInt(4) == 0 ? relay : SERVER;
            server.handleInput(now, from, to, ByteBuffer.wrap(input));
            Transmit t;
            while ((t = server.pollTransmit()) != null) {
                assertThat(t.payload().remaining()).isLessThanOrEqualTo(20 + 0xFFFF);
            }
            if (i % 1000 == 0) {
                now = now.plusSeconds(random.nextInt(120));
                server.handleTimeout(now);
            }
        }
        assertThat(server.stats().malformed()).isPositive();
        assertThat(server.stats().allocations()).isLessThanOrEqualTo(
                TurnServerConfig.builder().relayAddress(RELAY_IP).build().maxAllocations());
    }

    private boolean peerGetsThrough(TransportAddress relay) {
        server.handleInput(now, PEER, relay, ByteBuffer.wrap("p".getBytes()));
        return server.pollTransmit() != null;
    }

    /** Advances the virtual clock, firing timers as a driver would. */
    void run(Duration duration) {
        Instant end = now.plus(duration);
        Instant next;
        while ((next = server.pollTimeout()) != null && !next.isAfter(end)) {
            now = next.isAfter(now) ? next : now;
            server.handleTimeout(now);
        }
        now = end;
        server.handleTimeout(now);
    }

    private static byte[] sendIndication(TransportAddress to, String text) {
        return StunMessage.builder(StunMethod.SEND, StunClass.INDICATION, TransactionId.random())
                .add(peer(to))
                .add(new StunAttribute.Opaque(StunAttributeType.DATA.code(), text.getBytes(StandardCharsets.UTF_8)))
                .build().toBytes();
    }

    static byte[] channelData(int channel, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.putShort((short) channel).putShort((short) payload.length).put(payload);
        return b.array();
    }
}
