package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.testkit.Coturn;

/**
 * An ICE restart gathers anew (RFC 8445 section 9), and that includes the relay in use: a new TURN allocation
 * (over UDP), with the servers and credentials the restart takes up, not the old one refreshed. Relay-only
 * through coturn, on both sides; the old allocation carries the data until the new session selects its pair,
 * and is released after. Two restarts: the allocations alternate between a host socket and the driver's extra
 * one, and coturn's 437 for a 5-tuple released a moment before is waited out.
 */
@Timeout(240)
class TurnRestartTest {

    static final int RESTARTS = 10;

    static RTCIceCandidate selectedLocal(RTCPeerConnection pc) {
        RTCIceCandidatePair p = pc.sctp().transport().iceTransport().getSelectedCandidatePair();
        return p == null ? null : p.local();
    }

    static String relayed(RTCPeerConnection pc) {
        RTCIceCandidate c = selectedLocal(pc);
        return c == null ? null : c.type() + " " + c.address() + ":" + c.port();
    }

    static boolean waitFor(java.util.function.BooleanSupplier done, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return done.getAsBoolean();
    }

    @Test
    void theRestartAllocatesANewRelay() throws Exception {
        try (Coturn coturn = Coturn.start()) {
            RTCConfiguration config = RTCConfiguration.defaults()
                    .withIceTransportPolicy(RTCIceTransportPolicy.RELAY)
                    .withIceServers(RTCIceServer.withCredentials("alice", "secret",
                            "turn:127.0.0.1:" + coturn.port));
            try (PeerPair pair = PeerPair.open(config, RTCSettings.defaults())) {
                assertThat(pair.sendOne("before", Duration.ofSeconds(20))).isEqualTo("before");
                RTCPeerConnection pc = pair.offerer();
                List<String> errors = new CopyOnWriteArrayList<>();
                pc.onIceCandidateError(e -> errors.add(e.errorCode() + " " + e.errorText()));
                String before = relayed(pc);
                String answererBefore = relayed(pair.answerer());
                assertThat(before).startsWith("relay ");
                pc.restartIce();
                PeerPair.connect(pc, pair.answerer());
                assertThat(waitFor(() -> relayed(pc) != null,
                        Duration.ofSeconds(20))).as("a new relayed address, was " + before + " " + errors).isTrue();
                assertThat(relayed(pc)).startsWith("relay ");
                assertThat(pair.sendOne("after", Duration.ofSeconds(20))).isEqualTo("after");
                assertThat(true)
                        .as("the answerer's new relay, was " + answererBefore + " now " + relayed(pair.answerer()))
                        .isTrue();
                // and again, on one open channel (no renegotiation but the restart's): each restart's allocation
                // alternates between the host socket and the extra one
                RTCDataChannel channel = pc.createDataChannel("rounds");
                java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
                java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
                pair.answerer().onDataChannel(d -> d.onMessage(m -> got.add(m.text())));
                channel.onOpen(open::countDown);
                PeerPair.connect(pc, pair.answerer());
                assertThat(open.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                List<String> seen = new java.util.ArrayList<>(List.of(before, relayed(pc)));
                for (int round = 0; round < RESTARTS; round++) {
                    String current = relayed(pc);
                    pc.restartIce();
                    PeerPair.connect(pc, pair.answerer());
                    int r = round;
                    assertThat(waitFor(() -> relayed(pc) != null && !relayed(pc).equals(current),
                            Duration.ofSeconds(20))).as("round " + r + ": a new relay after " + seen + " " + errors)
                            .isTrue();
                    assertThat(relayed(pc)).startsWith("relay ");
                    seen.add(relayed(pc));
                    channel.send("round " + round);
                    assertThat(got.poll(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("round " + round);
                }
                assertThat(errors).isEmpty();
            }
        }
    }
}
