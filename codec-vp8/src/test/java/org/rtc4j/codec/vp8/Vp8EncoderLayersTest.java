package org.rtc4j.codec.vp8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal layers, key frames on request and bit rate changes: a forwarder that drops the upper
 * layers leaves a stream that decodes (in ours and in ffmpeg) to exactly the same pictures for
 * the frames it keeps; the rate follows a new target.
 */
@Timeout(180)
class Vp8EncoderLayersTest {

    private static final int W = 176;
    private static final int H = 144;

    @TempDir
    Path dir;

    @Test
    void threeLayersEachDecodableAlone() throws Exception {
        checkLayers(3, new int[] {0, 2, 1, 2}, true);
    }

    @Test
    void twoLayersEachDecodableAlone() throws Exception {
        checkLayers(2, new int[] {0, 1}, false);
    }

    private void checkLayers(int layers, int[] pattern, boolean errorResilient) throws Exception {
        List<Vp8Frame> clip = Clips.testsrc2(dir, W, H, 30, 26);
        Vp8Encoder enc = new Vp8Encoder(W, H, 300_000, 30, layers, errorResilient);
        List<Vp8EncodedFrame> frames = new ArrayList<>();
        for (int i = 0; i < clip.size(); i++) {
            if (i == 9) {
                enc.setTargetBitrate(150_000);
            }
            // A PLI at frame 14, in the middle of the layer pattern: the pattern restarts there.
            Vp8EncodedFrame f = enc.encode(clip.get(i), i == 14);
            int sincekey = i < 14 ? i : i - 14;
            assertEquals(i == 0 || i == 14, f.keyFrame());
            assertEquals(pattern[sincekey % pattern.length], f.temporalLayer(), "layer of frame " + i);
            frames.add(f);
        }
        List<String> full = decode(frames, layers - 1);
        for (int top = 0; top < layers - 1; top++) {
            List<String> kept = decode(frames, top);
            int k = 0;
            for (int i = 0; i < frames.size(); i++) {
                if (frames.get(i).temporalLayer() <= top) {
                    assertEquals(full.get(i), kept.get(k++), "frame " + i + " with layers up to " + top);
                }
            }
            assertEquals(kept.size(), k);
            int limit = top;
            List<byte[]> sub = frames.stream().filter(f -> f.temporalLayer() <= limit)
                    .map(Vp8EncodedFrame::data).toList();
            Path ivf = dir.resolve("layers" + layers + "-" + top + ".ivf");
            Clips.writeIvf(ivf, W, H, 30, sub);
            Libvpx.run(List.of("ffmpeg", "-v", "error", "-xerror", "-c:v", "libvpx", "-i", ivf.toString(), "-f",
                    "null", "-"));
            assertEquals(kept, Libvpx.decodedMd5s(ivf, W, H), "libvpx decodes layers up to " + top + " otherwise");
        }
    }

    /** MD5 of each picture our decoder shows for the frames of layers up to top, in order. */
    private static List<String> decode(List<Vp8EncodedFrame> frames, int top) throws Vp8DecodeException {
        Vp8Decoder d = new Vp8Decoder();
        List<String> out = new ArrayList<>();
        for (Vp8EncodedFrame f : frames) {
            if (f.temporalLayer() <= top) {
                byte[] i420 = d.decode(f.data()).orElseThrow().toI420();
                out.add(Libvpx.md5(i420, 0, i420.length));
            }
        }
        return out;
    }

    @Test
    void errorResilientStreamDecodesAfterLosses() throws Exception {
        List<Vp8Frame> clip = Clips.testsrc2(dir, W, H, 30, 20);
        Vp8Encoder enc = new Vp8Encoder(W, H, 300_000, 30, 1, true);
        List<byte[]> received = new ArrayList<>();
        Vp8Decoder d = new Vp8Decoder();
        for (int i = 0; i < clip.size(); i++) {
            byte[] f = enc.encode(clip.get(i), false).data();
            if (i % 4 == 2) {
                continue; // lost: the frames after it still parse, since none inherits its probabilities
            }
            received.add(f);
            d.decode(f).orElseThrow();
        }
        Path ivf = dir.resolve("lossy.ivf");
        Clips.writeIvf(ivf, W, H, 30, received);
        Libvpx.run(List.of("ffmpeg", "-v", "error", "-xerror", "-c:v", "libvpx", "-i", ivf.toString(), "-f", "null",
                "-"));
    }

    @Test
    void rateFollowsANewTarget() throws Exception {
        List<Vp8Frame> clip = Clips.testsrc2(dir, 320, 240, 30, 90);
        Vp8Encoder enc = new Vp8Encoder(320, 240, 600_000, 30);
        long first = 0;
        long second = 0;
        for (int i = 0; i < clip.size(); i++) {
            if (i == 45) {
                enc.setTargetBitrate(300_000);
            }
            int bits = enc.encode(clip.get(i), false).data().length * 8;
            if (i < 45) {
                first += bits;
            } else {
                second += bits;
            }
        }
        double r1 = first * 30.0 / 45;
        double r2 = second * 30.0 / 45;
        System.out.printf("VP8 320x240: %.0f bit/s for 600000, then %.0f bit/s for 300000%n", r1, r2);
        assertTrue(Math.abs(r1 - 600_000) < 60_000, "first half at " + r1);
        assertTrue(Math.abs(r2 - 300_000) < 30_000, "second half at " + r2);
    }
}
