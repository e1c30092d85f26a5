package org.rtc4j.bench.webrtc;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;
import org.rtc4j.testkit.browser.PageServer;

/**
 * The Chromium-to-Chromium side of the {@code ./rtc4j peer} comparison: two Chromium processes, one page
 * each, running the same scenarios (setup time, median of 5; 100 MB throughput, median of 3), with the CPU
 * seconds of each browser's process tree during the run; then the same with rtc4j answering in this JVM
 * (Chromium to rtc4j, {@link Rtc4jAnswerer}; its CPU is this process's), after one untimed run that warms
 * its code up, and the ratio of the two directions' medians. Run inside the loopback namespace:
 * {@code build/netns/bin/java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.rtc4j.bench.webrtc.ChromiumPeerBench}.
 */
public final class ChromiumPeerBench {

    private static final Duration T = Duration.ofSeconds(120);

    private ChromiumPeerBench() {
    }

    public static void main(String[] args) throws Exception {
        int setupRuns = Integer.getInteger("setupRuns", 5);
        int bulkRuns = Integer.getInteger("bulkRuns", 3);
        long bytes = Long.getLong("bytes", 100_000_000L);
        try (PageServer server = PageServer.start(); Chromium offerer = Chromium.launch();
             Chromium answerer = Chromium.launch()) {
            server.classpath("/c2c.html", ChromiumPeerBench.class, "c2c.html");
            URI url = server.uri("/c2c.html");
            double[] chromium = direction("chromium", offerer, answerer, url, setupRuns, bulkRuns, bytes);
            // rtc4j's code warmed up first, as a long-running JVM's (./rtc4j peer does the same).
            run(offerer, null, url, "bulk", bytes / 5);
            double[] toRtc4j = direction("chromium->rtc4j", offerer, null, url, setupRuns, bulkRuns, bytes);
            System.out.printf("chromium->rtc4j against chromium->chromium: setup %.2f x, MBps %.2f x (load %.1f)%n",
                    toRtc4j[0] / chromium[0], toRtc4j[1] / chromium[1], load());
        }
    }

    /** The runs of one direction; returns the median setup_ms and MB/s. A null answerer is rtc4j. */
    private static double[] direction(String name, Chromium offerer, Chromium answerer, URI url, int setupRuns,
            int bulkRuns, long bytes) throws Exception {
        List<Double> setups = new ArrayList<>();
        for (int i = 0; i < setupRuns; i++) {
            Run r = run(offerer, answerer, url, "echo", 0);
            setups.add(r.setupMs);
            System.out.printf("%s echo setup_ms=%.1f offer_cpu_s=%.2f answer_cpu_s=%.2f (load %.1f)%n", name,
                    r.setupMs, r.offerCpu, r.answerCpu, load());
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < bulkRuns; i++) {
            Run r = run(offerer, answerer, url, "bulk", bytes);
            rates.add(r.mbps);
            System.out.printf("%s throughput ok=%s setup_ms=%.1f MBps=%.2f offer_cpu_s=%.2f answer_cpu_s=%.2f (load %.1f)%n",
                    name, r.ok, r.setupMs, r.mbps, r.offerCpu, r.answerCpu, load());
        }
        System.out.printf("%s median setup_ms=%.1f median MBps=%.2f%n", name, median(setups), median(rates));
        return new double[] {median(setups), median(rates)};
    }

    private record Run(double setupMs, double mbps, boolean ok, double offerCpu, double answerCpu) {
    }

    private static Run run(Chromium offerer, Chromium answerer, URI url, String label, long bytes) throws Exception {
        BrowserPage a = answerer == null ? null : answerer.open(url);
        BrowserPage o = offerer.open(url);
        try (Rtc4jAnswerer rtc4j = answerer == null ? new Rtc4jAnswerer() : null) {
            double cpuO = cpu(offerer);
            double cpuA = answerer == null ? cpu() : cpu(answerer);
            String offer = (String) o.evaluate("offer('" + label + "')", T);
            String answer = a != null ? (String) a.evaluate("answer(" + Json.quote(offer) + ")", T)
                    : rtc4j.answer(offer, T.toMillis());
            double setup = ((Number) o.evaluate("accept(" + Json.quote(answer) + ")", T)).doubleValue();
            double mbps = 0;
            boolean ok = true;
            if (bytes > 0) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) o.evaluate("throughput(" + bytes + ", 65536)", T);
                mbps = ((Number) r.get("MBps")).doubleValue();
                ok = Boolean.TRUE.equals(r.get("ok"));
            }
            o.evaluate("close()", T);
            return new Run(setup, mbps, ok, cpu(offerer) - cpuO, (answerer == null ? cpu() : cpu(answerer)) - cpuA);
        } finally {
            o.close();
            if (a != null) {
                a.close();
            }
        }
    }

    /** CPU seconds of this JVM so far. */
    static double cpu() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** CPU seconds of the browser's whole process tree so far. */
    static double cpu(Chromium c) {
        double s = 0;
        for (ProcessHandle p : c.processTree()) {
            s += p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        }
        return s;
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.isEmpty() ? Double.NaN : v.get(v.size() / 2);
    }
}
