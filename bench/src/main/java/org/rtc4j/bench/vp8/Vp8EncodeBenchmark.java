package org.rtc4j.bench.vp8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rtc4j.codec.vp8.Vp8DecodeException;
import org.rtc4j.codec.vp8.Vp8Decoder;
import org.rtc4j.codec.vp8.Vp8EncodedFrame;
import org.rtc4j.codec.vp8.Vp8Encoder;
import org.rtc4j.codec.vp8.Vp8Frame;

/**
 * VP8 encoding, frames per second on one thread: 640x480 at 1 Mbit/s and 30 frames a second,
 * from a clip of testsrc2 with noise that Debian's ffmpeg makes at setup. Each operation encodes
 * one frame; the clip repeats (its wrap-around is a scene cut). At setup the clip is encoded once
 * by us and once by libvpx in real-time mode (-deadline realtime -cpu-used 8) at the same rate,
 * and both streams' rate and PSNR against the source are printed.
 *
 * <p>Run: {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.openjdk.jmh.Main Vp8Encode -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Vp8EncodeBenchmark {

    private static final int W = 640;
    private static final int H = 480;
    private static final int FPS = 30;
    private static final int RATE = 1_000_000;
    private static final int FRAMES = 90;

    private List<Vp8Frame> clip;
    private Vp8Encoder encoder;
    private int next;
    private final CpuRate cpuRate = new CpuRate();

    @Setup(Level.Trial)
    public void prepare() throws IOException, InterruptedException, Vp8DecodeException {
        Path dir = Files.createTempDirectory("vp8encbench");
        Path raw = dir.resolve("clip.yuv");
        Path ivf = dir.resolve("libvpx.ivf");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=" + W + "x" + H + ":r=" + FPS
                + ",noise=alls=10:allf=t+u", "-frames:v", Integer.toString(FRAMES), "-f", "rawvideo", "-pix_fmt",
                "yuv420p", raw.toString());
        run("ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", W + "x" + H, "-r",
                Integer.toString(FPS), "-i", raw.toString(), "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used",
                "8", "-b:v", Integer.toString(RATE), ivf.toString());
        clip = readI420(raw);
        List<byte[]> theirs = Vp8DecodeBenchmark.readIvf(ivf);
        Files.delete(raw);
        Files.delete(ivf);
        Files.delete(dir);
        List<byte[]> ours = new ArrayList<>();
        Vp8Encoder once = new Vp8Encoder(W, H, RATE, FPS);
        for (Vp8Frame f : clip) {
            ours.add(once.encode(f, false).data());
        }
        System.out.printf("%n%dx%d at %d bit/s: rtc4j %s; libvpx realtime cpu-used 8 %s%n", W, H, RATE,
                figures(ours), figures(theirs));
        encoder = new Vp8Encoder(W, H, RATE, FPS);
    }

    /** Rate and mean PSNR (all planes) of a stream against the clip. */
    private String figures(List<byte[]> stream) throws Vp8DecodeException {
        Vp8Decoder d = new Vp8Decoder();
        long bytes = 0;
        double psnr = 0;
        for (int i = 0; i < stream.size(); i++) {
            bytes += stream.get(i).length;
            byte[] a = clip.get(i).toI420();
            byte[] b = d.decode(stream.get(i)).orElseThrow().toI420();
            long se = 0;
            for (int k = 0; k < a.length; k++) {
                int e = (a[k] & 0xff) - (b[k] & 0xff);
                se += e * e;
            }
            psnr += 10 * Math.log10(255.0 * 255 * a.length / Math.max(se, 1));
        }
        return String.format("%.0f kbit/s, PSNR %.2f dB", bytes * 8.0 * FPS / stream.size() / 1000,
                psnr / stream.size());
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("failed: " + String.join(" ", cmd));
        }
    }

    private static List<Vp8Frame> readI420(Path raw) throws IOException {
        byte[] all = Files.readAllBytes(raw);
        int c = W * H / 4;
        int size = W * H + 2 * c;
        List<Vp8Frame> out = new ArrayList<>();
        for (int o = 0; o + size <= all.length; o += size) {
            out.add(new Vp8Frame(W, H, java.util.Arrays.copyOfRange(all, o, o + W * H), W,
                    java.util.Arrays.copyOfRange(all, o + W * H, o + W * H + c),
                    java.util.Arrays.copyOfRange(all, o + W * H + c, o + size), W / 2));
        }
        return out;
    }

    /** The machine may be shared: the frames per second of CPU time of this thread are printed too. */
    @Setup(Level.Iteration)
    public void startClock() {
        cpuRate.start();
    }

    @TearDown(Level.Iteration)
    public void printCpuRate() {
        cpuRate.print();
    }

    @Benchmark
    public Vp8EncodedFrame encodeFrame() {
        cpuRate.count();
        if (next == clip.size()) {
            next = 0;
        }
        return encoder.encode(clip.get(next++), false);
    }
}
