package org.rtc4j;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.sctp.datachannel.DataChannel;
import org.rtc4j.sctp.datachannel.DataChannelEvent;
import org.rtc4j.sctp.datachannel.DataChannels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data channels of a connection (W3C section 6): those created before SCTP runs wait here, then each
 * {@link RTCDataChannel} is bound to its SCTP channel, and what the SCTP layer reports reaches it. Loop-confined.
 */
final class PeerChannels {

    private static final Logger LOG = LoggerFactory.getLogger(PeerChannels.class);

    private final RTCPeerConnection pc;
    private final IoLoop loop;
    private final EventSlot<RTCDataChannel> onDataChannel;
    private final PeerStats stats;
    private final List<RTCDataChannel> pending = new ArrayList<>();
    private final Map<DataChannel, RTCDataChannel> bound = new IdentityHashMap<>();
    /** Messages that came for a channel not (or no longer) open here: dropped, for the log line at close. */
    private long unheard;

    PeerChannels(RTCPeerConnection pc, IoLoop loop, EventSlot<RTCDataChannel> onDataChannel, PeerStats stats) {
        this.pc = pc;
        this.loop = loop;
        this.onDataChannel = onDataChannel;
        this.stats = stats;
    }

    /**
     * The checks of createDataChannel that need no state (W3C section 6.1.1.1, steps 3 to 13).
     *
     * @throws TypeError for a label or protocol over 65,535 bytes, both maxPacketLifeTime and maxRetransmits,
     *     a negotiated channel without an id, or an id over 65,534
     */
    static void check(String label, RTCDataChannelInit init) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(init, "init");
        if (label.getBytes(StandardCharsets.UTF_8).length > 65535
                || init.protocol().getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new TypeError("label and protocol are at most 65,535 bytes");
        }
        if (init.maxPacketLifeTime() != null && init.maxRetransmits() != null) {
            throw new TypeError("set maxPacketLifeTime or maxRetransmits, not both");
        }
        if ((init.maxPacketLifeTime() != null && init.maxPacketLifeTime() < 0)
                || (init.maxRetransmits() != null && init.maxRetransmits() < 0)) {
            throw new TypeError("maxPacketLifeTime and maxRetransmits must not be negative");
        }
        if (init.negotiated() && init.id() == null) {
            throw new TypeError("a negotiated channel needs an id");
        }
        if (init.id() != null && (init.id() < 0 || init.id() > 65534)) {
            throw new TypeError("id must be 0..65534, not " + init.id());
        }
    }

    /** A channel created by the application: bound at once when SCTP runs ({@code sctp} not null), else kept. */
    void add(RTCDataChannel ch, DataChannels sctp) {
        if (sctp != null) {
            bind(ch, sctp);
            return;
        }
        if (ch.negotiated()) {
            for (RTCDataChannel p : pending) {
                if (p.negotiated() && Objects.equals(p.id(), ch.id())) {
                    throw new OperationError("id " + ch.id() + " is in use");
                }
            }
        }
        pending.add(ch);
    }

    private void bind(RTCDataChannel ch, DataChannels sctp) {
        DataChannel under;
        try {
            under = sctp.createDataChannel(ch.label(), ch.sctpOptions());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new OperationError(e.getMessage());
        }
        ch.bind(under);
        bound.put(under, ch);
    }

    /** SCTP runs: the channels created before bind now; one that cannot is closed with its error. */
    void sctpStarted(DataChannels sctp) {
        for (RTCDataChannel ch : pending) {
            try {
                bind(ch, sctp);
            } catch (OperationError err) {
                ch.error(err);
                ch.closed();
            }
        }
        pending.clear();
        pc.pumpSoon();
    }

    void forgetPending(RTCDataChannel ch) {
        pending.remove(ch);
    }

    /** What the SCTP layer reports about a channel, to its RTCDataChannel (the peer's: made here). */
    void onEvent(DataChannelEvent e) {
        DataChannel under = e.channel();
        RTCDataChannel ch = bound.get(under);
        switch (e) {
            case DataChannelEvent.Open o -> {
                LOG.debug("channel {} open", under.label());
                if (ch != null) {
                    stats.dataChannelsOpened++;
                    ch.opened();
                }
            }
            case DataChannelEvent.Incoming in -> {
                RTCDataChannel created = RTCDataChannel.incoming(pc, loop, under);
                bound.put(under, created);
                stats.dataChannelsOpened++;
                created.announce(() -> onDataChannel.fire(created));
            }
            case DataChannelEvent.Message m -> {
                if (ch == null || !ch.message(m.data(), m.binary())) {
                    unheard++;
                }
            }
            case DataChannelEvent.BufferedAmountLow b -> {
                if (ch != null) {
                    ch.bufferedAmountLow();
                }
            }
            case DataChannelEvent.Closing c -> {
                if (ch != null) {
                    ch.closing();
                }
            }
            case DataChannelEvent.Closed c -> {
                if (ch != null) {
                    bound.remove(under);
                    stats.dataChannelsClosed++;
                    ch.closed();
                }
            }
        }
    }

    /** For the log line at close. */
    String describe() {
        return "messages for no open channel " + unheard;
    }

    Collection<RTCDataChannel> all() {
        return bound.values();
    }

    /** The connection closed: every channel is closed, without events. */
    void closeSilently() {
        for (RTCDataChannel ch : List.copyOf(bound.values())) {
            ch.closedSilently();
        }
        for (RTCDataChannel ch : pending) {
            ch.closedSilently();
        }
        pending.clear();
        bound.clear();
    }
}
