package org.rtc4j.bench.turn;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.ice.stun.TransactionId;
import org.rtc4j.turn.TurnEvent;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;

/**
 * The TURN server engine's per-datagram relay work in memory, once an allocation with a channel exists:
 * 500-byte ChannelData from the client to its peer, and 500 bytes from the peer back to the client as
 * ChannelData. Each both through {@code handleInput} + {@code pollTransmit} (the sans-IO contract: a new
 * buffer and Transmit per datagram) and through {@code relay} into a reused direct buffer (what
 * {@code EngineRunner} uses). Scores are datagrams per second on one thread; {@code -prof gc} gives bytes
 * allocated per datagram.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TurnRelayBenchmark {

    private static final TransportAddress SERVER = TransportAddress.udp(TransportAddress.parseIp("203.0.113.1"), 3478);
    private static final TransportAddress CLIENT = TransportAddress.udp(TransportAddress.parseIp("198.18.0.1"), 40000);
    private static final TransportAddress PEER = TransportAddress.udp(TransportAddress.parseIp("8.8.4.4"), 5000);
    private static final int CHANNEL = 0x4001;

    private TurnServer server;
    private TransportAddress relay;
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final ByteBuffer channelData = ByteBuffer.allocateDirect(504);
    private final ByteBuffer fromPeer = ByteBuffer.allocateDirect(500);
    private final ByteBuffer out = ByteBuffer.allocateDirect(65536 + 64);

    @Setup
    public void setUp() throws ParseException {
        server = new TurnServer(TurnServerConfig.builder().realm("test").user("alice", "secret")
                .relayAddress(SERVER.ip()).ports(50000, 50999).maxBytesPerSecond(0).build());
        StunMessage challenge = exchange(StunMessage.request(StunMethod.ALLOCATE).add(transport()).build());
        String nonce = challenge.<StunAttribute.Text>get(StunAttributeType.NONCE).value();
        StunMessage allocated = exchange(signed(StunMethod.ALLOCATE, nonce, transport()));
        StunAttribute.Address relayed = allocated.get(StunAttributeType.XOR_RELAYED_ADDRESS);
        relay = TransportAddress.udp(relayed.ip(), relayed.port());
        StunMessage bound = exchange(signed(StunMethod.CHANNEL_BIND, nonce,
                new StunAttribute.Numeric(StunAttributeType.CHANNEL_NUMBER.code(), CHANNEL),
                new StunAttribute.Address(StunAttributeType.XOR_PEER_ADDRESS.code(), PEER.ip(), PEER.port())));
        if (bound.messageClass() != StunClass.SUCCESS_RESPONSE) {
            throw new IllegalStateException("ChannelBind failed: " + bound);
        }
        channelData.putShort((short) CHANNEL).putShort((short) 500).position(0);
        if (channelDataToPeerQueued() == null || peerToClientQueued() == null
                || channelDataToPeerRelayed() != 500 || peerToClientRelayed() != 504) {
            throw new IllegalStateException("nothing relayed: " + server.stats());
        }
    }

    private static StunAttribute transport() {
        return new StunAttribute.Numeric(StunAttributeType.REQUESTED_TRANSPORT.code(), 17);
    }

    private static StunMessage signed(int method, String nonce, StunAttribute... attributes) {
        StunMessage.Builder b = StunMessage.builder(method, StunClass.REQUEST, TransactionId.random());
        for (StunAttribute a : attributes) {
            b.add(a);
        }
        return b.add(StunAttribute.username("alice")).add(StunAttribute.realm("test")).add(StunAttribute.nonce(nonce))
                .integrity(StunKey.longTerm("alice", "test", "secret", StunAttribute.PasswordAlgorithm.MD5))
                .fingerprint().build();
    }

    private StunMessage exchange(StunMessage request) throws ParseException {
        server.handleInput(now, CLIENT, SERVER, ByteBuffer.wrap(request.toBytes()));
        for (TurnEvent e; (e = server.pollEvent()) != null; ) {
            if (e instanceof TurnEvent.OpenRelay open) {
                server.relayOpened(now, open.relay(), true); // in memory: every relay port is free
            }
        }
        return StunMessage.parse(server.pollTransmit().bytes());
    }

    @Benchmark
    public Transmit channelDataToPeerQueued() {
        server.handleInput(now, CLIENT, SERVER, channelData);
        return server.pollTransmit();
    }

    @Benchmark
    public Transmit peerToClientQueued() {
        server.handleInput(now, PEER, relay, fromPeer);
        return server.pollTransmit();
    }

    @Benchmark
    public int channelDataToPeerRelayed() {
        server.relay(now, CLIENT, SERVER, channelData, out);
        return out.remaining();
    }

    @Benchmark
    public int peerToClientRelayed() {
        server.relay(now, PEER, relay, fromPeer, out);
        return out.remaining();
    }
}
