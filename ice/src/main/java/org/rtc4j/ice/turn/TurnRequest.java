package org.rtc4j.ice.turn;

import java.time.Duration;
import java.time.Instant;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;

/** An outstanding request of a {@link TurnClient}: what it asks for, and its retransmission state. */
final class TurnRequest {
    /** REQUESTED-TRANSPORT: UDP, the only one RFC 8656 relays (section 7.1). */
    private static final int PROTOCOL_UDP = 17;

    final int method;
    /** CreatePermission and ChannelBind: the peer (for a permission, port 0). */
    final TransportAddress peer;
    /** ChannelBind: the channel. */
    final PeerBindings.Channel channel;
    /** Refresh: the LIFETIME to ask for, or -1 for the configured one. */
    long lifetime = -1;
    int authRetries;
    boolean signed;
    StunMessage message;
    int transmissions;
    Duration rto;
    Instant nextAt;

    TurnRequest(int method, TransportAddress peer, PeerBindings.Channel channel) {
        this.method = method;
        this.peer = peer;
        this.channel = channel;
    }

    TurnRequest lifetime(long seconds) {
        this.lifetime = seconds;
        return this;
    }

    /** Adds what the request asks for (RFC 8656 sections 7.1, 7.2, 9.1, 12.1) to its message. */
    StunMessage.Builder attributes(StunMessage.Builder b, Duration requestedLifetime) {
        switch (method) {
            case StunMethod.ALLOCATE -> {
                b.add(new StunAttribute.Numeric(StunAttributeType.REQUESTED_TRANSPORT.code(), PROTOCOL_UDP));
                b.add(new StunAttribute.Numeric(StunAttributeType.LIFETIME.code(), requestedLifetime.toSeconds()));
            }
            case StunMethod.REFRESH -> b.add(new StunAttribute.Numeric(StunAttributeType.LIFETIME.code(),
                    lifetime >= 0 ? lifetime : requestedLifetime.toSeconds()));
            case StunMethod.CREATE_PERMISSION -> b.add(new StunAttribute.Address(
                    StunAttributeType.XOR_PEER_ADDRESS.code(), peer.ip(), 0));
            case StunMethod.CHANNEL_BIND -> {
                b.add(new StunAttribute.Numeric(StunAttributeType.CHANNEL_NUMBER.code(), channel.number));
                b.add(new StunAttribute.Address(StunAttributeType.XOR_PEER_ADDRESS.code(), peer.ip(), peer.port()));
            }
            default -> throw new IllegalStateException();
        }
        return b;
    }

    /** The same request again, after a 401 or 438 brought new credentials. */
    TurnRequest retry() {
        TurnRequest r = new TurnRequest(method, peer, channel);
        r.lifetime = lifetime;
        r.authRetries = authRetries + 1;
        return r;
    }
}
