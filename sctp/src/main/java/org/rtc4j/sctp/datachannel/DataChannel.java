package org.rtc4j.sctp.datachannel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One data channel (RFC 8831): a pair of SCTP streams with the same id, a label, a subprotocol and a
 * reliability mode. Use it from the thread that drives its {@link DataChannels}.
 */
public final class DataChannel {

    /** PPIDs of RFC 8831 8. */
    public static final int PPID_STRING = 51;
    public static final int PPID_BINARY = 53;
    public static final int PPID_STRING_EMPTY = 56;
    public static final int PPID_BINARY_EMPTY = 57;

    private final DataChannels owner;
    private final int id;
    private final String label;
    private final DataChannelOptions options;
    DataChannelState state = DataChannelState.CONNECTING;
    /** For channels we opened in band: the peer's ACK arrived (until then messages go ordered, RFC 8832 6). */
    boolean acked;
    boolean openSent;
    boolean outgoingReset;
    boolean incomingReset;
    long lowThreshold;
    boolean sentSinceLow;
    /** An incoming channel whose ACK waits for more outgoing streams. */
    boolean ackPending;

    DataChannel(DataChannels owner, int id, String label, DataChannelOptions options) {
        this.owner = owner;
        this.id = id;
        this.label = label;
        this.options = options;
    }

    public int id() {
        return id;
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return options.protocol();
    }

    public boolean ordered() {
        return options.ordered();
    }

    /** -1 when not set. */
    public int maxRetransmits() {
        return options.maxRetransmits();
    }

    /** -1 when not set. */
    public long maxPacketLifeTime() {
        return options.maxPacketLifeTime();
    }

    public boolean negotiated() {
        return options.negotiated();
    }

    public int priority() {
        return options.priority();
    }

    public DataChannelOptions options() {
        return options;
    }

    public DataChannelState state() {
        return state;
    }

    /** Bytes handed to send() and not yet transmitted. */
    public long bufferedAmount() {
        return owner.bufferedAmount(this);
    }

    public long bufferedAmountLowThreshold() {
        return lowThreshold;
    }

    public void bufferedAmountLowThreshold(long threshold) {
        lowThreshold = threshold;
        owner.lowThreshold(this, threshold);
    }

    /**
     * Sends a text message.
     *
     * @throws IllegalStateException    when the channel is not open, or the send buffer is full
     * @throws IllegalArgumentException when the message exceeds the peer's max-message-size
     */
    public void send(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        owner.send(this, b, b.length == 0 ? PPID_STRING_EMPTY : PPID_STRING);
    }

    /** Sends a binary message; the array is the channel's until sent (hand over a fresh one). */
    public void send(byte[] data) {
        owner.send(this, data, data.length == 0 ? PPID_BINARY_EMPTY : PPID_BINARY);
    }

    /** Sends the buffer's remaining bytes as a binary message (copied). */
    public void send(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        send(b);
    }

    /** Closes the channel (RFC 8831 6.7): resets its outgoing stream once queued messages are sent. */
    public void close() {
        owner.close(this);
    }

    @Override
    public String toString() {
        return "DataChannel[" + id + " '" + label + "' " + state + "]";
    }
}
