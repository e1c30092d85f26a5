package org.rtc4j.bench.webrtc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCIceGatheringState;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCSessionDescription;
import org.rtc4j.RTCSettings;

/**
 * The answering side of c2c.html in Java: the rtc4j end of the Chromium-to-rtc4j runs of
 * {@link ChromiumPeerBench}. It serves the channels the page opens as the page's own answerer does: echo
 * text and binary, except on the channel 'bulk', where binary messages are counted and the text 'fin' is
 * answered with {@code {"type":"done","bytes":..,"messages":..}}. No trickle: the answer carries every
 * candidate.
 */
final class Rtc4jAnswerer implements AutoCloseable {

    private final RTCPeerConnection pc = new RTCPeerConnection(RTCConfiguration.defaults(),
            RTCSettings.defaults().withLoopbackCandidates(true));

    /** The answer to {@code offerSdp}, once gathering is complete. */
    String answer(String offerSdp, long timeoutMillis) throws Exception {
        CompletableFuture<String> gathered = new CompletableFuture<>();
        pc.onIceGatheringStateChange(s -> {
            if (s == RTCIceGatheringState.COMPLETE) {
                gathered.complete(pc.localDescription().sdp());
            }
        });
        pc.onDataChannel(Rtc4jAnswerer::serve);
        pc.setRemoteDescription(RTCSessionDescription.offer(offerSdp)).thenCompose(v -> pc.setLocalDescription())
                .get(timeoutMillis, TimeUnit.MILLISECONDS);
        return gathered.get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs on the connection's loop, one message at a time: the counts need no lock. */
    private static void serve(RTCDataChannel channel) {
        boolean bulk = channel.label().equals("bulk");
        long[] bytesAndMessages = new long[2];
        channel.onMessage(m -> {
            if (!m.isBinary()) {
                channel.send(bulk ? "{\"type\":\"done\",\"bytes\":" + bytesAndMessages[0] + ",\"messages\":"
                        + bytesAndMessages[1] + "}" : m.text());
            } else if (bulk) {
                bytesAndMessages[0] += m.size();
                bytesAndMessages[1]++;
            } else {
                channel.send(m.bytes());
            }
        });
    }

    @Override
    public void close() {
        pc.close();
    }
}
