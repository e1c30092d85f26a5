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
 * seconds of each browser's process tree during the run. Run inside the loopback namespace:
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
            List<Double> setups = new ArrayList<>();
            for (int i = 0; i < setupRuns; i++) {
                Run r = run(offerer, answerer, url, "echo", 0);
                setups.add(r.setupMs);
                System.out.printf("chromium echo setup_ms=%.1f offer_cpu_s=%.2f answer_cpu_s=%.2f%n", r.setupMs,
                        r.offerCpu, r.answerCpu);
            }
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < bulkRuns; i++) {
                Run r = run(offerer, answerer, url, "bulk", bytes);
                rates.add(r.mbps);
                System.out.printf("chromium throughput ok=%s setup_ms=%.1f MBps=%.2f offer_cpu_s=%.2f answer_cpu_s=%.2f%n",
                        r.ok, r.setupMs, r.mbps, r.offerCpu, r.answerCpu);
            }
            System.out.printf("chromium median setup_ms=%.1f median MBps=%.2f%n", median(setups), median(rates));
        }
    }

    private record Run(double setupMs, double mbps, boolean ok, double offerCpu, double answerCpu) {
    }

    private static Run run(Chromium offerer, Chromium answerer, URI url, String label, long bytes) {
        BrowserPage a = answerer.open(url);
        BrowserPage o = offerer.open(url);
        try {
            double cpuO = cpu(offerer);
            double cpuA = cpu(answerer);
            String offer = (String) o.evaluate("offer('" + label + "')", T);
            String answer = (String) a.evaluate("answer(" + Json.quote(offer) + ")", T);
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
            return new Run(setup, mbps, ok, cpu(offerer) - cpuO, cpu(answerer) - cpuA);
        } finally {
            o.close();
            a.close();
        }
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
