package org.rtc4j.sctp.datachannel;

/**
 * How a channel is created (the W3C RTCDataChannelInit): ordered or not, at most one of
 * {@code maxRetransmits} and {@code maxPacketLifeTime} (-1: not set), the subprotocol, and whether the
 * application negotiated it out of band with the stream {@code id} of its choice.
 *
 * @param priority RFC 8831 6.4 / RFC 8832: 128 below normal, 256 normal, 512 high, 1024 extra high
 */
public record DataChannelOptions(boolean ordered, int maxRetransmits, long maxPacketLifeTime, String protocol,
                                 boolean negotiated, int id, int priority) {

    public static final int PRIORITY_NORMAL = 256;

    public DataChannelOptions {
        if (maxRetransmits >= 0 && maxPacketLifeTime >= 0) {
            throw new IllegalArgumentException("maxRetransmits and maxPacketLifeTime are exclusive (TypeError)");
        }
        if (negotiated && (id < 0 || id > 65534)) {
            throw new IllegalArgumentException("a negotiated channel needs an id in 0..65534 (TypeError)");
        }
        if (protocol == null) {
            protocol = "";
        }
    }

    public static DataChannelOptions reliable() {
        return new DataChannelOptions(true, -1, -1, "", false, -1, PRIORITY_NORMAL);
    }

    public DataChannelOptions unordered() {
        return new DataChannelOptions(false, maxRetransmits, maxPacketLifeTime, protocol, negotiated, id, priority);
    }

    public DataChannelOptions maxRetransmits(int n) {
        return new DataChannelOptions(ordered, n, -1, protocol, negotiated, id, priority);
    }

    public DataChannelOptions maxPacketLifeTime(long millis) {
        return new DataChannelOptions(ordered, -1, millis, protocol, negotiated, id, priority);
    }

    public DataChannelOptions protocol(String value) {
        return new DataChannelOptions(ordered, maxRetransmits, maxPacketLifeTime, value, negotiated, id, priority);
    }

    public DataChannelOptions negotiated(int streamId) {
        return new DataChannelOptions(ordered, maxRetransmits, maxPacketLifeTime, protocol, true, streamId, priority);
    }

    public DataChannelOptions priority(int value) {
        return new DataChannelOptions(ordered, maxRetransmits, maxPacketLifeTime, protocol, negotiated, id, value);
    }

    /** The DCEP channel type (RFC 8832 5.1). */
    int channelType() {
        int t = maxRetransmits >= 0 ? DcepMessage.PARTIAL_RELIABLE_REXMIT
                : maxPacketLifeTime >= 0 ? DcepMessage.PARTIAL_RELIABLE_TIMED : DcepMessage.RELIABLE;
        return ordered ? t : t | DcepMessage.UNORDERED;
    }

    long reliabilityParameter() {
        return maxRetransmits >= 0 ? maxRetransmits : Math.max(maxPacketLifeTime, 0);
    }

    static DataChannelOptions from(DcepMessage.Open open, int id) {
        int base = open.channelType() & 0x7F;
        int rtx = base == DcepMessage.PARTIAL_RELIABLE_REXMIT ? (int) Math.min(open.reliabilityParameter(), 65535) : -1;
        long life = base == DcepMessage.PARTIAL_RELIABLE_TIMED ? open.reliabilityParameter() : -1;
        return new DataChannelOptions(open.ordered(), rtx, life, open.protocol(), false, id, open.priority());
    }
}
