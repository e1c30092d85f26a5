package org.rtc4j.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * The signaling side of the set-up timeline (issue 23): when {@code ./rtc4j peer} wrote or read its description
 * lines and applied them, one log line per process in absolute microseconds, so that it merges with the
 * connections' own timelines ({@code -Drtc4j.trace.setup=true}, the same switch). Off, every mark is one test of
 * a constant. The first and last steps also say the CPU the whole process spent between them ({@code #ms}, every
 * thread's, the JIT's and the collector's included): on a busy machine, where a span's wall clock is mostly
 * waiting for a core, the CPU it took is the figure to compare.
 */
final class PeerSteps {

    static final boolean ENABLED = Boolean.getBoolean("rtc4j.trace.setup");

    private final StringBuilder line = new StringBuilder();
    private long t0 = -1;
    private long cpu0 = -1;
    /** Each thread's CPU nanoseconds at the first step that took the CPU, and the deltas at the last. */
    private Map<String, Long> threads0 = Map.of();
    private Map<String, Long> threadsDelta = Map.of();

    /** Records {@code step} now (any thread; the marks of one process are few). */
    void mark(String step) {
        mark(step, false);
    }

    /** Records {@code step} now with the process's CPU time since the first step that took it. */
    void markCpu(String step) {
        mark(step, true);
    }

    private synchronized void mark(String step, boolean cpu) {
        if (!ENABLED) {
            return;
        }
        Instant now = Instant.now();
        long us = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        if (t0 < 0) {
            t0 = us;
        }
        line.append(' ').append(step).append('@').append(String.format("%.2f", (us - t0) / 1000.0));
        if (cpu) {
            Map<String, Long> byThread = threadNanos();
            long c = byThread.values().stream().mapToLong(Long::longValue).sum();
            if (cpu0 < 0) {
                cpu0 = c;
                threads0 = byThread;
            } else {
                Map<String, Long> d = new TreeMap<>();
                byThread.forEach((name, ns) -> {
                    long delta = ns - threads0.getOrDefault(name, 0L);
                    if (delta >= 50_000) {
                        d.put(name, delta);
                    }
                });
                threadsDelta = d;
            }
            line.append('#').append(String.format("%.2f", (c - cpu0) / 1e6));
        }
    }

    /** Logs the steps once. */
    synchronized void print() {
        if (ENABLED && t0 >= 0) {
            StringBuilder threads = new StringBuilder();
            threadsDelta.forEach((name, ns) -> threads.append(' ').append(name).append('=')
                    .append(String.format("%.2f", ns / 1e6)));
            LoggerFactory.getLogger(PeerSteps.class).info("peer steps t0_us={} ms:{}", t0, line);
            LoggerFactory.getLogger(PeerSteps.class).info("peer steps cpu ms by thread:{}", threads);
            t0 = -1;
            cpu0 = -1;
            threads0 = Map.of();
            threadsDelta = Map.of();
            line.setLength(0);
        }
    }

    /**
     * CPU time of this process's threads in nanoseconds ({@code /proc/self/task/N/schedstat}, whose first field
     * counts nanoseconds where the process-wide counters count 10 ms ticks), by thread name with its digits dropped
     * (a pool's threads add up); empty without /proc.
     */
    private static Map<String, Long> threadNanos() {
        Map<String, Long> byName = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String s = Files.readString(t.resolve("schedstat"));
                    String name = Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                    byName.merge(name, Long.parseLong(s.substring(0, s.indexOf(' '))), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byName;
    }
}
