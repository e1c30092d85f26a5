package org.rtc4j.bench.webrtc;

import java.time.Duration;
import org.rtc4j.PeerPair;
import org.rtc4j.RTCSettings;

/**
 * Create-connect-close cycles of two connections in one JVM (default 10,000): the time per cycle, and the
 * threads, open files and heap after the run against the baseline after a warm-up. Run inside the loopback
 * namespace: {@code build/netns/bin/java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*'
 * org.rtc4j.bench.webrtc.CycleBench [cycles]}.
 */
public final class CycleBench {

    private CycleBench() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        for (int i = 0; i < 20; i++) {
            cycle();
        }
        int threads = Thread.activeCount();
        long fds = openFiles();
        long heap = usedHeap();
        long cpu0 = cpuNanos();
        long start = System.nanoTime();
        for (int i = 1; i <= cycles; i++) {
            cycle();
            if (i % 1000 == 0) {
                System.out.printf("%d cycles, %.2f ms per cycle so far, threads %d, fds %d%n", i,
                        (System.nanoTime() - start) / 1e6 / i, Thread.activeCount(), openFiles());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("cycles=%d seconds=%.1f ms_per_cycle=%.2f cpu_s=%.1f threads %d -> %d, fds %d -> %d, "
                        + "heap %d KiB -> %d KiB%n", cycles, seconds, seconds * 1000 / cycles,
                (cpuNanos() - cpu0) / 1e9, threads, Thread.activeCount(), fds, openFiles(), heap >> 10,
                usedHeap() >> 10);
    }

    private static void cycle() throws Exception {
        PeerPair.sendOne(RTCSettings.defaults(), "x", Duration.ofSeconds(20));
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long usedHeap() throws InterruptedException {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return r.totalMemory() - r.freeMemory();
    }

    private static long openFiles() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }
}
