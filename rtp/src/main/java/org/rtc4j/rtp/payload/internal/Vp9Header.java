package org.rtc4j.rtp.payload.internal;

import java.nio.ByteBuffer;

/**
 * The start of a VP9 frame's uncompressed header (VP9 bitstream specification, section 6.2), read as far as the
 * payload format needs: whether the frame is a key frame, and a key frame's size for the scalability structure.
 */
final class Vp9Header {

    private static final int CS_RGB = 7;

    private Vp9Header() {
    }

    /** A shown-or-hidden key frame (frame_type 0), not a show_existing_frame. */
    static boolean isKeyFrame(ByteBuffer b, int offset) {
        Bits r = new Bits(b, offset);
        int profile = profile(r);
        if (profile < 0) {
            return false;
        }
        return r.bit() == 0 && r.bit() == 0 && !r.overrun();
    }

    /** {width, height} of a key frame, or null if the data does not start with a readable key frame header. */
    static int[] keyFrameSize(byte[] data) {
        Bits r = new Bits(ByteBuffer.wrap(data), 0);
        int profile = profile(r);
        if (profile < 0 || r.bit() != 0 || r.bit() != 0) {
            return null;
        }
        r.bits(2);                                             // show_frame, error_resilient_mode
        if (r.bits(24) != 0x498342) {
            return null;
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
        int width = r.bits(16) + 1;
        int height = r.bits(16) + 1;
        return r.overrun() ? null : new int[] {width, height};
    }

    /** frame_marker and profile; -1 if the marker is wrong. */
    private static int profile(Bits r) {
        if (r.bits(2) != 2) {
            return -1;
        }
        int profile = r.bit() | r.bit() << 1;
        if (profile == 3) {
            r.bit();
        }
        return profile;
    }

    /** MSB-first bits; past the end it reads zeros and remembers the overrun. */
    private static final class Bits {
        private final ByteBuffer b;
        private final int end;
        private int bit;

        Bits(ByteBuffer b, int offset) {
            this.b = b;
            this.bit = (b.position() + offset) * 8;
            this.end = b.limit() * 8;
        }

        int bit() {
            if (bit >= end) {
                bit++;
                return 0;
            }
            int v = (b.get(bit >>> 3) >>> (7 - (bit & 7))) & 1;
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
