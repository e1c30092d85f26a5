package org.rtc4j.media.container.internal;

import org.rtc4j.rtp.Codec;

/** Whether a video frame decodes on its own, read from the first bits of its bitstream. */
public final class KeyFrames {

    private KeyFrames() {
    }

    public static boolean isKey(Codec codec, byte[] frame) {
        if (frame.length == 0) {
            return false;
        }
        return switch (codec) {
            // RFC 6386 9.1: the frame tag's first bit is 0 for a key frame.
            case VP8 -> (frame[0] & 1) == 0;
            case VP9 -> vp9Key(frame[0] & 0xFF);
            case AV1 -> Av1.isKey(frame);
            case H264 -> AnnexB.containsNal(frame, 5);
            default -> true;
        };
    }

    /**
     * VP9 bitstream spec 6.2: frame_marker (2), profile_low_bit, profile_high_bit, [reserved_zero when profile 3],
     * show_existing_frame, frame_type (0 = KEY_FRAME). A superframe starts with its first frame.
     */
    private static boolean vp9Key(int b) {
        if ((b >>> 6) != 2) {
            return false;
        }
        int profile = ((b >>> 5) & 1) | (((b >>> 4) & 1) << 1);
        int bit = profile == 3 ? 2 : 3;
        boolean showExisting = ((b >>> bit) & 1) == 1;
        return !showExisting && ((b >>> (bit - 1)) & 1) == 0;
    }
}
