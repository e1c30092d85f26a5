package org.rtc4j.bench.webrtc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.rtc4j.PeerPair;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCPeerConnection;

/**
 * Two connections in one JVM over loopback UDP: megabytes through one channel with the peer command's
 * backpressure (4 MiB / 1 MiB), for profiling the whole stack ({@code -XX:StartFlightRecording}). Run inside
 * the loopback namespace: {@code build/netns/bin/java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*'
 * org.rtc4j.bench.webrtc.PairThroughput [megabytes]}.
 */
public final class PairThroughput {

    private PairThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long total = (args.length > 0 ? Long.parseLong(args[0]) : 300) * 1_000_000L;
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            RTCDataChannel ch = pc1.createDataChannel("bulk");
            long[] got = new long[1];
            CompletableFuture<Void> done = new CompletableFuture<>();
            pc2.onDataChannel(d -> d.onMessage(m -> {
                got[0] += m.size();
                if (got[0] >= total) {
                    done.complete(null);
                }
            }));
            CompletableFuture<Void> open = new CompletableFuture<>();
            ch.onOpen(() -> open.complete(null));
            Semaphore low = new Semaphore(0);
            ch.bufferedAmountLowThreshold(1 << 20);
            ch.onBufferedAmountLow(low::release);
            PeerPair.connect(pc1, pc2);
            open.get(20, TimeUnit.SECONDS);
            byte[] chunk = new byte[65_536];
            long cpu0 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
            long start = System.nanoTime();
            for (long sent = 0; sent < total; ) {
                if (ch.bufferedAmount() > 4 << 20) {
                    low.tryAcquire(50, TimeUnit.MILLISECONDS);
                    continue;
                }
                int n = (int) Math.min(chunk.length, total - sent);
                ch.send(java.nio.ByteBuffer.wrap(chunk, 0, n));
                sent += n;
            }
            done.get(300, TimeUnit.SECONDS);
            double s = (System.nanoTime() - start) / 1e9;
            double cpu = (ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() - cpu0) / 1e9;
            System.out.printf("%d MB in %.2f s: %.1f MB/s, %.2f CPU s (both sides), %.1f MB per CPU second%n",
                    total / 1_000_000, s, total / 1e6 / s, cpu, total / 1e6 / cpu);
        }
    }
}
