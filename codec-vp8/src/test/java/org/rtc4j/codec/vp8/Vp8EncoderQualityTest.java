package org.rtc4j.codec.vp8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quality and rate at 640x480 beside libvpx in real-time mode (-deadline realtime -cpu-used 8)
 * at the same target, on the same noisy testsrc2 clip: the figures are printed; the rate must
 * hold within 10 % of the target, the PSNR be within 2 dB of libvpx's, and ffmpeg decode ours.
 */
@Timeout(300)
class Vp8EncoderQualityTest {

    private static final int W = 640;
    private static final int H = 480;
    private static final int FPS = 30;
    private static final int FRAMES = 45;
    private static final int RATE = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void holdsTheRateBesideLibvpx() throws Exception {
        List<Vp8Frame> clip = Clips.testsrc2(dir, W, H, FPS, FRAMES);
        Vp8Encoder enc = new Vp8Encoder(W, H, RATE, FPS);
        Vp8Decoder dec = new Vp8Decoder();
        List<byte[]> frames = new ArrayList<>();
        long bytes = 0;
        double psnr = 0;
        for (Vp8Frame f : clip) {
            byte[] data = enc.encode(f, false).data();
            frames.add(data);
            bytes += data.length;
            byte[] out = dec.decode(data).orElseThrow().toI420();
            assertArrayEquals(enc.reconstruction().toI420(), out);
            psnr += Clips.psnr(f.toI420(), out);
        }
        psnr /= FRAMES;
        double rate = bytes * 8.0 * FPS / FRAMES;
        Path ours = dir.resolve("ours.ivf");
        Clips.writeIvf(ours, W, H, FPS, frames);
        Libvpx.run(List.of("ffmpeg", "-v", "error", "-xerror", "-i", ours.toString(), "-f", "null", "-"));

        Path theirs = dir.resolve("libvpx.ivf");
        Libvpx.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", W + "x" + H,
                "-r", Integer.toString(FPS), "-i", Clips.rawFile(dir, W, H, FRAMES).toString(), "-c:v", "libvpx",
                "-deadline", "realtime", "-cpu-used", "8", "-b:v", Integer.toString(RATE), theirs.toString()));
        List<byte[]> theirFrames = Ivf.frames(theirs);
        Vp8Decoder theirDec = new Vp8Decoder();
        double theirPsnr = 0;
        long theirBytes = 0;
        for (int i = 0; i < theirFrames.size(); i++) {
            theirBytes += theirFrames.get(i).length;
            theirPsnr += Clips.psnr(clip.get(i).toI420(), theirDec.decode(theirFrames.get(i)).orElseThrow().toI420());
        }
        theirPsnr /= theirFrames.size();
        double theirRate = theirBytes * 8.0 * FPS / theirFrames.size();
        System.out.printf("VP8 %dx%d %d frames at %d bit/s: rtc4j %.0f bit/s PSNR %.2f dB; "
                + "libvpx realtime cpu-used 8 %.0f bit/s PSNR %.2f dB%n", W, H, FRAMES, RATE, rate, psnr, theirRate,
                theirPsnr);
        assertTrue(Math.abs(rate - RATE) <= 0.1 * RATE, "rate " + rate + " not within 10 % of " + RATE);
        // libvpx spends more than the target on so short a clip, which only favours it here.
        assertTrue(psnr >= theirPsnr - 2, "PSNR " + psnr + " more than 2 dB below libvpx's " + theirPsnr);
    }
}
