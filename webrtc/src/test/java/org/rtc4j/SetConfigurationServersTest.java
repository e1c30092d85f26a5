package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.testkit.Coturn;

/**
 * ICE servers given to setConfiguration after the connection started are taken up at the next ICE restart
 * (W3C section 4.4.1.6): the restart's gathering allocates on the new TURN server (coturn).
 */
@Timeout(60)
class SetConfigurationServersTest {

    @Test
    void newServersAreUsedAtTheNextRestart() throws Exception {
        try (Coturn coturn = Coturn.start();
             PeerPair pair = PeerPair.open(RTCConfiguration.defaults(), RTCSettings.defaults())) {
            assertThat(pair.sendOne("before", Duration.ofSeconds(20))).isEqualTo("before");
            RTCPeerConnection pc = pair.offerer();
            pc.setConfiguration(RTCConfiguration.defaults().withIceServers(RTCIceServer.withCredentials("alice",
                    "secret", "turn:127.0.0.1:" + coturn.port)));
            CompletableFuture<String> relay = new CompletableFuture<>();
            pc.restartIce();
            PeerPair.connect(pc, pair.answerer());
            pc.onIceCandidate(c -> {
                pair.answerer().addIceCandidate(c);
                if (c.candidate().contains(" typ relay")) {
                    relay.complete(c.candidate());
                }
            });
            // Candidates gathered before the handler above moved are in the description too.
            String sdp = pc.localDescription().sdp();
            if (sdp.contains(" typ relay")) {
                relay.complete(sdp);
            }
            assertThat(relay.get(10, TimeUnit.SECONDS)).contains(" typ relay");
        }
    }
}
