package org.rtc4j.rtp.payload.internal;

import static org.rtc4j.rtp.payload.internal.Payloads.u8;

import java.nio.ByteBuffer;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.payload.Depacketizer;
import org.rtc4j.rtp.payload.Packetizer;

/**
 * H.264, RFC 6184, packetization modes 0 (single NAL unit) and 1 (non-interleaved: also STAP-A and FU-A).
 *
 * <pre>
 * NAL unit header (5.3)   STAP-A (5.7.1)                        FU-A (5.8)
 * +-+-+-+-+-+-+-+-+       +---------------+-------------------   +---------------+---------------+------
 * |F|NRI|  Type   |       |F|NRI| 24      | size (16) | NALU 1   |F|NRI| 28      |S|E|R| Type    | data
 * +-+-+-+-+-+-+-+-+       +---------------+-------------------   +---------------+---------------+------
 *                           ... size | NALU 2 ...                  FU indicator    FU header
 * </pre>
 */
public final class H264Format extends NalSyntax {

    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    private static final int SPS = 7;
    private static final int PPS = 8;
    private static final int IDR = 5;
    private static final H264Format SYNTAX = new H264Format();

    private H264Format() {
    }

    /** A packetizer for {@code packetization-mode} 0 or 1. */
    public static Packetizer packetizer(int packetizationMode) {
        if (packetizationMode != 0 && packetizationMode != 1) {
            throw new IllegalArgumentException("packetization-mode " + packetizationMode + " (0 or 1 supported)");
        }
        return new NalPacketizer(SYNTAX, packetizationMode == 1);
    }

    /**
     * A depacketizer for modes 0 and 1; {@code spropParameterSets} are the SPS and PPS of the SDP's
     * {@code sprop-parameter-sets}, if any (RFC 6184 section 8.1), used until the stream carries its own.
     */
    public static Depacketizer depacketizer(byte[]... spropParameterSets) {
        return new NalDepacketizer(SYNTAX, spropParameterSets);
    }

    @Override
    Codec codec() {
        return Codec.H264;
    }

    @Override
    int headerLength() {
        return 1;
    }

    @Override
    int type(byte[] nal, int off) {
        return (nal[off] & 0x80) != 0 ? -1 : nal[off] & 0x1F;
    }

    @Override
    int type(ByteBuffer p, int i) {
        int b = u8(p, i);
        return (b & 0x80) != 0 ? -1 : b & 0x1F;
    }

    /** Types 25-27 and 29 belong to the interleaved mode, which we do not offer; 0, 30 and 31 are undefined. */
    @Override
    int packetKind(int type) {
        if (type >= 1 && type <= 23) {
            return SINGLE;
        }
        return type == STAP_A ? AGGREGATION : type == FU_A ? FRAGMENT : UNSUPPORTED;
    }

    @Override
    int parameterSetSlot(int type) {
        return type == SPS ? 0 : type == PPS ? 1 : -1;
    }

    @Override
    int parameterSetSlots() {
        return 2;
    }

    @Override
    boolean isKey(int type) {
        return type == IDR;
    }

    /** H.264 section 7.4.1.2.3: units of types 6-9 and 14-18 open an access unit; a slice with first_mb 0. */
    @Override
    boolean beginsAccessUnit(int type, ByteBuffer p, int body, int n) {
        return switch (type) {
            case 6, 7, 8, 9, 14, 15, 16, 17, 18 -> true;
            case 1, 2, 5 -> firstBitSet(p, body, n);           // ue(v) first_mb_in_slice == 0 is the bit '1'
            default -> false;
        };
    }

    /** Section 5.7.1: F is the OR and NRI the maximum of the aggregated units'. */
    @Override
    void writeAggregationHeader(PayloadWriter w, NalList units, int from, int to) {
        int f = 0;
        int nri = 0;
        for (int i = from; i < to; i++) {
            int b = units.array(i)[units.offset(i)];
            f |= b & 0x80;
            nri = Math.max(nri, b & 0x60);
        }
        w.put(f | nri | STAP_A);
    }

    @Override
    void writeFragmentHeaders(PayloadWriter w, byte[] nal, int off, boolean start, boolean end) {
        w.put(nal[off] & 0xE0 | FU_A);
        w.put((start ? 0x80 : 0) | (end ? 0x40 : 0) | nal[off] & 0x1F);
    }

    @Override
    int fragmentType(ByteBuffer p, int i) {
        return u8(p, i) & 0x1F;
    }

    @Override
    void writeFragmentedNalHeader(FrameBuilder out, ByteBuffer p) {
        out.put(u8(p, 0) & 0xE0 | u8(p, 1) & 0x1F);
    }
}
