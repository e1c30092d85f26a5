package org.rtc4j.transfer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * With {@code -Drtc4j.threadCpu=true} (benchmarks): a transfer thread prints on stderr as it ends its CPU
 * seconds, their kernel share and how often it waited (voluntary context switches); the command's own
 * per-thread figures, read at its end, only see the live threads.
 */
final class ThreadCpu {

    private ThreadCpu() {
    }

    static void report() {
        if (!Boolean.getBoolean("rtc4j.threadCpu")) {
            return;
        }
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // After the command name (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double user = Long.parseLong(f[11]) / 100.0;
            double system = Long.parseLong(f[12]) / 100.0;
            String waits = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                    .filter(l -> l.startsWith("voluntary_ctxt_switches:")).map(l -> l.split("\\s+")[1])
                    .findFirst().orElse("?");
            System.err.printf(Locale.ROOT, "thread %s cpu_s=%.2f (system %.2f) waits=%s%n",
                    Thread.currentThread().getName(), user + system, system, waits);
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to report
        }
    }
}
