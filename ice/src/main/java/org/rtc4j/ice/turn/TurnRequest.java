package org.rtc4j.ice.turn;

import java.time.Duration;
import java.time.Instant;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunMessage;

/** An outstanding request of a {@link TurnClient}: what it asks for, and its retransmission state. */
final class TurnRequest {
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

    /** The same request again, after a 401 or 438 brought new credentials. */
    TurnRequest retry() {
        TurnRequest r = new TurnRequest(method, peer, channel);
        r.lifetime = lifetime;
        r.authRetries = authRetries + 1;
        return r;
    }
}
