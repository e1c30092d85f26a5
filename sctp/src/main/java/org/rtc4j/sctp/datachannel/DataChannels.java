package org.rtc4j.sctp.datachannel;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.sctp.SctpAssociation;
import org.rtc4j.sctp.SctpEvent;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.sctp.SendOptions;

/**
 * The data channels of one SCTP association (RFC 8831, DCEP of RFC 8832), sans-IO like the association it
 * wraps: the driver feeds packets and timeouts, and reads packets and {@link DataChannelEvent}s.
 *
 * <p>Stream ids follow the DTLS role (RFC 8832 6): the DTLS client opens even ids, the server odd ones.
 * The peer's max-message-size from its SDP (RFC 8841: absent means 65,536, 0 no limit) bounds what we send;
 * ours is {@link SctpSettings#maxMessageSize()}, and larger messages from the peer are dropped without
 * harming the association.
 *
 * <p>As the association, it is a {@link Engine} whose addresses mean nothing (RFC 8261), with the
 * allocation-free {@link #handlePacket} and {@link #pollPacket} beside it for the data path (see
 * {@link SctpAssociation} for why both).
 */
public final class DataChannels implements Engine<DataChannelEvent> {

    /** RFC 8841 6: the max-message-size when the SDP does not say. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 65_536;

    private final SctpAssociation sctp;
    private final boolean dtlsClient;
    private final long remoteMaxMessageSize;
    private final HashMap<Integer, DataChannel> channels = new HashMap<>();
    private final ArrayDeque<DataChannelEvent> events = new ArrayDeque<>();
    private long dropped;
    private long dcepIn;
    private long messagesIn;
    private int streamsAsked;

    /**
     * @param dtlsClient           whether this end is the DTLS client (even stream ids)
     * @param remoteMaxMessageSize the peer's a=max-message-size, 0 for no limit
     */
    public DataChannels(SctpSettings settings, boolean dtlsClient, long remoteMaxMessageSize) {
        if (remoteMaxMessageSize < 0) {
            throw new IllegalArgumentException("negative max-message-size");
        }
        this.sctp = new SctpAssociation(settings);
        this.dtlsClient = dtlsClient;
        this.remoteMaxMessageSize = remoteMaxMessageSize;
    }

    public SctpAssociation association() {
        return sctp;
    }

    /** Sends INIT; in WebRTC both sides may do this (RFC 8841 leaves who starts open). */
    public void connect(Instant now) {
        sctp.connect(now);
    }

    /** The path MTU in use (see {@link SctpAssociation#pathMtu()}). */
    public int pathMtu() {
        return sctp.pathMtu();
    }

    /**
     * Changes MAX_PLPMTU for path MTU discovery, net of DTLS, UDP, IP and TURN (see
     * {@link SctpAssociation#setMaxMtu}); {@link #pollPacket} then needs this much room.
     */
    public void setMaxMtu(Instant now, int maxMtu) {
        sctp.setMaxMtu(now, maxMtu);
    }

    /** The largest message {@link DataChannel#send} accepts (0: no limit). */
    public long maxMessageSize() {
        return remoteMaxMessageSize;
    }

    /** For a log line: the DCEP and user messages that came, and those dropped. */
    public String describe() {
        return "data channel messages in " + messagesIn + " (DCEP " + dcepIn + "), dropped " + dropped;
    }

    /** Messages dropped: unknown streams, bad DCEP, unknown PPIDs. */
    public long dropped() {
        return dropped;
    }

    public DataChannel channel(int id) {
        return channels.get(id);
    }

    public List<DataChannel> channels() {
        return new ArrayList<>(channels.values());
    }

    /**
     * Creates a channel (W3C createDataChannel). It opens when the association is established: in band with
     * DCEP, or at once if {@code negotiated}.
     *
     * @throws IllegalArgumentException for a label over 65,535 bytes, or an id already in use (OperationError)
     */
    public DataChannel createDataChannel(String label, DataChannelOptions options) {
        if (label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65535
                || options.protocol().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("label or protocol longer than 65535 bytes (TypeError)");
        }
        int id;
        if (options.negotiated()) {
            id = options.id();
            if (channels.containsKey(id)) {
                throw new IllegalArgumentException("id " + id + " is in use (OperationError)");
            }
        } else {
            id = dtlsClient ? 0 : 1;
            while (channels.containsKey(id)) {
                id += 2;
            }
            if (id > 65534) {
                throw new IllegalStateException("no stream id left (OperationError)");
            }
        }
        DataChannel ch = new DataChannel(this, id,
                label, new DataChannelOptions(options.ordered(), options.maxRetransmits(),
                options.maxPacketLifeTime(), options.protocol(), options.negotiated(), id, options.priority()));
        channels.put(id, ch);
        if (sctp.state() == SctpState.ESTABLISHED) {
            open(ch);
        }
        return ch;
    }

    private void open(DataChannel ch) {
        if (ch.state != DataChannelState.CONNECTING) {
            return;
        }
        if (ch.id() >= sctp.outboundStreams()) {
            if (!requestStreams(ch.id())) {
                closed(ch);
            }
            return;
        }
        if (!ch.negotiated()) {
            DataChannelOptions o = ch.options();
            byte[] open = new DcepMessage.Open(o.channelType(), o.priority(), o.reliabilityParameter(), ch.label(),
                    o.protocol()).encode();
            sctp.send(ch.id(), DcepMessage.PPID, open, SendOptions.RELIABLE);
            ch.openSent = true;
        } else {
            ch.acked = true;
        }
        if (ch.lowThreshold > 0) {
            sctp.bufferedAmountLowThreshold(ch.id(), ch.lowThreshold);
        }
        ch.state = DataChannelState.OPEN;
        events.add(new DataChannelEvent.Open(ch));
    }

    /**
     * RFC 8831 6.2: a channel needs stream {@code id} in both directions; ask for more outgoing streams
     * (RFC 6525 add outgoing streams). False when the peer cannot do that.
     */
    private boolean requestStreams(int id) {
        int want = Math.min(65535, Math.max(id + 1, sctp.outboundStreams() + 16));
        if (want > sctp.outboundStreams() + streamsAsked) {
            try {
                sctp.addStreams(want - sctp.outboundStreams() - streamsAsked);
                streamsAsked = want - sctp.outboundStreams();
            } catch (IllegalStateException | IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    private void sendAck(DataChannel ch) {
        ch.ackPending = false;
        if (sctp.state() != SctpState.ESTABLISHED) {
            return; // shutting down: no new channel will carry data anyway
        }
        sctp.send(ch.id(), DcepMessage.PPID, new DcepMessage.Ack().encode(), SendOptions.RELIABLE);
    }

    // --------------------------------------------------------------------------------- from DataChannel

    void send(DataChannel ch, byte[] data, int ppid) {
        if (ch.state != DataChannelState.OPEN) {
            throw new IllegalStateException("channel " + ch.id() + " is " + ch.state + " (InvalidStateError)");
        }
        if (ch.id() >= sctp.outboundStreams()) {
            throw new IllegalStateException("stream " + ch.id() + " is not available yet (more streams were asked for)");
        }
        if (remoteMaxMessageSize > 0 && data.length > remoteMaxMessageSize) {
            throw new IllegalArgumentException("message of " + data.length + " bytes exceeds the peer's "
                    + "max-message-size " + remoteMaxMessageSize + " (TypeError)");
        }
        byte[] payload = data.length == 0 ? new byte[1] : data; // RFC 8831 6.6: one byte for empty messages
        DataChannelOptions o = ch.options();
        boolean unordered = !o.ordered() && ch.acked;
        SendOptions so = new SendOptions(unordered, o.maxRetransmits(), o.maxPacketLifeTime());
        if (!sctp.send(ch.id(), ppid, payload, so)) {
            throw new IllegalStateException("send buffer full (OperationError)");
        }
        ch.sentSinceLow = true;
    }

    void close(DataChannel ch) {
        if (ch.state == DataChannelState.CLOSING || ch.state == DataChannelState.CLOSED) {
            return;
        }
        if (ch.state == DataChannelState.CONNECTING || sctp.state() != SctpState.ESTABLISHED) {
            closed(ch);
            return;
        }
        ch.state = DataChannelState.CLOSING;
        sctp.resetStreams(ch.id());
    }

    long bufferedAmount(DataChannel ch) {
        return sctp.bufferedAmount(ch.id());
    }

    void lowThreshold(DataChannel ch, long threshold) {
        if (ch.state == DataChannelState.OPEN || ch.state == DataChannelState.CLOSING) {
            sctp.bufferedAmountLowThreshold(ch.id(), threshold);
        }
    }

    private void closed(DataChannel ch) {
        if (ch.state == DataChannelState.CLOSED) {
            return;
        }
        ch.state = DataChannelState.CLOSED;
        channels.remove(ch.id());
        events.add(new DataChannelEvent.Closed(ch));
    }

    // --------------------------------------------------------------------------------------- sans-IO

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        sctp.handlePacket(now, data);
    }

    @Override
    public Transmit pollTransmit() {
        return sctp.pollTransmit();
    }

    /** See {@link SctpAssociation#handlePacket}. */
    public void handlePacket(Instant now, ByteBuffer packet) {
        sctp.handlePacket(now, packet);
    }

    @Override
    public void handleTimeout(Instant now) {
        sctp.handleTimeout(now);
    }

    /** See {@link SctpAssociation#pollPacket(Instant, ByteBuffer)}. */
    public int pollPacket(Instant now, ByteBuffer dst) {
        return sctp.pollPacket(now, dst);
    }

    @Override
    public Instant pollTimeout() {
        return sctp.pollTimeout();
    }

    @Override
    public DataChannelEvent pollEvent() {
        while (events.isEmpty()) {
            SctpEvent e = sctp.pollEvent();
            if (e == null) {
                return null;
            }
            translate(e);
        }
        return events.poll();
    }

    private void translate(SctpEvent e) {
        switch (e) {
            case SctpEvent.Connected c -> {
                for (DataChannel ch : new ArrayList<>(channels.values())) {
                    open(ch);
                }
            }
            case SctpEvent.StreamsChanged c -> {
                streamsAsked = 0;
                for (DataChannel ch : new ArrayList<>(channels.values())) {
                    if (ch.ackPending && ch.id() < sctp.outboundStreams()) {
                        sendAck(ch);
                    }
                    open(ch);
                }
            }
            case SctpEvent.Message m -> onMessage(m);
            case SctpEvent.IncomingStreamsReset r -> {
                for (int id : r.streams()) {
                    DataChannel ch = channels.get(id);
                    if (ch == null) {
                        continue;
                    }
                    ch.incomingReset = true;
                    if (ch.state == DataChannelState.OPEN) {
                        // RFC 8831 6.7: the peer closed; reset our side too.
                        ch.state = DataChannelState.CLOSING;
                        events.add(new DataChannelEvent.Closing(ch));
                        sctp.resetStreams(id);
                    } else if (ch.outgoingReset) {
                        closed(ch);
                    }
                }
            }
            case SctpEvent.OutgoingStreamsReset r -> {
                for (int id : r.streams()) {
                    DataChannel ch = channels.get(id);
                    if (ch != null) {
                        if (ch.state == DataChannelState.OPEN) {
                            // the peer asked for it (RFC 6525 Incoming SSN Reset): it is closing the channel
                            ch.state = DataChannelState.CLOSING;
                            events.add(new DataChannelEvent.Closing(ch));
                        }
                        ch.outgoingReset = true;
                        if (ch.incomingReset) {
                            closed(ch);
                        }
                    }
                }
            }
            case SctpEvent.StreamResetFailed r -> {
                for (int id : r.streams()) {
                    DataChannel ch = channels.get(id);
                    if (ch != null) {
                        closed(ch);
                    }
                }
            }
            case SctpEvent.BufferedAmountLow b -> {
                DataChannel ch = channels.get(b.stream());
                if (ch != null && ch.state == DataChannelState.OPEN && ch.sentSinceLow) {
                    // only user data counts: the DCEP OPEN on the same stream does not fire the event
                    ch.sentSinceLow = false;
                    events.add(new DataChannelEvent.BufferedAmountLow(ch));
                }
            }
            case SctpEvent.AssociationReset r -> {
                // numbering starts again; the channels stay as they are
            }
            case SctpEvent.Restarted r -> {
                // The peer lost its state: its channels are gone, and ours are unknown to it.
                for (DataChannel ch : new ArrayList<>(channels.values())) {
                    closed(ch);
                }
            }
            case SctpEvent.Closed c -> {
                for (DataChannel ch : new ArrayList<>(channels.values())) {
                    closed(ch);
                }
            }
        }
    }

    private void onMessage(SctpEvent.Message m) {
        messagesIn++;
        int stream = m.stream();
        DataChannel ch = channels.get(stream);
        switch (m.ppid()) {
            case DcepMessage.PPID -> {
                dcepIn++;
                DcepMessage d;
                try {
                    d = DcepMessage.parse(m.data());
                } catch (ParseException e) {
                    dropped++;
                    return;
                }
                if (d instanceof DcepMessage.Ack) {
                    if (ch != null) {
                        ch.acked = true;
                    }
                    return;
                }
                DcepMessage.Open open = (DcepMessage.Open) d;
                boolean ours = (stream % 2 == 0) == dtlsClient;
                if (ch != null || ours) {
                    dropped++; // RFC 8832 6: the peer may only open ids of its own parity, once
                    return;
                }
                DataChannel in = new DataChannel(this, stream, open.label(), DataChannelOptions.from(open, stream));
                in.acked = true;
                in.state = DataChannelState.OPEN;
                channels.put(stream, in);
                if (stream < sctp.outboundStreams()) {
                    sendAck(in);
                } else {
                    in.ackPending = true; // RFC 8831 6.2: answer once our side of the stream exists
                    requestStreams(stream);
                }
                events.add(new DataChannelEvent.Incoming(in));
            }
            case DataChannel.PPID_STRING, DataChannel.PPID_BINARY, DataChannel.PPID_STRING_EMPTY,
                 DataChannel.PPID_BINARY_EMPTY -> {
                if (ch == null || ch.state == DataChannelState.CLOSED || ch.state == DataChannelState.CONNECTING) {
                    dropped++;
                    return;
                }
                ch.acked = true; // RFC 8832 6: data from the peer implies it got our OPEN
                boolean empty = m.ppid() == DataChannel.PPID_STRING_EMPTY || m.ppid() == DataChannel.PPID_BINARY_EMPTY;
                boolean binary = m.ppid() == DataChannel.PPID_BINARY || m.ppid() == DataChannel.PPID_BINARY_EMPTY;
                events.add(new DataChannelEvent.Message(ch, empty ? new byte[0] : m.data(), binary));
            }
            default -> dropped++;
        }
    }
}
