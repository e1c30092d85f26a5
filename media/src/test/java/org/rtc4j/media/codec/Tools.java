package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's ffmpeg and friends for the interoperability tests, and compares signals. */
final class Tools {

    private Tools() {
    }

    /** Runs {@code cmd}, failing the test with its output unless it exits 0 within 60 s; returns stdout+stderr. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    /** 16-bit little-endian samples of a raw file. */
    static short[] readS16(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
        }
        return s;
    }

    static void writeS16(Path file, short[] s) throws IOException {
        byte[] b = new byte[s.length * 2];
        for (int i = 0; i < s.length; i++) {
            b[2 * i] = (byte) s[i];
            b[2 * i + 1] = (byte) (s[i] >> 8);
        }
        Files.write(file, b);
    }

    /** Concatenates interleaved sample arrays. */
    static short[] concat(List<short[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        short[] out = new short[n];
        int o = 0;
        for (short[] a : parts) {
            System.arraycopy(a, 0, out, o, a.length);
            o += a.length;
        }
        return out;
    }

    /**
     * Signal-to-noise ratio in dB of {@code decoded} against {@code reference} (interleaved, {@code channels}),
     * after shifting {@code decoded} by the lag (0 to {@code maxLag} frames) that fits best; compared from
     * {@code from} frames on, over {@code length} frames.
     */
    static double snr(short[] reference, short[] decoded, int channels, int maxLag, int from, int length) {
        double best = Double.NEGATIVE_INFINITY;
        for (int lag = 0; lag <= maxLag; lag++) {
            double signal = 0;
            double noise = 0;
            for (int i = from * channels; i < (from + length) * channels; i++) {
                int j = i + lag * channels;
                if (j >= decoded.length || i >= reference.length) {
                    break;
                }
                double d = reference[i] - decoded[j];
                signal += (double) reference[i] * reference[i];
                noise += d * d;
            }
            best = Math.max(best, 10 * Math.log10(signal / Math.max(noise, 1e-9)));
        }
        return best;
    }
}
