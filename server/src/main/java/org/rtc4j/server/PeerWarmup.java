package org.rtc4j.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCSettings;

/**
 * Start-up work of {@code ./rtc4j peer}, before its measured part: one connection between two peers inside
 * this JVM loads and compiles the code of ICE, DTLS and SCTP, so the first real handshake does not pay for
 * class loading. Failures only cost the warm-up.
 */
final class PeerWarmup {

    /** Enough connections for the JIT to compile the handshakes' hot code (each takes milliseconds once warm). */
    private static final int WARMUP_CONNECTIONS = Integer.getInteger("rtc4j.peer.warmup", 100);

    private PeerWarmup() {
    }

    static void run() {
        ProcessCpu.nanos();
        for (int i = 0; i < WARMUP_CONNECTIONS; i++) {
            connectOnce();
        }
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

    private static void connectOnce() {
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
            pc2.onDataChannel(d -> d.onMessage(m -> d.send(m.bytes())));
            ch.onMessage(m -> echoed.complete(null));
            ch.onOpen(() -> ch.send(new byte[1000]));
            pc1.onIceCandidate(c -> pc2.addIceCandidate(c));
            pc2.onIceCandidate(c -> pc1.addIceCandidate(c));
            pc1.setLocalDescription().join();
            pc2.setRemoteDescription(pc1.localDescription()).join();
            pc2.setLocalDescription().join();
            pc1.setRemoteDescription(pc2.localDescription()).join();
            echoed.get(10, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
            org.slf4j.LoggerFactory.getLogger(PeerWarmup.class).debug("warm-up failed", e);
        }
    }
}
