package org.rtc4j.codec.vp8;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever the network sends, the decoder returns a frame, nothing, or Vp8DecodeException: no
 * other exception, no hang, no allocation past the largest frame size. An input is a sequence of
 * frames, each preceded by its length in two bytes (little endian); the seeds are short libvpx
 * streams in that form.
 */
class Vp8FuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decodeNeverThrows(byte[] data) {
        Vp8Decoder decoder = new Vp8Decoder(256, 256);
        int p = 0;
        while (p + 2 <= data.length) {
            int len = Math.min((data[p] & 0xff) | (data[p + 1] & 0xff) << 8, data.length - p - 2);
            p += 2;
            try {
                decoder.decode(data, p, len).ifPresent(f -> {
                    if (f.width() > 256 || f.height() > 256) {
                        throw new AssertionError("frame larger than allowed: " + f.width() + "x" + f.height());
                    }
                });
            } catch (Vp8DecodeException expected) {
                // a corrupt frame is reported; the next key frame starts again
            }
            p += len;
        }
    }
}
