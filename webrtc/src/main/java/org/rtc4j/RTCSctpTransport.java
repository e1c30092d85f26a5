package org.rtc4j;

import java.util.function.Consumer;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;

/** The SCTP transport that carries the data channels (W3C section 6.1), over an {@link RTCDtlsTransport}. */
public final class RTCSctpTransport {

    private final RTCDtlsTransport transport;
    volatile RTCSctpTransportState state = RTCSctpTransportState.CONNECTING;
    volatile double maxMessageSize;
    volatile Integer maxChannels;
    final EventSlot<RTCSctpTransportState> onStateChange;

    RTCSctpTransport(RTCDtlsTransport transport, IoLoop loop, double maxMessageSize) {
        this.transport = transport;
        this.maxMessageSize = maxMessageSize;
        onStateChange = new EventSlot<>("sctp statechange", loop);
    }

    public RTCDtlsTransport transport() {
        return transport;
    }

    public RTCSctpTransportState state() {
        return state;
    }

    /**
     * The largest message {@code send} accepts: the smaller of the peer's {@code a=max-message-size} and what this
     * end can send; {@code Double.POSITIVE_INFINITY} when neither limits it (as the specification says).
     */
    public double maxMessageSize() {
        return maxMessageSize;
    }

    /** The number of channels that can be open at once: {@code null} until connected. */
    public Integer maxChannels() {
        return maxChannels;
    }

    public void onStateChange(Consumer<RTCSctpTransportState> handler) {
        onStateChange.set(handler);
    }
}
