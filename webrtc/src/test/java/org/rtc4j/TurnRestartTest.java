package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.testkit.Coturn;

/**
 * An ICE restart gathers anew (RFC 8445 section 9), and that includes the relay in use: a new TURN allocation
 * with the servers and credentials the restart takes up, not the old one refreshed. Relay-only through coturn,
 * on both sides, ten restarts on one open channel: after each, both sides' selected pairs go through new
 * relayed addresses; data crosses before, during and after; the old allocations carry it until the new session
 * selects its pair and are released (Refresh with LIFETIME 0, RFC 8656 section 7.3) only then, as coturn's log
 * shows. Over UDP the allocations alternate between a host socket and the driver's second one; over TCP each
 * is made on a new connection.
 */
@Timeout(300)
class TurnRestartTest {

    static final int RESTARTS = 10;

    static String relayed(RTCPeerConnection pc) {
        RTCIceCandidatePair p = pc.sctp().transport().iceTransport().getSelectedCandidatePair();
        return p == null ? null : p.local().type() + " " + p.local().address() + ":" + p.local().port();
    }

    static boolean waitFor(BooleanSupplier done, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return done.getAsBoolean();
    }

    /** The allocations coturn released at a client's request (its log's "refreshed ... lifetime=0" lines). */
    static long releases(Path log) {
        return lines(log, "lifetime=0");
    }

    static long lines(Path log, String text) {
        return log(log).lines().filter(l -> l.contains(text)).count();
    }

    static String log(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void everyRestartAllocatesANewRelay(String transport) throws Exception {
        Path log = Files.createTempFile("coturn", ".log");
        // verbose, to a file (flushed line by line, unlike stdout): each session's requests
        try (Coturn coturn = Coturn.start("-v", "--log-file=" + log)) {
            RTCConfiguration config = RTCConfiguration.defaults()
                    .withIceTransportPolicy(RTCIceTransportPolicy.RELAY)
                    .withIceServers(RTCIceServer.withCredentials("alice", "secret",
                            "turn:127.0.0.1:" + coturn.port + "?transport=" + transport));
            try (PeerPair pair = PeerPair.open(config, RTCSettings.defaults())) {
                RTCPeerConnection a = pair.offerer();
                RTCPeerConnection b = pair.answerer();
                List<String> errors = new CopyOnWriteArrayList<>();
                a.onIceCandidateError(e -> errors.add("offerer " + e.url() + " " + e.errorCode() + " " + e.errorText()));
                b.onIceCandidateError(e -> errors.add("answerer " + e.url() + " " + e.errorCode() + " " + e.errorText()));
                RTCDataChannel channel = a.createDataChannel("rounds");
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                CountDownLatch open = new CountDownLatch(1);
                b.onDataChannel(d -> d.onMessage(m -> got.add(m.text())));
                channel.onOpen(open::countDown);
                PeerPair.connect(a, b);
                assertThat(open.await(20, TimeUnit.SECONDS)).as("open " + errors).isTrue();
                List<String> seen = new ArrayList<>();
                for (int round = 0; round < RESTARTS; round++) {
                    String r = "round " + round + " of " + seen + " " + errors;
                    String oldA = relayed(a);
                    String oldB = relayed(b);
                    assertThat(oldA).as(r).startsWith("relay ");
                    assertThat(oldB).as(r).startsWith("relay ");
                    seen.add(oldA + " / " + oldB);
                    channel.send("before " + round);
                    assertThat(got.poll(20, TimeUnit.SECONDS)).as(r).isEqualTo("before " + round);
                    long released = releases(log);
                    // each side's first selection in the new session, with the releases coturn had logged by then
                    List<String> selections = new CopyOnWriteArrayList<>();
                    a.sctp().transport().iceTransport().onSelectedCandidatePairChange(
                            p -> selections.add("a " + releases(log)));
                    b.sctp().transport().iceTransport().onSelectedCandidatePairChange(
                            p -> selections.add("b " + releases(log)));
                    a.restartIce();
                    PeerPair.connect(a, b);
                    channel.send("during " + round);
                    assertThat(waitFor(() -> !oldA.equals(relayed(a)) && !oldB.equals(relayed(b)),
                            Duration.ofSeconds(20))).as("new relays in " + r).isTrue();
                    assertThat(relayed(a)).as(r).startsWith("relay ");
                    assertThat(relayed(b)).as(r).startsWith("relay ");
                    assertThat(got.poll(20, TimeUnit.SECONDS)).as(r).isEqualTo("during " + round);
                    channel.send("after " + round);
                    assertThat(got.poll(20, TimeUnit.SECONDS)).as(r).isEqualTo("after " + round);
                    // the first side to select had no allocation released yet, the second at most the first's
                    assertThat(selections).as(r).anyMatch(x -> x.startsWith("a ")).anyMatch(x -> x.startsWith("b "));
                    String first = selections.get(0);
                    String second = selections.stream().filter(x -> x.charAt(0) != first.charAt(0)).findFirst()
                            .orElseThrow();
                    assertThat(Long.parseLong(first.substring(2))).as("released before a selection: " + selections
                            + " " + r).isEqualTo(released);
                    assertThat(Long.parseLong(second.substring(2))).as("released before a selection: " + selections
                            + " " + r).isLessThanOrEqualTo(released + 1);
                    // both old allocations go once both sides have selected
                    assertThat(waitFor(() -> releases(log) == released + 2, Duration.ofSeconds(10)))
                            .as("released after " + r + ": " + releases(log)).isTrue();
                }
                assertThat(errors).isEmpty();
                if (transport.equals("tcp")) {
                    // every allocation on a connection of its own; each released one's closed by us after
                    assertThat(lines(log, "tcp or tls connected to")).isEqualTo(2 + 2L * RESTARTS);
                    assertThat(waitFor(() -> lines(log, "TCP connection closed by client") == 2L * RESTARTS,
                            Duration.ofSeconds(10))).as("closed: " + lines(log, "closed by client")).isTrue();
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
