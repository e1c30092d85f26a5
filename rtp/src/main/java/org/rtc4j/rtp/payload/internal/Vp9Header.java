package org.rtc4j.rtp.payload.internal;

import java.nio.ByteBuffer;

/**
 * The start of a VP9 frame's uncompressed header (VP9 bitstream specification, section 6.2), read as far as the
 * payload format needs: whether the frame is a key frame, and a key frame's size for the scalability structure.
 * Nothing here allocates: the receive path asks it of every frame's first packet.
 */
final class Vp9Header {

    private static final int CS_RGB = 7;

    private Vp9Header() {
    }

    /** A shown-or-hidden key frame (frame_type 0), not a show_existing_frame. */
    static boolean isKeyFrame(ByteBuffer b, int offset) {
        int at = b.position() + offset;
        return at < b.limit() && isKeyFrame(b.get(at));
    }

    static boolean isKeyFrame(byte[] data, int offset) {
        return offset < data.length && isKeyFrame(data[offset]);
    }

    /**
     * The first byte holds all it takes: frame_marker (2 bits, 0b10), profile_low_bit, profile_high_bit, a
     * reserved zero for profile 3 only, then show_existing_frame and frame_type, both 0 for a key frame.
     */
    private static boolean isKeyFrame(byte first) {
        int x = first & 0xFF;
        if (x >>> 6 != 2) {
            return false;
        }
        int shift = (x & 0x30) == 0x30 ? 1 : 2;
        return (x >>> shift & 3) == 0;
    }

    /**
     * The width and height of a key frame as {@code width << 16 | height}, or -1 if the data does not start with a
     * readable key frame header; {@code r} is a reader the caller reuses.
     */
    static long keyFrameSize(byte[] data, Bits r) {
        r.reset(data);
        if (r.bits(2) != 2) {
            return -1;                                         // frame_marker
        }
        int profile = r.bit() | r.bit() << 1;
        if (profile == 3) {
            r.bit();                                           // reserved_zero
        }
        if (r.bit() != 0 || r.bit() != 0) {
            return -1;                                         // show_existing_frame, frame_type
        }
        r.bits(2);                                             // show_frame, error_resilient_mode
        if (r.bits(24) != 0x498342) {
            return -1;
        }
        if (profile >= 2) {
            r.bit();                                           // ten_or_twelve_bit
        }
        if (r.bits(3) != CS_RGB) {
            r.bit();                                           // color_range
            if (profile == 1 || profile == 3) {
                r.bits(3);                                     // subsampling_x, subsampling_y, reserved_zero
            }
        } else if (profile == 1 || profile == 3) {
            r.bit();
        }
        long width = r.bits(16) + 1;
        long height = r.bits(16) + 1;
        return r.overrun() ? -1 : width << 16 | height;
    }

    /** MSB-first bits of an array; past the end it reads zeros and remembers the overrun. */
    static final class Bits {
        private byte[] b;
        private int end;
        private int bit;

        void reset(byte[] data) {
            b = data;
            bit = 0;
            end = data.length * 8;
        }

        int bit() {
            if (bit >= end) {
                bit++;
                return 0;
            }
            int v = (b[bit >>> 3] >>> (7 - (bit & 7))) & 1;
            bit++;
            return v;
        }

        int bits(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | bit();
            }
            return v;
        }

        boolean overrun() {
            return bit > end;
        }
    }
}
