package org.rtc4j.codec.vp8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt or truncated frame is an error for that frame; the decoder then waits for a key frame. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Vp8CorruptionTest {

    @TempDir
    static Path dir;

    static List<byte[]> packets;
    static List<String> expected;

    @BeforeAll
    static void stream() throws Exception {
        Path ivf = Libvpx.encode(dir.resolve("k4.ivf"), "testsrc2=s=176x144:r=30,noise=alls=15:allf=t+u", 12, false,
                List.of("-b:v", "300k", "-g", "4", "-keyint_min", "4"));
        packets = Ivf.frames(ivf);
        expected = Libvpx.decodedMd5s(ivf, 176, 144);
        assertEquals(12, packets.size());
        assertEquals(12, expected.size());
    }

    private static boolean isKey(byte[] frame) {
        return (frame[0] & 1) == 0;
    }

    @Test
    void afterATruncatedFrameOnlyAKeyFrameIsDecodedAndThenAllIsExactAgain() throws Exception {
        Vp8Decoder d = new Vp8Decoder();
        for (int i = 0; i < 5; i++) {
            d.decode(packets.get(i));
        }
        byte[] five = packets.get(5);
        assertTrue(!isKey(five));
        assertThrows(Vp8DecodeException.class, () -> d.decode(Arrays.copyOf(five, 5)));
        int next = 6;
        while (!isKey(packets.get(next))) {
            byte[] p = packets.get(next++);
            Vp8DecodeException e = assertThrows(Vp8DecodeException.class, () -> d.decode(p));
            assertTrue(e.getMessage().contains("key frame"), e.getMessage());
        }
        for (int i = next; i < packets.size(); i++) {
            byte[] i420 = d.decode(packets.get(i)).orElseThrow().toI420();
            assertEquals(expected.get(i), Libvpx.md5(i420, 0, i420.length), "frame " + i);
        }
    }

    @Test
    void truncatedFramesAreErrorsOrPictures() throws Exception {
        for (int i = 0; i < 6; i += 2) {
            byte[] frame = packets.get(i);
            for (int len = 0; len < frame.length; len += Math.max(1, frame.length / 25)) {
                Vp8Decoder d = decoderAfter(i);
                try {
                    d.decode(frame, 0, len);
                } catch (Vp8DecodeException expectedError) {
                    // reported for this frame only
                }
            }
        }
    }

    @Test
    void flippedBitsAreErrorsOrPictures() throws Exception {
        Random random = new Random(6386);
        for (int round = 0; round < 120; round++) {
            int i = random.nextInt(6);
            byte[] frame = packets.get(i).clone();
            for (int k = 1 + random.nextInt(8); k > 0; k--) {
                int bit = random.nextInt(frame.length * 8);
                frame[bit >> 3] ^= (byte) (1 << (bit & 7));
            }
            Vp8Decoder d = decoderAfter(i);
            try {
                d.decode(frame);
                d.decode(packets.get(i + 1));
            } catch (Vp8DecodeException expectedError) {
                // reported for this frame only
            }
        }
    }

    @Test
    void keyFramesLargerThanAllowedAreRefused() {
        Vp8Decoder d = new Vp8Decoder(160, 144);
        Vp8DecodeException e = assertThrows(Vp8DecodeException.class, () -> d.decode(packets.get(0)));
        assertTrue(e.getMessage().contains("larger than allowed"), e.getMessage());
    }

    private static Vp8Decoder decoderAfter(int frames) throws Vp8DecodeException {
        Vp8Decoder d = new Vp8Decoder(176, 144);
        for (int i = 0; i < frames; i++) {
            d.decode(packets.get(i));
        }
        return d;
    }
}
