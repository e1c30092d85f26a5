package org.rtc4j.media.container.internal;

/**
 * AV1 temporal units in low-overhead OBU format (AV1 spec 5.3): key-frame detection, removal of temporal
 * delimiters (Matroska's AV1 mapping keeps them out of blocks) and the AV1CodecConfigurationRecord (av1C) that
 * WebM and Matroska carry in CodecPrivate, built from the sequence header.
 */
public final class Av1 {

    static final int OBU_SEQUENCE_HEADER = 1;
    static final int OBU_TEMPORAL_DELIMITER = 2;
    static final int OBU_FRAME_HEADER = 3;
    static final int OBU_FRAME = 6;

    private Av1() {
    }

    /** Walks the OBUs: returns {start of header, payload start, payload end, type} of the OBU at {@code off}, or null. */
    private static int[] obu(byte[] tu, int off) {
        if (off >= tu.length) {
            return null;
        }
        int header = tu[off] & 0xFF;
        int type = (header >>> 3) & 15;
        boolean ext = (header & 4) != 0;
        boolean hasSize = (header & 2) != 0;
        int p = off + 1 + (ext ? 1 : 0);
        if (p > tu.length) {
            return null;
        }
        long size;
        if (hasSize) {
            size = 0;
            for (int i = 0; ; i++) {
                if (p >= tu.length || i == 8) {
                    return null;
                }
                int b = tu[p++] & 0xFF;
                size |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    break;
                }
            }
        } else {
            size = tu.length - p;
        }
        if (size > tu.length - p) {
            return null;
        }
        return new int[] {off, p, p + (int) size, type};
    }

    public static boolean isKey(byte[] tu) {
        boolean reduced = false;
        for (int[] o = obu(tu, 0); o != null; o = obu(tu, o[2])) {
            if (o[3] == OBU_SEQUENCE_HEADER && o[2] > o[1]) {
                // seq_profile (3), still_picture (1), reduced_still_picture_header (1)
                reduced = (tu[o[1]] & 0x08) != 0;
            } else if (o[3] == OBU_FRAME_HEADER || o[3] == OBU_FRAME) {
                if (reduced) {
                    return true;
                }
                BitReader r = new BitReader(tu, o[1], o[2] - o[1]);
                boolean showExisting = r.flag();
                return !showExisting && r.bits(2) == 0;
            }
        }
        return false;
    }

    /** The temporal unit without temporal delimiter OBUs (the same array when it has none). */
    public static byte[] withoutTemporalDelimiters(byte[] tu) {
        int[] o = obu(tu, 0);
        if (o == null || o[3] != OBU_TEMPORAL_DELIMITER) {
            return tu;
        }
        ByteBuilder out = new ByteBuilder(tu.length);
        for (; o != null; o = obu(tu, o[2])) {
            if (o[3] != OBU_TEMPORAL_DELIMITER) {
                out.bytes(tu, o[0], o[2] - o[0]);
            }
        }
        return out.toByteArray();
    }

    /** The av1C record (AV1-ISOBMFF 2.3.3) for the sequence header in {@code tu}, or null when it has none. */
    public static byte[] codecConfiguration(byte[] tu) {
        for (int[] o = obu(tu, 0); o != null; o = obu(tu, o[2])) {
            if (o[3] == OBU_SEQUENCE_HEADER) {
                return fromSequenceHeader(tu, o);
            }
        }
        return null;
    }

    /** AV1 spec 5.5: reads only as far as color_config to fill av1C's fixed 4 bytes. */
    private static byte[] fromSequenceHeader(byte[] tu, int[] o) {
        BitReader r = new BitReader(tu, o[1], o[2] - o[1]);
        int profile = (int) r.bits(3);
        r.bit(); // still_picture
        boolean reduced = r.flag();
        int level0 = 0;
        int tier0 = 0;
        boolean initialDelayPresent0 = false;
        int initialDelay0 = 0;
        if (reduced) {
            level0 = (int) r.bits(5);
        } else {
            boolean decoderModelInfo = false;
            int bufferDelayLength = 0;
            if (r.flag()) { // timing_info_present_flag
                r.bits(32);
                r.bits(32);
                if (r.flag()) { // equal_picture_interval
                    r.uvlc();
                }
                decoderModelInfo = r.flag();
                if (decoderModelInfo) {
                    bufferDelayLength = (int) r.bits(5) + 1;
                    r.bits(32);
                    r.bits(5);
                    r.bits(5);
                }
            }
            boolean initialDisplayDelay = r.flag();
            int points = (int) r.bits(5) + 1;
            for (int i = 0; i < points; i++) {
                r.bits(12);
                int level = (int) r.bits(5);
                int tier = level > 7 ? r.bit() : 0;
                if (decoderModelInfo && r.flag()) {
                    r.bits(bufferDelayLength);
                    r.bits(bufferDelayLength);
                    r.bit();
                }
                boolean delayPresent = false;
                int delay = 0;
                if (initialDisplayDelay && r.flag()) {
                    delayPresent = true;
                    delay = (int) r.bits(4);
                }
                if (i == 0) {
                    level0 = level;
                    tier0 = tier;
                    initialDelayPresent0 = delayPresent;
                    initialDelay0 = delay;
                }
            }
        }
        int widthBits = (int) r.bits(4) + 1;
        int heightBits = (int) r.bits(4) + 1;
        r.bits(widthBits);
        r.bits(heightBits);
        if (!reduced && r.flag()) { // frame_id_numbers_present_flag
            r.bits(4);
            r.bits(3);
        }
        r.bits(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
        boolean orderHint = false;
        if (!reduced) {
            r.bits(4); // interintra, masked compound, warped motion, dual filter
            orderHint = r.flag();
            if (orderHint) {
                r.bits(2); // jnt_comp, ref_frame_mvs
            }
            int forceScreenContentTools = r.flag() ? 2 : r.bit();
            if (forceScreenContentTools > 0 && !r.flag()) {
                r.bit(); // seq_force_integer_mv
            }
            if (orderHint) {
                r.bits(3);
            }
        }
        r.bits(3); // superres, cdef, restoration
        // color_config (5.5.2)
        boolean highBitDepth = r.flag();
        boolean twelveBit = profile == 2 && highBitDepth && r.flag();
        boolean mono = profile != 1 && r.flag();
        int cp = 2;
        int tc = 2;
        int mc = 2;
        if (r.flag()) {
            cp = (int) r.bits(8);
            tc = (int) r.bits(8);
            mc = (int) r.bits(8);
        }
        int ssx;
        int ssy;
        int chromaPosition = 0;
        if (mono) {
            r.bit();
            ssx = 1;
            ssy = 1;
        } else if (cp == 1 && tc == 13 && mc == 0) {
            ssx = 0;
            ssy = 0;
        } else {
            r.bit(); // color_range
            if (profile == 0) {
                ssx = 1;
                ssy = 1;
            } else if (profile == 1) {
                ssx = 0;
                ssy = 0;
            } else if (twelveBit) {
                ssx = r.bit();
                ssy = ssx == 1 ? r.bit() : 0;
            } else {
                ssx = 1;
                ssy = 0;
            }
            if (ssx == 1 && ssy == 1) {
                chromaPosition = (int) r.bits(2);
            }
        }
        if (r.overrun()) {
            return null;
        }
        ByteBuilder c = new ByteBuilder(8 + o[2] - o[0]);
        c.u8(0x81); // marker, version 1
        c.u8((profile << 5) | level0);
        c.u8((tier0 << 7) | (highBitDepth ? 0x40 : 0) | (twelveBit ? 0x20 : 0) | (mono ? 0x10 : 0) | (ssx << 3)
                | (ssy << 2) | chromaPosition);
        c.u8(initialDelayPresent0 ? 0x10 | initialDelay0 : 0);
        c.bytes(tu, o[0], o[2] - o[0]); // configOBUs: the sequence header itself
        return c.toByteArray();
    }
}
