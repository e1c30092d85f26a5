package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** close() releases every socket, thread and timer: 200 create-connect-close cycles return to the baseline. */
@Timeout(120)
class LifecycleTest {

    @Test
    void twoHundredCyclesReturnThreadsAndHeapToBaseline() throws Exception {
        cycle(); // warm up: the shared I/O threads start with the first connection
        System.gc();
        int threads = Thread.activeCount();
        long fds = openFiles();
        long heap = usedHeap();
        for (int i = 0; i < 200; i++) {
            cycle();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.activeCount() > threads && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threads);
        assertThat(openFiles()).isLessThanOrEqualTo(fds + 2);
        long after = usedHeap();
        System.out.printf("200 cycles: threads %d -> %d, fds %d -> %d, heap %d KiB -> %d KiB%n", threads,
                Thread.activeCount(), fds, openFiles(), heap >> 10, after >> 10);
        // Nothing of 200 connections (certificates, engines, buffers: ~1 MiB each) stays reachable.
        assertThat(after).isLessThan(heap + (32L << 20));
    }

    private static void cycle() throws Exception {
        assertThat(PeerPair.sendOne(RTCSettings.defaults(), "x", Duration.ofSeconds(20))).isEqualTo("x");
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
