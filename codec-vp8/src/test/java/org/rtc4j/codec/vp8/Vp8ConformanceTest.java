package org.rtc4j.codec.vp8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams made by ffmpeg with libvpx decode to exactly the frames libvpx decodes, compared frame by
 * frame by the MD5 of each I420 picture.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Vp8ConformanceTest {

    @TempDir
    Path dir;

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("failed: " + cmd);
        }
    }

    /** Encodes a lavfi source with libvpx into an IVF file. */
    Path encode(String name, String source, int frames, String... options) throws Exception {
        Path out = dir.resolve(name + ".ivf");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source,
                "-frames:v", Integer.toString(frames), "-c:v", "libvpx"));
        cmd.addAll(List.of(options));
        cmd.add(out.toString());
        run(cmd);
        return out;
    }

    /** MD5s of the frames libvpx (through ffmpeg) decodes from an IVF file. */
    List<String> reference(Path ivf, int w, int h) throws Exception {
        Path raw = dir.resolve(ivf.getFileName() + ".yuv");
        run(List.of("ffmpeg", "-v", "error", "-y", "-c:v", "libvpx", "-i", ivf.toString(), "-f", "rawvideo",
                "-pix_fmt", "yuv420p", "-fps_mode", "passthrough", raw.toString()));
        byte[] all = Files.readAllBytes(raw);
        int size = w * h + 2 * ((w + 1) / 2) * ((h + 1) / 2);
        List<String> md5s = new ArrayList<>();
        for (int o = 0; o + size <= all.length; o += size) {
            md5s.add(md5(all, o, size));
        }
        return md5s;
    }

    static String md5(byte[] b, int off, int len) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        md.update(b, off, len);
        return HexFormat.of().formatHex(md.digest());
    }

    void assertConforms(Path ivf, int w, int h) throws Exception {
        List<String> expected = reference(ivf, w, h);
        Vp8Decoder decoder = new Vp8Decoder();
        List<String> actual = new ArrayList<>();
        int n = 0;
        for (byte[] frame : Ivf.frames(ivf)) {
            Optional<Vp8Frame> f = decoder.decode(frame);
            if (f.isPresent()) {
                byte[] i420 = f.get().toI420();
                actual.add(md5(i420, 0, i420.length));
                if (actual.size() <= expected.size() && !actual.get(actual.size() - 1).equals(expected.get(actual.size() - 1))) {
                    fail(ivf.getFileName() + ": frame " + (actual.size() - 1) + " (packet " + n + ") differs");
                }
            }
            n++;
        }
        assertEquals(expected, actual, ivf.getFileName().toString());
    }

    @Test
    void smallTestPattern() throws Exception {
        Path f = encode("small", "testsrc2=size=176x144:rate=30", 10, "-b:v", "300k", "-g", "5");
        assertConforms(f, 176, 144);
    }
}
