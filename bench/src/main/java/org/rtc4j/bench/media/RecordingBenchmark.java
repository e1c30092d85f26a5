package org.rtc4j.bench.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
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
import org.rtc4j.media.container.ContainerTrack;
import org.rtc4j.media.container.EncodedWriter;
import org.rtc4j.media.container.IvfWriter;
import org.rtc4j.media.container.MatroskaWriter;
import org.rtc4j.media.container.OggOpusWriter;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * The cost of recording: one operation records one second of a 2 Mbit/s call (30 VP8 frames of 8 KB, a key
 * frame of 40 KB every 2 s, and 50 Opus packets of 120 bytes) into a file through the file system, system calls
 * included. The average time of an operation, in milliseconds, over 1000 ms is the share of one core a live
 * recording takes (0.1 ms is 0.01 %).
 *
 * <p>Run: {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.openjdk.jmh.Main Recording -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecordingBenchmark {

    @Param({"webm", "ivf", "ogg"})
    public String container;

    private final EncodedFrame[] video = new EncodedFrame[60];
    private final EncodedFrame[] audio = new EncodedFrame[50];
    private Path dir;
    private Path file;
    private EncodedWriter writer;
    private long second;
    private int files;

    @Setup(Level.Trial)
    public void frames() throws IOException {
        Random r = new Random(1);
        for (int i = 0; i < video.length; i++) {
            byte[] b = new byte[i == 0 ? 40_000 : 8_000];
            r.nextBytes(b);
            b[0] = (byte) (i == 0 ? 0x10 : 0x11);
            video[i] = new EncodedFrame(Codec.VP8, b, 0, i == 0);
        }
        for (int i = 0; i < audio.length; i++) {
            byte[] b = new byte[120];
            r.nextBytes(b);
            b[0] = (byte) 0xFC; // 20 ms CELT stereo
            audio[i] = new EncodedFrame(Codec.OPUS, b, 0, true);
        }
        dir = Files.createTempDirectory("recording-bench");
    }

    /** A fresh file per iteration, so that the file does not grow without bound. */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        file = dir.resolve("rec-" + files++ + "." + container);
        second = 0;
        ContainerTrack vp8 = ContainerTrack.video(Codec.VP8, 640, 480);
        writer = switch (container) {
            case "webm" -> MatroskaWriter.createWebm(file, List.of(vp8, ContainerTrack.opus(2)));
            case "ivf" -> IvfWriter.create(file, vp8, 30);
            default -> OggOpusWriter.create(file, ContainerTrack.opus(2));
        };
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        writer.close();
        Files.deleteIfExists(file);
    }

    @TearDown(Level.Trial)
    public void removeDir() throws IOException {
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public long recordOneSecond() throws IOException {
        long base = second++ * 1_000_000_000L;
        boolean hasVideo = !container.equals("ogg");
        boolean hasAudio = !container.equals("ivf");
        int audioTrack = hasVideo ? 1 : 0;
        // Interleaved as they arrive: a video frame every 33 ms, an audio packet every 20 ms.
        int v = 0;
        int a = 0;
        while (v < 30 || a < 50) {
            long tv = v < 30 ? v * 1_000_000_000L / 30 : Long.MAX_VALUE;
            long ta = a < 50 ? a * 20_000_000L : Long.MAX_VALUE;
            if (tv <= ta) {
                if (hasVideo) {
                    writer.write(0, video[(int) ((second - 1) % 2 * 30 + v)], base + tv);
                }
                v++;
            } else {
                if (hasAudio) {
                    writer.write(audioTrack, audio[a], base + ta);
                }
                a++;
            }
        }
        return second;
    }
}
