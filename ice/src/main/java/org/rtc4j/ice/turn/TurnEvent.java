package org.rtc4j.ice.turn;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.rtc4j.core.TransportAddress;

/** What a {@link TurnClient} reports. */
public sealed interface TurnEvent {

    /** The allocation exists: its relayed address, the client's address as the server saw it, its lifetime. */
    record Allocated(TransportAddress relayed, TransportAddress mapped, Duration lifetime) implements TurnEvent {
    }

    /** A Refresh succeeded: the allocation lives {@code lifetime} from now. */
    record Refreshed(Duration lifetime) implements TurnEvent {
    }

    /** A permission (RFC 8656 section 9) for this peer IP is installed or refreshed. */
    record PermissionCreated(InetAddress peer) implements TurnEvent {
    }

    /** A channel (RFC 8656 section 12) is bound to this peer. */
    record ChannelBound(TransportAddress peer, int channel) implements TurnEvent {
    }

    /**
     * Data from a peer, through the relay (a Data indication or ChannelData): a copy made by
     * {@link TurnClient#handleInput}; {@link TurnClient#receive} returns it without a copy or an event.
     */
    record Data(TransportAddress peer, ByteBuffer data) implements TurnEvent {
    }

    /**
     * A request failed: the allocation ({@code method} Allocate or Refresh, after which the client is
     * {@link TurnClient.State#FAILED}), or a permission or channel. {@code code} is the STUN error code, or
     * 701 when the server did not answer (as the W3C reports an unreachable server).
     */
    record Failed(int method, int code, String reason) implements TurnEvent {
    }

    /** The allocation is released (Deallocate answered or given up), or it expired. */
    record Closed() implements TurnEvent {
    }
}
