package org.rtc4j.codec.vp8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our encoder's streams: each frame decodes in our decoder to exactly the encoder's own
 * reconstruction, and the whole stream decodes in Debian's ffmpeg (libvpx) without error.
 */
@Timeout(120)
class Vp8EncoderTest {

    @TempDir
    Path dir;

    private record Result(List<byte[]> frames, double psnr, long bits) {}

    private Result encodeAndCheck(List<Vp8Frame> clip, Vp8Encoder enc, int keyEvery) throws Exception {
        Vp8Decoder dec = new Vp8Decoder();
        List<byte[]> out = new ArrayList<>();
        double psnr = 0;
        long bits = 0;
        for (int i = 0; i < clip.size(); i++) {
            Vp8Frame f = clip.get(i);
            Vp8EncodedFrame e = enc.encode(f, keyEvery > 0 && i % keyEvery == 0);
            assertEquals(i == 0 || (keyEvery > 0 && i % keyEvery == 0), e.keyFrame(), "key flag of frame " + i);
            byte[] decoded = dec.decode(e.data()).orElseThrow().toI420();
            assertArrayEquals(enc.reconstruction().toI420(), decoded, "frame " + i + " differs from the reconstruction");
            psnr += Clips.psnr(f.toI420(), decoded);
            bits += e.data().length * 8L;
            out.add(e.data());
        }
        return new Result(out, psnr / clip.size(), bits);
    }

    private void assertFfmpegDecodes(Path ivf) throws Exception {
        Libvpx.run(List.of("ffmpeg", "-v", "error", "-xerror", "-i", ivf.toString(), "-f", "null", "-"));
        Libvpx.run(List.of("ffmpeg", "-v", "error", "-xerror", "-c:v", "libvpx", "-i", ivf.toString(), "-f", "null", "-"));
    }

    @Test
    void oddSizeStreamDecodesInBothDecoders() throws Exception {
        int w = 97;
        int h = 61;
        List<Vp8Frame> clip = Clips.testsrc2(dir, w, h, 30, 12);
        Result r = encodeAndCheck(clip, new Vp8Encoder(w, h, 200_000, 30), 5);
        Path ivf = dir.resolve("odd.ivf");
        Clips.writeIvf(ivf, w, h, 30, r.frames());
        assertFfmpegDecodes(ivf);
        List<String> ours = new ArrayList<>();
        Vp8Decoder dec = new Vp8Decoder();
        for (byte[] f : r.frames()) {
            byte[] i420 = dec.decode(f).orElseThrow().toI420();
            ours.add(Libvpx.md5(i420, 0, i420.length));
        }
        assertEquals(Libvpx.decodedMd5s(ivf, w, h), ours, "libvpx decodes other pictures than ours");
        assertTrue(r.psnr() > 25, "PSNR " + r.psnr());
    }
}
