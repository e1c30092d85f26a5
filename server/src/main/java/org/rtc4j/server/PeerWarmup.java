package org.rtc4j.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.rtc4j.PeerPair;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCSettings;

/**
 * Start-up work of {@code ./rtc4j peer}, before its measured part: connections between two peers inside this
 * JVM load and compile the code of ICE, DTLS and SCTP, so the measured run sees the code a long-running JVM
 * has (the setup time and MB/s it prints are those of a warm stack). Failures only cost the warm-up.
 */
final class PeerWarmup {

    /** Enough connections for the JIT to compile the handshakes' hot code (each takes milliseconds once warm). */
    private static final int WARMUP_CONNECTIONS = Integer.getInteger("rtc4j.peer.warmup", 100);
    /** Then one bulk transfer, so the JIT has compiled the data path too (large packets, bundling, SACKs). */
    private static final long WARMUP_BULK_BYTES = Long.getLong("rtc4j.peer.warmupBytes", 40_000_000L);

    private PeerWarmup() {
    }

    static void run() {
        ProcessCpu.nanos();
        for (int i = 0; i < WARMUP_CONNECTIONS; i++) {
            connectOnce(0);
        }
        connectOnce(WARMUP_BULK_BYTES);
        // The JSON lines too: the first use of the mapper loads and links its serializers.
        try {
            var n = PeerLines.JSON.createObjectNode();
            n.put("type", "warmup");
            n.put("sdp", "v=0\r\n");
            PeerLines.JSON.readTree(n.toString()).path("sdp").asText();
        } catch (java.io.IOException e) {
            // only the warm-up
        }
    }

    private static void connectOnce(long bulkBytes) {
        RTCSettings loopback = RTCSettings.defaults().withLoopbackCandidates(true)
                .withInterfaceFilter(nif -> {
                    try {
                        return nif.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                });
        try (var pc1 = new RTCPeerConnection(org.rtc4j.RTCConfiguration.defaults(), loopback);
             var pc2 = new RTCPeerConnection(org.rtc4j.RTCConfiguration.defaults(), loopback)) {
            RTCDataChannel ch = pc1.createDataChannel("warmup");
            CompletableFuture<Void> echoed = new CompletableFuture<>();
            // The bulk is counted, not echoed; the last, small message is echoed.
            pc2.onDataChannel(d -> d.onMessage(m -> {
                if (m.bytes().length < 65_536) {
                    d.send(m.bytes());
                }
            }));
            Semaphore low = new Semaphore(0);
            ch.bufferedAmountLowThreshold(1 << 20);
            ch.onBufferedAmountLow(low::release);
            ch.onMessage(m -> echoed.complete(null));
            ch.onOpen(() -> Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[65_536];
                try {
                    for (long sent = 0; sent < bulkBytes; sent += chunk.length) {
                        while (ch.bufferedAmount() > 4 << 20) {
                            low.tryAcquire(50, TimeUnit.MILLISECONDS);
                        }
                        ch.send(chunk);
                    }
                    ch.send(new byte[1000]);
                } catch (InterruptedException | RuntimeException e) {
                    echoed.completeExceptionally(e);
                }
            }));
            PeerPair.connect(pc1, pc2);
            echoed.get(60, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
            org.slf4j.LoggerFactory.getLogger(PeerWarmup.class).debug("warm-up failed", e);
        }
    }
}
