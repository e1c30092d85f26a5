package org.rtc4j.ice;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/**
 * A STUN and TURN server stand-in for simulations (test scope): the TURN server engine of module turn is
 * not written yet (issue 5). UDP only; long-term credentials with one nonce that {@link #staleNonce()}
 * rotates; Allocate, Refresh, CreatePermission, ChannelBind, Send and Data indications, ChannelData.
 * Bind it to port 0 of its IP: relayed ports are on the same IP.
 */
final class TestTurnServer implements Engine<Void> {

    final TransportAddress address;
    private final String realm = "sim";
    private final Map<String, String> users = new HashMap<>();
    private String nonce = "nonce0";
    private int nonces;
    private int nextPort = 50000;
    private final Map<TransportAddress, Allocation> byClient = new HashMap<>();
    private final Map<Integer, Allocation> byPort = new HashMap<>();
    private final ArrayDeque<Transmit> out = new ArrayDeque<>();
    int allocations;
    int refreshes;
    int permissionsCreated;
    int channelsBound;
    long relayed;
    long challenged;
    long staleAnswered;

    private static final class Allocation {
        TransportAddress client;
        TransportAddress relayedAddress;
        Instant expires;
        final Set<InetAddress> permissions = new HashSet<>();
        final Map<Integer, TransportAddress> channels = new HashMap<>();
        final Map<TransportAddress, Integer> channelOf = new HashMap<>();
    }

    TestTurnServer(TransportAddress address, String user, String password) {
        this.address = address;
        users.put(user, password);
    }

    void staleNonce() {
        nonce = "nonce" + (++nonces);
    }

    int liveAllocations() {
        return byClient.size();
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        byClient.values().removeIf(a -> {
            boolean dead = !now.isBefore(a.expires);
            if (dead) {
                byPort.remove(a.relayedAddress.port());
            }
            return dead;
        });
        if (destination.port() != address.port()) {
            fromPeer(source, destination, data);
            return;
        }
        if (data.remaining() >= 4 && (data.get(data.position()) & 0xC0) == 0x40) {
            Allocation a = byClient.get(source);
            int channel = data.getShort(data.position()) & 0xFFFF;
            int length = data.getShort(data.position() + 2) & 0xFFFF;
            if (a == null || !a.channels.containsKey(channel) || length > data.remaining() - 4) {
                return;
            }
            relay(a, a.channels.get(channel), data.slice(data.position() + 4, length));
            return;
        }
        StunMessage m;
        try {
            m = StunMessage.parse(data);
        } catch (ParseException e) {
            return;
        }
        if (m.messageClass() == StunClass.INDICATION && m.method() == StunMethod.SEND) {
            Allocation a = byClient.get(source);
            StunAttribute.Address peer = m.get(StunAttributeType.XOR_PEER_ADDRESS);
            StunAttribute.Opaque payload = m.get(StunAttributeType.DATA);
            if (a != null && peer != null && payload != null) {
                relay(a, TransportAddress.udp(peer.ip(), peer.port()), ByteBuffer.wrap(payload.value()));
            }
            return;
        }
        if (m.messageClass() != StunClass.REQUEST) {
            return;
        }
        if (m.method() == StunMethod.BINDING) {
            send(source, m.successResponse().add(StunAttribute.xorMappedAddress(source.ip(), source.port()))
                    .fingerprint().build());
            return;
        }
        StunAttribute.Text user = m.get(StunAttributeType.USERNAME);
        if (!m.hasIntegrity() || user == null || !users.containsKey(user.value())) {
            challenged++;
            send(source, m.errorResponse(401, "Unauthorized").add(StunAttribute.realm(realm))
                    .add(StunAttribute.nonce(nonce)).fingerprint().build());
            return;
        }
        StunKey key = StunKey.longTerm(user.value(), realm, users.get(user.value()));
        if (!m.verifyIntegrity(key)) {
            send(source, m.errorResponse(401, "Unauthorized").add(StunAttribute.realm(realm))
                    .add(StunAttribute.nonce(nonce)).fingerprint().build());
            return;
        }
        StunAttribute.Text n = m.get(StunAttributeType.NONCE);
        if (n == null || !n.value().equals(nonce)) {
            staleAnswered++;
            send(source, m.errorResponse(438, "Stale Nonce").add(StunAttribute.realm(realm))
                    .add(StunAttribute.nonce(nonce)).fingerprint().build());
            return;
        }
        Allocation a = byClient.get(source);
        switch (m.method()) {
            case StunMethod.ALLOCATE -> {
                if (a != null) {
                    send(source, m.errorResponse(437, "Allocation Mismatch").integrity(key).fingerprint().build());
                    return;
                }
                a = new Allocation();
                a.client = source;
                a.relayedAddress = address.withPort(nextPort++);
                a.expires = now.plus(lifetime(m));
                byClient.put(source, a);
                byPort.put(a.relayedAddress.port(), a);
                allocations++;
                send(source, m.successResponse()
                        .add(new StunAttribute.Address(StunAttributeType.XOR_RELAYED_ADDRESS.code(),
                                a.relayedAddress.ip(), a.relayedAddress.port()))
                        .add(StunAttribute.xorMappedAddress(source.ip(), source.port()))
                        .add(new StunAttribute.Numeric(StunAttributeType.LIFETIME.code(), lifetime(m).toSeconds()))
                        .integrity(key).fingerprint().build());
            }
            case StunMethod.REFRESH -> {
                if (a == null) {
                    send(source, m.errorResponse(437, "Allocation Mismatch").integrity(key).fingerprint().build());
                    return;
                }
                Duration life = lifetime(m);
                refreshes++;
                if (life.isZero()) {
                    byClient.remove(source);
                    byPort.remove(a.relayedAddress.port());
                } else {
                    a.expires = now.plus(life);
                }
                send(source, m.successResponse()
                        .add(new StunAttribute.Numeric(StunAttributeType.LIFETIME.code(), life.toSeconds()))
                        .integrity(key).fingerprint().build());
            }
            case StunMethod.CREATE_PERMISSION -> {
                StunAttribute.Address peer = m.get(StunAttributeType.XOR_PEER_ADDRESS);
                if (a == null || peer == null) {
                    send(source, m.errorResponse(400, "Bad Request").integrity(key).fingerprint().build());
                    return;
                }
                a.permissions.add(peer.ip());
                permissionsCreated++;
                send(source, m.successResponse().integrity(key).fingerprint().build());
            }
            case StunMethod.CHANNEL_BIND -> {
                StunAttribute.Address peer = m.get(StunAttributeType.XOR_PEER_ADDRESS);
                StunAttribute.Numeric number = m.get(StunAttributeType.CHANNEL_NUMBER);
                if (a == null || peer == null || number == null) {
                    send(source, m.errorResponse(400, "Bad Request").integrity(key).fingerprint().build());
                    return;
                }
                TransportAddress p = TransportAddress.udp(peer.ip(), peer.port());
                a.channels.put((int) number.value(), p);
                a.channelOf.put(p, (int) number.value());
                a.permissions.add(peer.ip());
                channelsBound++;
                send(source, m.successResponse().integrity(key).fingerprint().build());
            }
            default -> send(source, m.errorResponse(400, "Bad Request").integrity(key).fingerprint().build());
        }
    }

    private static Duration lifetime(StunMessage m) {
        StunAttribute.Numeric l = m.get(StunAttributeType.LIFETIME);
        return l == null ? Duration.ofMinutes(10) : Duration.ofSeconds(Math.min(l.value(), 3600));
    }

    private void relay(Allocation a, TransportAddress peer, ByteBuffer data) {
        if (!a.permissions.contains(peer.ip())) {
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        relayed++;
        out.add(new Transmit(a.relayedAddress, peer, ByteBuffer.wrap(copy)));
    }

    private void fromPeer(TransportAddress source, TransportAddress destination, ByteBuffer data) {
        Allocation a = byPort.get(destination.port());
        if (a == null || !a.permissions.contains(source.ip())) {
            return;
        }
        relayed++;
        Integer channel = a.channelOf.get(source);
        if (channel != null) {
            ByteBuffer b = ByteBuffer.allocate(4 + data.remaining());
            b.putShort((short) (int) channel).putShort((short) data.remaining()).put(data.duplicate()).flip();
            out.add(new Transmit(address, a.client, b));
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        send(a.client, StunMessage.builder(StunMethod.DATA, StunClass.INDICATION,
                        nextId())
                .add(new StunAttribute.Address(StunAttributeType.XOR_PEER_ADDRESS.code(), source.ip(), source.port()))
                .add(new StunAttribute.Opaque(StunAttributeType.DATA.code(), copy)).build());
    }

    private final java.util.Random ids = new java.util.Random(7);

    private org.rtc4j.ice.stun.TransactionId nextId() {
        byte[] b = new byte[12];
        ids.nextBytes(b);
        return org.rtc4j.ice.stun.TransactionId.of(b);
    }

    private void send(TransportAddress to, StunMessage m) {
        out.add(new Transmit(address, to, m.asBuffer()));
    }

    @Override
    public void handleTimeout(Instant now) {
    }

    @Override
    public Transmit pollTransmit() {
        return out.poll();
    }

    @Override
    public Void pollEvent() {
        return null;
    }

    @Override
    public Instant pollTimeout() {
        return null;
    }
}
