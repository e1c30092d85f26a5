package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ICE server host names are looked up before gathering and off the connection's loop: a name that does not
 * resolve is the W3C icecandidateerror (code 701), and gathering still completes (no stall).
 */
class IceServerNamesTest {

    @Test
    void aNameThatDoesNotResolveIsAnIceCandidateErrorNotAStall() throws Exception {
        RTCPeerConnectionIceErrorEvent e = candidateError(RTCIceServer.of("stun:stun.rtc4j-test.invalid:3478"));
        assertThat(e.errorCode()).isEqualTo(701);
        assertThat(e.url()).contains("stun.rtc4j-test.invalid");
    }

    /**
     * Gathers with {@code server} and returns the first icecandidateerror; gathering must still complete, with
     * the host candidates.
     */
    static RTCPeerConnectionIceErrorEvent candidateError(RTCIceServer server) throws Exception {
        return candidateError(server, RTCSettings.defaults().withLoopbackCandidates(true));
    }

    /** As {@link #candidateError(RTCIceServer)}, with these settings. */
    static RTCPeerConnectionIceErrorEvent candidateError(RTCIceServer server, RTCSettings settings) throws Exception {
        RTCConfiguration config = RTCConfiguration.defaults().withIceServers(server);
        try (RTCPeerConnection pc = new RTCPeerConnection(config, settings)) {
            CompletableFuture<RTCPeerConnectionIceErrorEvent> error = new CompletableFuture<>();
            CompletableFuture<Void> complete = new CompletableFuture<>();
            pc.onIceCandidateError(error::complete);
            pc.onIceGatheringStateChange(s -> {
                if (s == RTCIceGatheringState.COMPLETE) {
                    complete.complete(null);
                }
            });
            pc.createDataChannel("chat");
            pc.setLocalDescription().get(10, TimeUnit.SECONDS);
            RTCPeerConnectionIceErrorEvent e = error.get(10, TimeUnit.SECONDS);
            complete.get(10, TimeUnit.SECONDS);
            assertThat(pc.localDescription().sdp()).contains("a=candidate:");   // the host candidates still came
            return e;
        }
    }
}
