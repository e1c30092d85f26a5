package org.rtc4j.turn;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.SplittableRandom;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * The TURN server engine on a simulated host that owns every port of its IP: every relay socket it asks for
 * opens. It counts the successful Refresh responses it sends, read off its traffic (the engine keeps no such
 * counter).
 */
final class SimTurnServer implements Engine<TurnEvent> {

    final TransportAddress address;
    final TurnServer engine;
    private int refreshes;

    /**
     * Serves user alice, password secret, realm test, relays on ports 50000 to 50999 of the server's IP; a fixed
     * nonce secret and a seeded generator (relay ports, tokens, Data indication ids), so that a run's nonces,
     * ports and datagrams are the same every time.
     */
    static TurnServerConfig.Builder config(InetAddress relay) {
        return TurnServerConfig.builder().realm("test").user("alice", "secret").relayAddress(relay)
                .ports(50000, 50999).nonceSecret(new byte[32]).random(new SplittableRandom(relay.hashCode()));
    }

    SimTurnServer(SimNetwork net, TransportAddress address, TurnServerConfig config) {
        this.address = address;
        this.engine = new TurnServer(config);
        net.host(address.ip().getHostAddress()).add(this, address.withPort(0)).onEvent((at, e) -> {
            if (e instanceof TurnEvent.OpenRelay open) {
                engine.relayOpened(at, open.relay(), true);
            }
        });
    }

    /** Refresh requests answered with success, deallocations included. */
    int refreshes() {
        return refreshes;
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        engine.handleInput(now, source, destination, data);
    }

    @Override
    public void handleTimeout(Instant now) {
        engine.handleTimeout(now);
    }

    @Override
    public Transmit pollTransmit() {
        Transmit t = engine.pollTransmit();
        ByteBuffer p = t == null ? null : t.payload();
        if (p != null && p.remaining() >= 20 && (p.get(p.position()) & 0xC0) == 0) {
            try {
                StunMessage m = StunMessage.parse(p.duplicate());
                if (m.method() == StunMethod.REFRESH && m.messageClass() == StunClass.SUCCESS_RESPONSE) {
                    refreshes++;
                }
            } catch (ParseException e) {
                // relayed peer data that is not STUN
            }
        }
        return t;
    }

    @Override
    public TurnEvent pollEvent() {
        return engine.pollEvent();
    }

    @Override
    public Instant pollTimeout() {
        return engine.pollTimeout();
    }
}
