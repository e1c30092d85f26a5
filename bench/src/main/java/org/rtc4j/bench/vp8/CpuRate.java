package org.rtc4j.bench.vp8;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Frames per second of this thread's CPU time, for a machine that may be shared. */
final class CpuRate {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long cpuStart;
    private long frames;

    void start() {
        cpuStart = THREADS.getCurrentThreadCpuTime();
        frames = 0;
    }

    void count() {
        frames++;
    }

    void print() {
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
        System.out.printf(" [%.1f frames per CPU second]", frames * 1e9 / cpu);
    }
}
