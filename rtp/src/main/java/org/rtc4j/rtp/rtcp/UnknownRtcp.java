package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An RTCP packet of a type (or feedback format) this stack does not read, or a known type whose body did not
 * parse: kept as bytes, header included, and skipped (RFC 3550 section 6.1 lets a receiver ignore what it does
 * not know).
 *
 * @param type      the packet type
 * @param count     the 5-bit count or format field
 * @param packet    the whole packet, header included
 * @param malformed whether it is a known type that did not parse
 */
public record UnknownRtcp(int type, int count, byte[] packet, boolean malformed) implements RtcpPacket {

    @Override
    public int length() {
        return packet.length;
    }

    @Override
    public void write(ByteBuffer dst) {
        dst.put(packet);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownRtcp u && type == u.type && count == u.count && Arrays.equals(packet, u.packet);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(packet);
    }

    @Override
    public String toString() {
        return "UnknownRtcp[type=" + type + " count=" + count + " " + packet.length + "B"
                + (malformed ? " malformed" : "") + "]";
    }
}
