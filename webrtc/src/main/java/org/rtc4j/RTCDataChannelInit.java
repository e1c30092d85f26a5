package org.rtc4j;

/**
 * How {@link RTCPeerConnection#createDataChannel(String, RTCDataChannelInit)} makes a channel (W3C section
 * 6.2, RTCDataChannelInit). Immutable; start from {@link #defaults()} (ordered, reliable, in-band).
 *
 * @param maxPacketLifeTime milliseconds a message may be retransmitted for, or {@code null}
 * @param maxRetransmits times a message may be retransmitted, or {@code null} (at most one of the two)
 * @param negotiated whether the application opens the channel on both sides with the same {@code id}
 * @param id the stream id of a negotiated channel (0..65534), else {@code null}
 */
public record RTCDataChannelInit(boolean ordered, Integer maxPacketLifeTime, Integer maxRetransmits, String protocol,
                                 boolean negotiated, Integer id, RTCPriorityType priority) {

    public RTCDataChannelInit {
        protocol = protocol == null ? "" : protocol;
        priority = priority == null ? RTCPriorityType.LOW : priority;
    }

    public static RTCDataChannelInit defaults() {
        return new RTCDataChannelInit(true, null, null, "", false, null, RTCPriorityType.LOW);
    }

    public RTCDataChannelInit withOrdered(boolean value) {
        return new RTCDataChannelInit(value, maxPacketLifeTime, maxRetransmits, protocol, negotiated, id, priority);
    }

    public RTCDataChannelInit withMaxPacketLifeTime(Integer millis) {
        return new RTCDataChannelInit(ordered, millis, maxRetransmits, protocol, negotiated, id, priority);
    }

    public RTCDataChannelInit withMaxRetransmits(Integer value) {
        return new RTCDataChannelInit(ordered, maxPacketLifeTime, value, protocol, negotiated, id, priority);
    }

    public RTCDataChannelInit withProtocol(String value) {
        return new RTCDataChannelInit(ordered, maxPacketLifeTime, maxRetransmits, value, negotiated, id, priority);
    }

    /** A channel both sides create with this stream id, without DCEP. */
    public RTCDataChannelInit withNegotiatedId(int streamId) {
        return new RTCDataChannelInit(ordered, maxPacketLifeTime, maxRetransmits, protocol, true, streamId, priority);
    }

    public RTCDataChannelInit withPriority(RTCPriorityType value) {
        return new RTCDataChannelInit(ordered, maxPacketLifeTime, maxRetransmits, protocol, negotiated, id, value);
    }
}
