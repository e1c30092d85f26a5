package org.rtc4j;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.sctp.datachannel.DataChannel;
import org.rtc4j.sctp.datachannel.DataChannelOptions;

/**
 * A data channel (W3C section 6.2): a bidirectional message channel over the connection's SCTP association.
 *
 * <p>Events (open, message, bufferedamountlow, error, closing, close) run on the connection's loop, one at a
 * time, and are queued until a handler is set. Handlers must not block. The methods may be called from any
 * thread; {@code send} throws the specification's errors synchronously.
 */
public final class RTCDataChannel {

    private final RTCPeerConnection pc;
    private final IoLoop loop;
    private final String label;
    private final RTCDataChannelInit init;
    private volatile Integer id;
    private volatile RTCDataChannelState readyState = RTCDataChannelState.CONNECTING;
    private volatile long lowThreshold;
    /** The SCTP layer's channel, once the association exists (loop-confined). */
    DataChannel channel;
    /** Bytes sent from another connection's loop, on their way to this one's ({@link #send}). */
    private final AtomicLong inTransit = new AtomicLong();
    /** The SCTP layer's buffered amount after the latest send or bufferedamountlow, for other loops. */
    private volatile long bufferedSnapshot;
    long messagesSent;
    long bytesSent;
    long messagesReceived;
    long bytesReceived;

    final EventSlot<Object> onOpen;
    final EventSlot<MessageEvent> onMessage;
    final EventSlot<Object> onBufferedAmountLow;
    final EventSlot<DOMException> onError;
    final EventSlot<Object> onClosing;
    final EventSlot<Object> onClose;

    RTCDataChannel(RTCPeerConnection pc, IoLoop loop, String label, RTCDataChannelInit init) {
        this.pc = pc;
        this.loop = loop;
        this.label = label;
        this.init = init;
        this.id = init.negotiated() ? init.id() : null;
        onOpen = new EventSlot<>("open", loop);
        onMessage = new EventSlot<>("message", loop, MessageEvent::size);
        onBufferedAmountLow = new EventSlot<>("bufferedamountlow", loop);
        onError = new EventSlot<>("error", loop);
        onClosing = new EventSlot<>("closing", loop);
        onClose = new EventSlot<>("close", loop);
    }

    /** A channel the peer opened (loop). */
    static RTCDataChannel incoming(RTCPeerConnection pc, IoLoop loop, DataChannel ch) {
        RTCDataChannelInit init = new RTCDataChannelInit(ch.ordered(),
                ch.maxPacketLifeTime() < 0 ? null : (int) ch.maxPacketLifeTime(),
                ch.maxRetransmits() < 0 ? null : ch.maxRetransmits(), ch.protocol(), false, null, priorityOf(ch.priority()));
        RTCDataChannel c = new RTCDataChannel(pc, loop, ch.label(), init);
        c.bind(ch);
        return c;
    }

    static RTCPriorityType priorityOf(int sctpPriority) {
        if (sctpPriority <= 128) {
            return RTCPriorityType.VERY_LOW;
        }
        if (sctpPriority <= 256) {
            return RTCPriorityType.LOW;
        }
        return sctpPriority <= 512 ? RTCPriorityType.MEDIUM : RTCPriorityType.HIGH;
    }

    static int sctpPriority(RTCPriorityType p) {
        return switch (p) {
            case VERY_LOW -> 128;
            case LOW -> 256;
            case MEDIUM -> 512;
            case HIGH -> 1024;
        };
    }

    DataChannelOptions sctpOptions() {
        return new DataChannelOptions(init.ordered(), init.maxRetransmits() == null ? -1 : init.maxRetransmits(),
                init.maxPacketLifeTime() == null ? -1 : init.maxPacketLifeTime(), init.protocol(), init.negotiated(),
                init.negotiated() ? init.id() : -1, sctpPriority(init.priority()));
    }

    /** Attaches the SCTP layer's channel (loop). */
    void bind(DataChannel ch) {
        channel = ch;
        id = ch.id();
        if (lowThreshold > 0) {
            ch.bufferedAmountLowThreshold(lowThreshold);
        }
    }

    // ------------------------------------------------------------------------------------ attributes

    public String label() {
        return label;
    }

    public boolean ordered() {
        return init.ordered();
    }

    /** Milliseconds, or {@code null} when not set. */
    public Integer maxPacketLifeTime() {
        return init.maxPacketLifeTime();
    }

    /** Or {@code null} when not set. */
    public Integer maxRetransmits() {
        return init.maxRetransmits();
    }

    public String protocol() {
        return init.protocol();
    }

    public boolean negotiated() {
        return init.negotiated();
    }

    /** The SCTP stream id: {@code null} until the DTLS role is known for a channel opened in band. */
    public Integer id() {
        return id;
    }

    public RTCPriorityType priority() {
        return init.priority();
    }

    public RTCDataChannelState readyState() {
        return readyState;
    }

    /**
     * Bytes given to {@code send} and not yet handed to the network, those still on their way to the loop
     * included. From a callback of a connection on another loop, which must not wait for this one: as of this
     * channel's latest send or bufferedamountlow, plus what was sent since from other threads.
     */
    public long bufferedAmount() {
        if (loop.onAnotherLoop()) {
            return bufferedSnapshot + inTransit.get();
        }
        // On the loop, a message is either in the SCTP layer's count or still in inTransit, never in both.
        return loop.call(() -> (channel == null ? 0L : channel.bufferedAmount()) + inTransit.get());
    }

    public long bufferedAmountLowThreshold() {
        return lowThreshold;
    }

    /** When {@link #bufferedAmount()} falls from above this value to it or below, bufferedamountlow fires. */
    public void bufferedAmountLowThreshold(long threshold) {
        if (threshold < 0) {
            throw new TypeError("bufferedAmountLowThreshold must not be negative");
        }
        lowThreshold = threshold;
        loop.execute(() -> {
            if (channel != null) {
                channel.bufferedAmountLowThreshold(threshold);
            }
        });
    }

    /** The connection this channel belongs to. */
    public RTCPeerConnection peerConnection() {
        return pc;
    }

    // ------------------------------------------------------------------------------------ sending

    /** Sends a text message (UTF-8). */
    public void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Sends a binary message; the array is copied, so the caller may reuse it. */
    public void send(byte[] data) {
        send(data.clone(), true);
    }

    /** Sends the buffer's remaining bytes as a binary message (copied; the buffer's position does not move). */
    public void send(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        send(b, true);
    }

    /**
     * On this channel's loop at once; from any other thread without waiting for the loop, as a page's send
     * returns at once (W3C section 6.2.4, send()): the state and the peer's max-message-size are checked here,
     * the message goes to the loop in order and counts in {@link #bufferedAmount} until it gets there. Near a
     * full send buffer (the connection's SCTP send buffer as of the loop's latest send, plus what all its
     * channels have on the way) a thread waits for the loop instead, so that a full buffer is the OperationError
     * the specification asks for; from another connection's loop, which must never wait for this one, that is
     * an error event instead. Not waiting for every message: a thread that reads and sends (a file) works while
     * the loop sends the previous message, and the loop takes a burst of messages in one turn (1 GB file
     * transfer: a fifth less CPU for both ends together).
     */
    private void send(byte[] data, boolean binary) {
        if (loop.inLoop()) {
            sendNow(data, binary);
            return;
        }
        checkOpen(false);
        checkSize(data.length);
        inTransit.addAndGet(data.length);
        long coming = pc.sendsInTransit.addAndGet(data.length); // read before the note, which the loop writes first
        if (pc.sctpBufferUsed() + coming > pc.sctpSendBuffer() && !loop.onAnotherLoop()) {
            arrived(data.length);
            loop.call(() -> {
                sendNow(data, binary);
                return null;
            });
            return;
        }
        loop.execute(() -> {
            // Off the way only once the loop's note of the send buffer has it: a check in between never misses it.
            DOMException failed = null;
            try {
                sendNow(data, binary);
            } catch (DOMException e) {
                failed = e;
            } finally {
                arrived(data.length);
            }
            if (failed != null) {
                onError.fire(failed);
            }
        });
    }

    private void arrived(int length) {
        inTransit.addAndGet(-length);
        pc.sendsInTransit.addAndGet(-length);
    }

    /** InvalidStateError unless open; on the loop, also unless the SCTP layer's channel is there. */
    private void checkOpen(boolean onLoop) {
        if (readyState != RTCDataChannelState.OPEN || (onLoop && channel == null)) {
            throw new InvalidStateError("channel '" + label + "' is " + readyState.value()
                    + ": send only after the open event (onOpen)");
        }
    }

    private void checkSize(int length) {
        long max = pc.remoteMaxMessageSize();
        if (max > 0 && length > max) {
            throw new TypeError("a message of " + length + " bytes exceeds the peer's max-message-size of "
                    + max + " bytes: split it");
        }
    }

    private void sendNow(byte[] data, boolean binary) {
        checkOpen(true);
        checkSize(data.length);
        try {
            if (binary) {
                channel.send(data);
            } else {
                channel.send(new String(data, StandardCharsets.UTF_8));
            }
        } catch (IllegalStateException e) {
            throw new OperationError("the send buffer of the connection is full (" + e.getMessage()
                    + "): wait for bufferedamountlow before sending more");
        } catch (IllegalArgumentException e) {
            throw new TypeError(e.getMessage());
        }
        bufferedSnapshot = channel.bufferedAmount();
        pc.noteSctpBufferUsed();
        messagesSent++;
        bytesSent += data.length;
        pc.pumpSoon();
    }

    /** Closes the channel (W3C closing procedure): queued messages are still sent, then the streams reset. */
    public void close() {
        if (loop.onAnotherLoop()) {
            loop.execute(this::close); // from another connection's callback: never wait for this loop
            return;
        }
        loop.call(() -> {
            if (readyState == RTCDataChannelState.CLOSING || readyState == RTCDataChannelState.CLOSED) {
                return null;
            }
            readyState = RTCDataChannelState.CLOSING;
            if (channel != null) {
                channel.close();
                pc.pumpSoon();
            } else {
                pc.forgetPending(this);
                closed();
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------------------ events

    public void onOpen(Runnable handler) {
        onOpen.set(handler == null ? null : e -> handler.run());
    }

    public void onMessage(Consumer<MessageEvent> handler) {
        onMessage.set(handler);
    }

    public void onBufferedAmountLow(Runnable handler) {
        onBufferedAmountLow.set(handler == null ? null : e -> handler.run());
    }

    public void onError(Consumer<DOMException> handler) {
        onError.set(handler);
    }

    public void onClosing(Runnable handler) {
        onClosing.set(handler == null ? null : e -> handler.run());
    }

    public void onClose(Runnable handler) {
        onClose.set(handler == null ? null : e -> handler.run());
    }

    // ------------------------------------------------------------------------------------ from the driver (loop)

    void opened() {
        if (readyState == RTCDataChannelState.CONNECTING) {
            readyState = RTCDataChannelState.OPEN;
            onOpen.fire(Boolean.TRUE);
        }
    }

    /**
     * A channel the peer opened, announced (W3C section 6.2, announcing a data channel): open before the
     * datachannel event, so that its handler (or a thread it wakes) may send at once; the open event after.
     */
    void announce(Runnable datachannelEvent) {
        readyState = RTCDataChannelState.OPEN;
        datachannelEvent.run();
        if (readyState == RTCDataChannelState.OPEN) {
            onOpen.fire(Boolean.TRUE);
        }
    }

    /** A message from the peer; false (dropped) when the channel is not open. */
    boolean message(byte[] data, boolean binary) {
        if (readyState != RTCDataChannelState.OPEN) {
            return false;
        }
        messagesReceived++;
        bytesReceived += data.length;
        onMessage.fire(new MessageEvent(data, binary));
        return true;
    }

    void bufferedAmountLow() {
        bufferedSnapshot = channel == null ? 0 : channel.bufferedAmount();
        pc.noteSctpBufferUsed();
        onBufferedAmountLow.fire(Boolean.TRUE);
    }

    void closing() {
        if (readyState == RTCDataChannelState.OPEN || readyState == RTCDataChannelState.CONNECTING) {
            readyState = RTCDataChannelState.CLOSING;
            onClosing.fire(Boolean.TRUE);
        }
    }

    void error(DOMException e) {
        onError.fire(e);
    }

    void closed() {
        if (readyState != RTCDataChannelState.CLOSED) {
            readyState = RTCDataChannelState.CLOSED;
            onClose.fire(Boolean.TRUE);
        }
    }

    /** The connection closed: closed at once, without events (W3C close the connection, step 7). */
    void closedSilently() {
        readyState = RTCDataChannelState.CLOSED;
        onOpen.clear();
        onMessage.clear();
        onBufferedAmountLow.clear();
        onClosing.clear();
        onClose.clear();
        onError.clear();
    }

    @Override
    public String toString() {
        return "RTCDataChannel[" + id + " '" + label + "' " + readyState.value() + "]";
    }
}
