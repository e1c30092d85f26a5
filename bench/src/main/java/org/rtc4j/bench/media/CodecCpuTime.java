package org.rtc4j.bench.media;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * The codec benchmarks' operations timed by the thread's CPU time rather than the wall clock: what one core does,
 * even on a machine other processes keep busy (JMH's wall-clock scores there fall with the load). Run with
 * {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.rtc4j.bench.media.CodecCpuTime}.
 */
public final class CodecCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CodecCpuTime() {
    }

    public static void main(String[] args) {
        OpusBenchmark opus = new OpusBenchmark();
        opus.setUp();
        System.out.printf("Opus 48 kHz stereo 64 kbit/s c10 encode: %.1fx real time%n",
                perCpuSecond(opus::encode, 1500, 2000) / 50);
        opus.setUp();
        System.out.printf("Opus 48 kHz stereo 64 kbit/s decode: %.1fx real time%n",
                perCpuSecond(opus::decode, 3000, 5000) / 50);
        for (String content : new String[] {"pattern", "textured"}) {
            H264Benchmark h = new H264Benchmark();
            h.content = content;
            h.bitrate = 4_000_000;
            h.setUp();
            System.out.printf("H.264 640x480 %s encode: %.1f fps%n", content, perCpuSecond(h::encode, 60, 180));
            h.setUp();
            System.out.printf("H.264 640x480 %s decode: %.1f fps%n", content, perCpuSecond(h::decode, 120, 360));
        }
    }

    private static double perCpuSecond(Supplier<?> op, int warmup, int count) {
        for (int i = 0; i < warmup; i++) {
            op.get();
        }
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < count; i++) {
            op.get();
        }
        return count / ((THREADS.getCurrentThreadCpuTime() - start) / 1e9);
    }
}
