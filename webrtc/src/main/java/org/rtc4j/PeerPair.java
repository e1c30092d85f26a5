package org.rtc4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Two peer connections in one JVM that signal each other directly, as the WebRTC samples' "pc1 and pc2 in one
 * page": what tests, benchmarks and the command line's warm-up share. Not a W3C interface.
 *
 * <pre>{@code
 * try (PeerPair pair = PeerPair.open(RTCConfiguration.defaults(), RTCSettings.defaults())) {
 *     String got = pair.sendOne("x", Duration.ofSeconds(20));   // a channel, connected, one message across
 *     pair.offerer().getStats() ...
 * }
 * }</pre>
 */
public final class PeerPair implements AutoCloseable {

    private final RTCPeerConnection offerer;
    private final RTCPeerConnection answerer;

    private PeerPair(RTCPeerConnection offerer, RTCPeerConnection answerer) {
        this.offerer = offerer;
        this.answerer = answerer;
    }

    /** Two new connections with the same configuration and settings, not yet connected. */
    public static PeerPair open(RTCConfiguration configuration, RTCSettings settings) {
        RTCPeerConnection first = new RTCPeerConnection(configuration, settings);
        try {
            return new PeerPair(first, new RTCPeerConnection(configuration, settings));
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    /**
     * Trickles candidates both ways and runs offer and answer (the implicit createOffer and createAnswer of
     * {@code setLocalDescription()}); returns once both sides have both descriptions.
     */
    public static void connect(RTCPeerConnection offerer, RTCPeerConnection answerer) {
        Trickle toAnswerer = new Trickle(answerer);
        Trickle toOfferer = new Trickle(offerer);
        offerer.onIceCandidate(toAnswerer::candidate);
        answerer.onIceCandidate(toOfferer::candidate);
        offerer.setLocalDescription().join();
        answerer.setRemoteDescription(offerer.localDescription()).join();
        toAnswerer.ready();
        answerer.setLocalDescription().join();
        offerer.setRemoteDescription(answerer.localDescription()).join();
        toOfferer.ready();
    }

    /**
     * Candidates for one side, held until it has the other's description: addIceCandidate before
     * setRemoteDescription is an InvalidStateError (W3C 4.4.1.6), and a candidate gathered after the description
     * was read but before the peer applied it would be lost (relay-only, nothing else could connect them).
     */
    private static final class Trickle {
        private final RTCPeerConnection to;
        private List<RTCIceCandidate> waiting = new ArrayList<>();   // null once the peer can take them

        Trickle(RTCPeerConnection to) {
            this.to = to;
        }

        synchronized void candidate(RTCIceCandidate c) {
            if (waiting != null) {
                waiting.add(c);
            } else {
                to.addIceCandidate(c);
            }
        }

        synchronized void ready() {
            waiting.forEach(to::addIceCandidate);
            waiting = null;
        }
    }

    /**
     * One create-connect-close cycle: {@link #open}, {@link #sendOne}, close. Returns what the second
     * connection received.
     */
    public static String sendOne(RTCSettings settings, String message, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (PeerPair pair = open(RTCConfiguration.defaults(), settings)) {
            return pair.sendOne(message, timeout);
        }
    }

    /**
     * Opens a data channel from the offerer, {@link #connect connects} the two, sends {@code message} once the
     * channel is open, and returns what the answerer received.
     *
     * @throws TimeoutException when nothing arrived within {@code timeout}
     */
    public String sendOne(String message, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        RTCDataChannel channel = offerer.createDataChannel("pair");
        CompletableFuture<String> received = new CompletableFuture<>();
        answerer.onDataChannel(d -> d.onMessage(m -> received.complete(m.text())));
        channel.onOpen(() -> channel.send(message));
        connect(offerer, answerer);
        return received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public RTCPeerConnection offerer() {
        return offerer;
    }

    public RTCPeerConnection answerer() {
        return answerer;
    }

    /**
     * The type of each side's local candidate on its selected pair ({@code host}, {@code srflx}, {@code prflx},
     * {@code relay}), offerer first, as {@code getStats} reports them; {@code null} for a side without one.
     */
    public List<String> selectedLocalCandidateTypes()
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> types = new ArrayList<>(2);
        for (RTCPeerConnection pc : List.of(offerer, answerer)) {
            RTCStatsReport stats = pc.getStats().get(10, TimeUnit.SECONDS);
            RTCStats transport = stats.ofType("transport").get(0);
            RTCStats pair = stats.get((String) transport.get("selectedCandidatePairId"));
            types.add(pair == null ? null : (String) stats.get((String) pair.get("localCandidateId")).get("candidateType"));
        }
        return types;
    }

    @Override
    public void close() {
        try {
            offerer.close();
        } finally {
            answerer.close();
        }
    }
}
