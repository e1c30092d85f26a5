package org.rtc4j.rtp.payload.internal;

import static org.rtc4j.rtp.payload.internal.Payloads.u8;

import java.nio.ByteBuffer;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.payload.Depacketizer;
import org.rtc4j.rtp.payload.Packetizer;

/**
 * H.265, RFC 7798, without decoding order numbers (sprop-max-don-diff 0, as WebRTC uses it): single NAL unit
 * packets, aggregation packets (AP) and fragmentation units (FU). PACI packets are refused.
 *
 * <pre>
 * NAL unit / payload header (1.1.4)     AP (4.4.2): header type 48, then (size (16), NALU)...
 * +---------------+---------------+     FU (4.4.3): header type 49, then the FU header, then data:
 * |F|   Type    |  LayerId  | TID |     +---------------+
 * +-------------+-----------------+     |S|E|  FuType   |
 *                                       +---------------+
 * </pre>
 */
public final class H265Format extends NalSyntax {

    private static final int AP = 48;
    private static final int FU = 49;
    private static final H265Format SYNTAX = new H265Format();

    private H265Format() {
    }

    public static Packetizer packetizer() {
        return new NalPacketizer(SYNTAX, true);
    }

    /** {@code spropParameterSets}: the VPS, SPS and PPS of the SDP's sprop-vps/sps/pps, if any. */
    public static Depacketizer depacketizer(byte[]... spropParameterSets) {
        return new NalDepacketizer(SYNTAX, spropParameterSets);
    }

    @Override
    Codec codec() {
        return Codec.H265;
    }

    @Override
    int headerLength() {
        return 2;
    }

    @Override
    int type(byte[] nal, int off) {
        return (nal[off] & 0x80) != 0 ? -1 : (nal[off] >>> 1) & 0x3F;
    }

    @Override
    int type(ByteBuffer p, int i) {
        int b = u8(p, i);
        return (b & 0x80) != 0 ? -1 : (b >>> 1) & 0x3F;
    }

    @Override
    int packetKind(int type) {
        if (type >= 0 && type <= 47) {
            return SINGLE;
        }
        return type == AP ? AGGREGATION : type == FU ? FRAGMENT : UNSUPPORTED;
    }

    /** VPS 32, SPS 33, PPS 34. */
    @Override
    int parameterSetSlot(int type) {
        return type >= 32 && type <= 34 ? type - 32 : -1;
    }

    @Override
    int parameterSetSlots() {
        return 3;
    }

    /** Intra random access point pictures, types 16-23 (H.265 table 7-1). */
    @Override
    boolean isKey(int type) {
        return type >= 16 && type <= 23;
    }

    /** H.265 section 7.4.2.4.4: parameter sets, AUD and prefix SEI open an access unit; a first slice segment. */
    @Override
    boolean beginsAccessUnit(int type, ByteBuffer p, int body, int n) {
        if (type >= 32 && type <= 35 || type == 39) {
            return true;
        }
        return type <= 31 && type >= 0 && firstBitSet(p, body, n);  // first_slice_segment_in_pic_flag
    }

    /** Section 4.4.2: F is the OR, LayerId and TID the lowest of the aggregated units'. */
    @Override
    void writeAggregationHeader(PayloadWriter w, NalList units, int from, int to) {
        int f = 0;
        int layer = 63;
        int tid = 7;
        for (int i = from; i < to; i++) {
            byte[] a = units.array(i);
            int o = units.offset(i);
            f |= a[o] & 0x80;
            layer = Math.min(layer, (a[o] & 1) << 5 | (a[o + 1] & 0xFF) >>> 3);
            tid = Math.min(tid, a[o + 1] & 7);
        }
        w.put(f | AP << 1 | layer >>> 5);
        w.put((layer & 0x1F) << 3 | tid);
    }

    @Override
    void writeFragmentHeaders(PayloadWriter w, byte[] nal, int off, boolean start, boolean end) {
        w.put(nal[off] & 0x81 | FU << 1);
        w.put(nal[off + 1]);
        w.put((start ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[off] >>> 1) & 0x3F);
    }

    @Override
    int fragmentType(ByteBuffer p, int i) {
        return u8(p, i) & 0x3F;
    }

    @Override
    void writeFragmentedNalHeader(FrameBuilder out, ByteBuffer p) {
        out.put(u8(p, 0) & 0x81 | fragmentType(p, 2) << 1);
        out.put(u8(p, 1));
    }
}
