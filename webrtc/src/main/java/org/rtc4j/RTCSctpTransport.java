package org.rtc4j;

import java.util.function.Consumer;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.sctp.SctpState;

/** The SCTP transport that carries the data channels (W3C section 6.1), over an {@link RTCDtlsTransport}. */
public final class RTCSctpTransport {

    private final RTCDtlsTransport transport;
    private volatile RTCSctpTransportState state = RTCSctpTransportState.CONNECTING;
    private final double maxMessageSize;
    private volatile Integer maxChannels;
    private final EventSlot<RTCSctpTransportState> onStateChange;

    /** The smaller of the peer's and our limits, 0 meaning none (RFC 8841 section 6; W3C section 6.1.1). */
    static double maxMessageSize(long remote, long ours) {
        return remote == 0 ? ours == 0 ? Double.POSITIVE_INFINITY : ours : ours == 0 ? remote : Math.min(remote, ours);
    }

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

    // ------------------------------------------------------------------------ from the connection (its loop)

    /**
     * The association changed state (W3C webrtc, RTCSctpTransportState): established is connected, with the channels its streams
     * allow; closed after connected is closed.
     */
    void associationChanged(SctpState s, int outboundStreams, int inboundStreams) {
        RTCSctpTransportState mapped = s == SctpState.ESTABLISHED || s == SctpState.SHUTDOWN_PENDING
                ? RTCSctpTransportState.CONNECTED
                : s == SctpState.CLOSED && state == RTCSctpTransportState.CONNECTED ? RTCSctpTransportState.CLOSED
                : state;
        if (mapped != state) {
            state = mapped;
            if (mapped == RTCSctpTransportState.CONNECTED) {
                maxChannels = Math.min(outboundStreams, inboundStreams);
            }
            onStateChange.fire(mapped);
        }
    }

    /** The connection closed: the state is closed without an event. */
    void closed() {
        state = RTCSctpTransportState.CLOSED;
        onStateChange.clear();
    }
}
