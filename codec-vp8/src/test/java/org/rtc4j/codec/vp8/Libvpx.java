package org.rtc4j.codec.vp8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's ffmpeg with libvpx: encodes lavfi clips to IVF and decodes IVF to I420 frames. */
final class Libvpx {

    private Libvpx() {}

    static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + cmd);
        }
    }

    /** Encodes frames of a lavfi source with libvpx into out (IVF), in one pass or two. */
    static Path encode(Path out, String source, int frames, boolean twoPass, List<String> options)
            throws IOException, InterruptedException {
        List<String> base = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source,
                "-frames:v", Integer.toString(frames), "-c:v", "libvpx"));
        base.addAll(options);
        if (twoPass) {
            String log = out.toString() + ".log";
            List<String> first = new ArrayList<>(base);
            first.addAll(List.of("-pass", "1", "-passlogfile", log, "-f", "null", "-"));
            run(first);
            base.addAll(List.of("-pass", "2", "-passlogfile", log));
        }
        base.add(out.toString());
        run(base);
        return out;
    }

    /** The MD5 of each I420 frame libvpx decodes from an IVF file of frames w x h. */
    static List<String> decodedMd5s(Path ivf, int w, int h) throws IOException, InterruptedException {
        Path raw = ivf.resolveSibling(ivf.getFileName() + ".yuv");
        run(List.of("ffmpeg", "-v", "error", "-y", "-c:v", "libvpx", "-i", ivf.toString(), "-f", "rawvideo",
                "-pix_fmt", "yuv420p", "-fps_mode", "passthrough", raw.toString()));
        byte[] all = Files.readAllBytes(raw);
        Files.delete(raw);
        int size = w * h + 2 * ((w + 1) / 2) * ((h + 1) / 2);
        if (all.length % size != 0) {
            throw new IOException("libvpx output is not a whole number of " + w + "x" + h + " frames");
        }
        List<String> md5s = new ArrayList<>();
        for (int o = 0; o < all.length; o += size) {
            md5s.add(md5(all, o, size));
        }
        return md5s;
    }

    static String md5(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(b, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
