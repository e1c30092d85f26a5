package org.rtc4j.rtp.payload.internal;

import java.nio.ByteBuffer;
import org.rtc4j.rtp.Codec;

/**
 * What differs between the H.264 (RFC 6184) and H.265 (RFC 7798) payload formats, which otherwise share their
 * design: single NAL unit packets, aggregation packets of 16-bit-length-prefixed units, and fragmentation units.
 */
abstract class NalSyntax {

    /** Packet kinds by the type in the payload header. */
    static final int SINGLE = 0;
    static final int AGGREGATION = 1;
    static final int FRAGMENT = 2;
    static final int UNSUPPORTED = 3;

    abstract Codec codec();

    /** Bytes of the NAL unit header (and of the payload header of aggregation and fragmentation packets). */
    abstract int headerLength();

    /** The type in a NAL unit header, or -1 if its forbidden bit is set. */
    abstract int type(byte[] nal, int off);

    /** The type in a header at index {@code i} of {@code p} (relative to its position), or -1 as above. */
    abstract int type(ByteBuffer p, int i);

    /** Whether a slice whose first header bit is at {@code body} is the picture's first slice. */
    static boolean firstBitSet(ByteBuffer p, int body, int n) {
        return body < n && (Payloads.u8(p, body) & 0x80) != 0;
    }

    abstract int packetKind(int type);

    /** 0, 1, ... for each parameter set kind a key frame needs (SPS, PPS; VPS, SPS, PPS), or -1. */
    abstract int parameterSetSlot(int type);

    abstract int parameterSetSlots();

    /** A unit that starts an independently decodable picture (IDR; IRAP). */
    abstract boolean isKey(int type);

    /**
     * Whether a unit of {@code type} begins an access unit: a parameter set, delimiter or prefix SEI, or the first
     * slice of a picture, told by the first bit after its header, at {@code body} of {@code p} (if below
     * {@code n}).
     */
    abstract boolean beginsAccessUnit(int type, ByteBuffer p, int body, int n);

    /** Writes the payload header of an aggregation packet of units {@code from} to {@code to} (exclusive). */
    abstract void writeAggregationHeader(PayloadWriter w, NalList units, int from, int to);

    /** Writes the payload and FU headers of a fragment of {@code nal}. */
    abstract void writeFragmentHeaders(PayloadWriter w, byte[] nal, int off, boolean start, boolean end);

    /** Bytes before the fragment's data in a fragmentation unit. */
    int fragmentHeaderLength() {
        return headerLength() + 1;
    }

    /** The type of the fragmented unit, from the FU header at index {@code i}. */
    abstract int fragmentType(ByteBuffer p, int i);

    /** Writes the header of the unit being reassembled from its first fragment. */
    abstract void writeFragmentedNalHeader(FrameBuilder out, ByteBuffer p);

    static boolean fragmentStart(ByteBuffer p, int fuHeaderIndex) {
        return (Payloads.u8(p, fuHeaderIndex) & 0x80) != 0;
    }

    static boolean fragmentEnd(ByteBuffer p, int fuHeaderIndex) {
        return (Payloads.u8(p, fuHeaderIndex) & 0x40) != 0;
    }
}
