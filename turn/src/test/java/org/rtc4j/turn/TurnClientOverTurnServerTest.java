package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;
import org.rtc4j.ice.turn.TurnClient;
import org.rtc4j.ice.turn.TurnEvent.Data;
import org.rtc4j.ice.turn.TurnEvent.Failed;
import org.rtc4j.ice.turn.TurnEvent.Refreshed;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimEndpoint;
import org.rtc4j.testkit.sim.SimEngine;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * The TURN client (module ice) against this module's TURN server over a simulated network: an hour of
 * allocation in milliseconds. Simulated only: the peer's address is one the relay accepts.
 */
class TurnClientOverTurnServerTest {

    static final TransportAddress SERVER = TransportAddress.parse(Transport.UDP, "11.0.0.1:3478");
    static final TransportAddress CLIENT = TransportAddress.parse(Transport.UDP, "12.0.0.5:4000");
    static final TransportAddress PEER = TransportAddress.parse(Transport.UDP, "12.0.0.9:7000");

    final SimNetwork net = new SimNetwork(21);
    SimTurnServer server;
    SimEngine<org.rtc4j.ice.turn.TurnEvent> engine;
    TurnClient client;

    /** The server's nonces last {@code nonceLifetime}; after that a request is answered 438 (Stale Nonce). */
    void start(String password, LinkConfig link, Duration nonceLifetime) {
        net.defaultLink(link);
        server = new SimTurnServer(net, SERVER,
                SimTurnServer.config(SERVER.ip()).nonceLifetime(nonceLifetime).build());
        client = new TurnClient(CLIENT, SERVER, "alice", password, new Random(1), Duration.ofMinutes(10));
        engine = net.add(client, CLIENT);
        client.allocate(net.now());
    }

    void start(String password) {
        start(password, LinkConfig.delay(Duration.ofMillis(15)), Duration.ofHours(1));
    }

    @Test
    void allocatesRefreshesAndSurvivesStaleNoncesForAnHour() {
        // A nonce goes stale every 7 minutes of the hour.
        start("secret", LinkConfig.delay(Duration.ofMillis(15)), Duration.ofMinutes(7));
        assertThat(net.runUntil(() -> client.state() == TurnClient.State.ALLOCATED, Duration.ofSeconds(2))).isTrue();
        SimEndpoint peer = net.endpoint(PEER);
        for (int minute = 0; minute < 60; minute++) {
            client.send(net.now(), PEER, ByteBuffer.wrap(("m" + minute).getBytes(StandardCharsets.UTF_8)));
            net.runFor(Duration.ofMinutes(1));
        }
        assertThat(client.state()).isEqualTo(TurnClient.State.ALLOCATED);
        assertThat(peer.received()).hasSize(60);
        assertThat(engine.events()).filteredOn(e -> e instanceof Refreshed).hasSizeGreaterThanOrEqualTo(6);
        assertThat(client.stats().staleNonces()).isPositive();
        // The permission and the channel were refreshed all along: the peer can still answer through the channel.
        int channel = client.channel(PEER);
        assertThat(channel).isBetween(0x4000, 0x4FFF);
        peer.send(client.relayed(), "answer".getBytes(StandardCharsets.UTF_8));
        net.runFor(Duration.ofMillis(100));
        assertThat(engine.events()).anyMatch(e -> e instanceof Data d
                && StandardCharsets.UTF_8.decode(d.data()).toString().equals("answer"));
        client.close(net.now());
        net.runFor(Duration.ofSeconds(1));
        assertThat(client.state()).isEqualTo(TurnClient.State.CLOSED);
        assertThat(server.engine.stats().allocations()).isZero();
    }

    @Test
    void wrongPasswordFailsWith401() {
        start("wrong");
        net.runFor(Duration.ofSeconds(2));
        assertThat(client.state()).isEqualTo(TurnClient.State.FAILED);
        assertThat(engine.events()).anyMatch(e -> e instanceof Failed f && f.code() == 401);
    }

    @Test
    void silentServerFailsWith701AfterRetransmissions() {
        net.defaultLink(LinkConfig.builder().loss(1.0).build());
        server = new SimTurnServer(net, SERVER, SimTurnServer.config(SERVER.ip()).build());
        client = new TurnClient(CLIENT, SERVER, "alice", "secret", new Random(1));
        engine = net.add(client, CLIENT);
        client.allocate(net.now());
        net.runFor(Duration.ofMinutes(2));
        assertThat(client.state()).isEqualTo(TurnClient.State.FAILED);
        assertThat(engine.events()).anyMatch(e -> e instanceof Failed f && f.code() == 701);
    }

    @Test
    void forgedAndMalformedInputIsDroppedAndCounted() {
        start("secret");
        assertThat(net.runUntil(() -> client.state() == TurnClient.State.ALLOCATED, Duration.ofSeconds(2))).isTrue();
        SimEndpoint stranger = net.endpoint(PEER);
        client.handleInput(net.now(), PEER, CLIENT, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(client.stats().notFromServer()).isEqualTo(1);
        // From the server's address: garbage, an unknown response, data from a peer without permission.
        client.handleInput(net.now(), SERVER, CLIENT, ByteBuffer.wrap(new byte[] {0, 1, 0, 0}));
        client.handleInput(net.now(), SERVER, CLIENT, StunMessage.builder(StunMethod.REFRESH,
                StunClass.SUCCESS_RESPONSE, TransactionId.random()).build().asBuffer());
        client.handleInput(net.now(), SERVER, CLIENT, StunMessage.builder(StunMethod.DATA, StunClass.INDICATION,
                TransactionId.random()).add(new StunAttribute.Address(0x0012, PEER.ip(), PEER.port()))
                .add(new StunAttribute.Opaque(0x0013, new byte[] {9})).build().asBuffer());
        client.handleInput(net.now(), SERVER, CLIENT, ByteBuffer.wrap(new byte[] {0x40, 0x01, 0x00, 0x10, 1}));
        assertThat(client.stats().malformed()).isEqualTo(3);
        assertThat(client.stats().unknownTransaction()).isEqualTo(1);
        assertThat(client.stats().dataIn()).isZero();
        assertThat(stranger.received()).isEmpty();
        assertThat(client.state()).isEqualTo(TurnClient.State.ALLOCATED);
    }
}
