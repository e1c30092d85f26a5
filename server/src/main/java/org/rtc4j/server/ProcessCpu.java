package org.rtc4j.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process, user and system, as one clock read. ProcessHandle's info() reads and parses several
 * /proc files and looks up the user name: 5 ms, which landed inside the measured setup of {@code ./rtc4j peer}.
 */
final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU so far (class loading happens on the first call: make it at start-up). */
    static long nanos() {
        return OS.getProcessCpuTime();
    }

    /**
     * CPU seconds so far of each thread of this process, the JVM's own (JIT compilers, GC) included, by thread
     * name (the kernel's, 15 characters; numbers dropped, so a pool's threads add up), from /proc/self/task;
     * empty where there is no /proc. For benchmarks: where a measured span's CPU went. With {@code system}, the
     * kernel's share alone.
     */
    static Map<String, Double> byThread(boolean system) {
        Map<String, Double> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close).replaceAll("[0-9]+", "#");
                    String[] f = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(f[12]) + (system ? 0 : Long.parseLong(f[11])); // stime (+ utime)
                    double s = ticks / (double) TICKS;
                    out.merge(name, s, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
    private static final int TICKS = 100;
}
