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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rtc4j.codec.vp8.Vp8DecodeException;
import org.rtc4j.codec.vp8.Vp8Decoder;
import org.rtc4j.codec.vp8.Vp8Frame;

/**
 * VP8 decoding, frames per second on one thread: 640x480 at 1 Mbit/s and 1280x720 at 2.5 Mbit/s,
 * 30 frames a second, made at setup by Debian's ffmpeg with libvpx from testsrc2 with noise (one
 * key frame, then inter frames). Each operation decodes one frame (and copies it out as I420);
 * the stream restarts with a fresh decoder at its end.
 *
 * <p>Run: {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.openjdk.jmh.Main Vp8Decode -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Vp8DecodeBenchmark {

    /** Width x height @ bit rate. */
    @Param({"640x480@1M", "1280x720@2500k"})
    public String stream;

    private List<byte[]> frames;
    private final CpuRate cpuRate = new CpuRate();
    private Vp8Decoder decoder;
    private int next;

    @Setup(Level.Trial)
    public void encode() throws IOException, InterruptedException {
        String size = stream.substring(0, stream.indexOf('@'));
        String rate = stream.substring(stream.indexOf('@') + 1);
        Path dir = Files.createTempDirectory("vp8bench");
        Path ivf = dir.resolve("clip.ivf");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=s=" + size + ":r=30,noise=alls=10:allf=t+u", "-frames:v", "150", "-c:v", "libvpx",
                "-b:v", rate, "-g", "1000", ivf.toString()).inheritIO().start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed");
        }
        frames = readIvf(ivf);
        Files.delete(ivf);
        Files.delete(dir);
        long bytes = frames.stream().mapToLong(f -> f.length).sum();
        System.out.printf("%n%s: %d frames, %.2f Mbit/s at 30 frames a second%n", stream, frames.size(),
                bytes * 8 * 30.0 / frames.size() / 1e6);
        decoder = new Vp8Decoder();
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
    public Vp8Frame decodeFrame() throws Vp8DecodeException {
        cpuRate.count();
        if (next == frames.size()) {
            next = 0;
            decoder = new Vp8Decoder();
        }
        return decoder.decode(frames.get(next++)).orElse(null);
    }

    static List<byte[]> readIvf(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        List<byte[]> out = new ArrayList<>();
        int p = (b[6] & 0xff) | (b[7] & 0xff) << 8;
        while (p + 12 <= b.length) {
            int size = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
            p += 12;
            byte[] f = new byte[size];
            System.arraycopy(b, p, f, 0, size);
            out.add(f);
            p += size;
        }
        return out;
    }
}
