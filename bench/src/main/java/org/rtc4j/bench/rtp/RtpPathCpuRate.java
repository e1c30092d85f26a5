package org.rtc4j.bench.rtp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paths of {@link RtpSessionBenchmark} in packets per CPU-second of the measuring thread, rounds interleaved
 * so every path sees the same machine: on a shared, loaded machine this is the steadier per-core figure (JMH's
 * wall-clock throughput counts the time the thread waits for a core). Run:
 * {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.rtc4j.bench.rtp.RtpPathCpuRate [packets [path...]]}
 *
 * <p>On the shared 2-core build machine (load average 20 to 25 from other builds), JDK 25, two runs of 100,000
 * packets on 2026-12-02, best of 10 rounds: bare protect 1.77-1.86 M, bare unprotect 1.26-1.29 M, send path
 * 1.42-1.44 M (0.77-0.81 of protect), receive path 0.96-0.98 M (0.75-0.78 of unprotect), forward 1.81-1.89 M
 * (1.02 of protect), session alone 8.8-8.9 M (send) and 4.4 M (receive) packets per CPU-second.
 */
public final class RtpPathCpuRate {

    /** Rounds of every path, the first a warm-up; the best of the rest counts (others' load only slows a round). */
    private static final int ROUNDS = 11;

    private interface Path {
        long run(RtpSessionBenchmark b) throws Exception;
    }

    private RtpPathCpuRate() {
    }

    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        RtpSessionBenchmark b = new RtpSessionBenchmark();
        b.setUp();
        int f = RtpSessionBenchmark.FRAME_PACKETS;
        Map<String, Path> paths = new LinkedHashMap<>();
        paths.put("bareProtect", x -> x.bareProtect());
        paths.put("bareUnprotect", x -> x.bareUnprotect());
        paths.put("sendPath", x -> x.sendPath());
        paths.put("receivePath", x -> x.receivePath() == null ? 0 : 1);
        paths.put("forward", x -> x.forward());
        paths.put("sessionSend", x -> x.sessionSend());
        paths.put("sessionReceive", x -> x.sessionReceive() == null ? 0 : 1);
        if (args.length > 1) {
            paths.keySet().retainAll(java.util.List.of(args).subList(1, args.length));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Double> best = new LinkedHashMap<>();
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Path> e : paths.entrySet()) {
                int perCall = e.getKey().endsWith("Send") || e.getKey().equals("sendPath") ? f : 1;
                int calls = packets / perCall;
                long cpu0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    sink += e.getValue().run(b);
                }
                double seconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                double rate = calls * (double) perCall / seconds;
                if (round > 0) {
                    best.merge(e.getKey(), rate, Math::max);
                }
            }
        }
        for (Map.Entry<String, Double> e : best.entrySet()) {
            System.out.printf("%-15s %,12.0f packets per CPU-second%n", e.getKey(), e.getValue());
        }
        if (best.size() < 7) {
            System.out.println(b.receiverStats());
            return;
        }
        System.out.printf("receivePath / bareUnprotect = %.2f%n", best.get("receivePath") / best.get("bareUnprotect"));
        System.out.printf("sendPath / bareProtect      = %.2f%n", best.get("sendPath") / best.get("bareProtect"));
        System.out.printf("forward / bareProtect       = %.2f%n", best.get("forward") / best.get("bareProtect"));
        System.out.println("(checksum " + sink + ")");
        System.out.println(b.receiverStats());
    }
}
