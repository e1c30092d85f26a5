package org.rtc4j.internal;

import java.nio.ByteBuffer;
import java.util.Random;

/** Encoded frames that the Opus and VP8 payload formats take as valid, with random content to compare. */
public final class SyntheticFrames {

    private SyntheticFrames() {
    }

    /** An Opus packet of one CELT 20 ms frame (RFC 6716 section 3.1, TOC config 31, code 0) with random bytes. */
    public static byte[] opus(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        b[0] = (byte) (31 << 3);
        return b;
    }

    /**
     * A VP8 frame with a valid frame tag (RFC 6386 section 9.1): key frames carry the start code and a size;
     * the first partition is said to be empty, the rest random.
     */
    public static byte[] vp8(Random random, boolean key, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        b[0] = (byte) (key ? 0x10 : 0x11);   // show_frame, version 0, key frame bit (0 = key), partition size 0
        b[1] = 0;
        b[2] = 0;
        if (key) {
            b[3] = (byte) 0x9d;
            b[4] = 0x01;
            b[5] = 0x2a;
            ByteBuffer.wrap(b, 6, 4).putShort(Short.reverseBytes((short) 640)).putShort(Short.reverseBytes((short) 480));
        }
        return b;
    }
}
