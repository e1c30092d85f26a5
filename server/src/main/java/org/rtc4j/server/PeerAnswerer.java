package org.rtc4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rtc4j.MessageEvent;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDtlsTransportState;
import org.rtc4j.RTCIceGatheringState;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCPeerConnectionState;
import org.rtc4j.RTCRtpTransceiver;
import org.rtc4j.RTCRtpTransceiverDirection;
import org.rtc4j.RTCStats;
import org.rtc4j.RTCSessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering side of {@code ./rtc4j peer}: answers the offer line, serves the channels the offerer opens
 * (echo, bulk counting, unordered statistics), reflects the media scenario's tracks, and exits when the offerer closes the connection, stdin ends,
 * or its lifetime is over.
 */
final class PeerAnswerer {

    private static final Logger LOG = LoggerFactory.getLogger(PeerAnswerer.class);

    private final PeerCommand options;
    private final PeerLines lines;
    private final long lifetimeMillis;
    private final CompletableFuture<String> finished = new CompletableFuture<>();
    private final PeerSteps steps = new PeerSteps();

    /** The counts of the unordered channel (on the connection's loop). */
    private final BitSet seen = new BitSet(1000);
    private long received;
    private long duplicates;
    private long corrupt;
    private long reordered;
    private int highest = -1;

    PeerAnswerer(PeerCommand options, PeerLines lines, long lifetimeMillis) {
        this.options = options;
        this.lines = lines;
        this.lifetimeMillis = lifetimeMillis;
    }

    int run() throws Exception {
        // Made before the offer arrives (its certificate takes a while): the answer goes out sooner.
        try (RTCPeerConnection pc = new RTCPeerConnection(options.configuration(), options.peerSettings)) {
            // Handlers first, while waiting costs nothing: the answer line is written from the connection's
            // loop as soon as gathering completes.
            CompletableFuture<Void> answered = new CompletableFuture<>();
            pc.onIceGatheringStateChange(s -> {
                if (s == RTCIceGatheringState.COMPLETE && !answered.isDone()) {
                    steps.mark("gathered");
                    lines.description("answer", pc.localDescription().sdp());
                    steps.mark("answer-out");
                    answered.complete(null);
                }
            });
            pc.onDataChannel(ch -> {
                steps.markCpu("channel");
                serve(ch);
            });
            pc.onConnectionStateChange(s -> {
                if (s == RTCPeerConnectionState.FAILED) {
                    finished.complete("the connection failed");
                }
            });
            // The CPU baseline (each thread's, read from /proc: most of a millisecond) is taken while waiting, not
            // between the offer's arrival and its application, where it delayed the set-up it measures.
            steps.markCpu("waiting");
            JsonNode offer = lines.await("offer");
            if (offer == null) {
                // Nothing answered: a pipe with no offer in it is an error the caller must see (issue 19).
                options.err.println("rtc4j peer answer: stdin ended before an offer line (one JSON object per line,"
                        + " {\"type\":\"offer\",\"sdp\":...}; other lines are ignored)");
                options.err.flush();
                return 1;
            }
            steps.mark("offer-in");
            long cpuStart = ProcessCpu.nanos();
            long t0 = System.nanoTime();
            try {
                pc.setRemoteDescription(RTCSessionDescription.offer(offer.path("sdp").asText()))
                        .thenCompose(v -> {
                            steps.mark("offer-set");
                            reflect(pc); // on the connection's loop, before the answer is made
                            return pc.setLocalDescription();
                        })
                        .get(lifetimeMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // An offer we cannot take (SDP that does not parse, nothing we support): one line, no trace.
                Throwable why = e.getCause() == null ? e : e.getCause();
                options.err.println("rtc4j peer answer: cannot answer the offer: " + why.getMessage());
                options.err.flush();
                return 1;
            }
            if (pc.sctp() != null) {
                pc.sctp().transport().onStateChange(s -> {
                    if (s == RTCDtlsTransportState.CLOSED || s == RTCDtlsTransportState.FAILED) {
                        finished.complete("the offerer closed the connection");
                    }
                });
            } else {
                watchDtls(pc);
            }
            answered.get(lifetimeMillis, TimeUnit.MILLISECONDS);
            LOG.debug("answer out after {} ms", (System.nanoTime() - t0) / 1e6);
            Thread stdin = Thread.ofVirtual().start(() -> {
                try {
                    lines.drain();
                } catch (java.io.IOException ignored) {
                    // treated as the end
                }
                finished.complete("stdin ended");
            });
            String why;
            try {
                why = finished.get(lifetimeMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                why = "lifetime over";
            }
            steps.print();
            double cpu = Math.round((ProcessCpu.nanos() - cpuStart) / 1e6) / 1000.0;
            if (options.rehearsal) {
                LOG.debug("rehearsal answerer exits: {} (cpu_s={})", why, cpu);
            } else {
                LOG.info("peer answer exits: {} (cpu_s={})", why, cpu);
            }
            stdin.interrupt();
        }
        return 0;
    }

    /**
     * The media scenario's reflector: every transceiver the offer made sends back, on itself, the track it
     * receives, frame by frame without decoding (issue 17).
     */
    static void reflect(RTCPeerConnection pc) {
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            t.setDirection(RTCRtpTransceiverDirection.SENDRECV);
            t.sender().replaceTrack(t.receiver().track()); // done on the loop before the answer is set
        }
    }

    /** Without a data channel the DTLS transport is only in getStats: its state is read there twice a second. */
    private void watchDtls(RTCPeerConnection pc) {
        Thread.ofVirtual().start(() -> {
            while (!finished.isDone()) {
                try {
                    Thread.sleep(500);
                    for (RTCStats t : pc.getStats().get(5, TimeUnit.SECONDS).ofType("transport")) {
                        if ("closed".equals(t.get("dtlsState")) || "failed".equals(t.get("dtlsState"))) {
                            finished.complete("the offerer closed the connection");
                        }
                    }
                } catch (Exception e) {
                    return; // closed, or this process is ending
                }
            }
        });
    }

    private void serve(RTCDataChannel ch) {
        switch (ch.label()) {
            case "bulk" -> {
                long[] counts = new long[2];
                ch.onMessage(m -> {
                    if (m.isBinary()) {
                        counts[0] += m.size();
                        counts[1]++;
                    } else if (isType(m, "fin")) {
                        ch.send("{\"type\":\"done\",\"bytes\":" + counts[0] + ",\"messages\":" + counts[1] + "}");
                    }
                });
            }
            case "unordered" -> ch.onMessage(this::countUnordered);
            case "ctl" -> ch.onMessage(m -> {
                if (!m.isBinary() && isType(m, "fin")) {
                    ObjectNode done = PeerLines.JSON.createObjectNode();
                    done.put("type", "done");
                    done.put("channel", "unordered");
                    done.put("received", received);
                    done.put("unique", seen.cardinality());
                    done.put("duplicates", duplicates);
                    done.put("corrupt", corrupt);
                    done.put("reordered", reordered);
                    ch.send(done.toString());
                }
            });
            default -> ch.onMessage(m -> {
                if (m.isBinary()) {
                    ch.send(m.bytes());
                } else {
                    ch.send(m.text());
                }
            });
        }
    }

    private void countUnordered(MessageEvent m) {
        received++;
        byte[] b = m.bytes();
        if (!m.isBinary() || b.length != 100) {
            corrupt++;
            return;
        }
        int seq = ByteBuffer.wrap(b).getInt(0);
        if (seq < 0 || seq >= 1000) {
            corrupt++;
            return;
        }
        for (int j = 4; j < 100; j++) {
            if (b[j] != (byte) ((seq + j) & 0xff)) {
                corrupt++;
                return;
            }
        }
        if (seen.get(seq)) {
            duplicates++;
            return;
        }
        seen.set(seq);
        if (seq < highest) {
            reordered++;
        }
        highest = Math.max(highest, seq);
    }

    private static boolean isType(MessageEvent m, String type) {
        try {
            JsonNode n = PeerLines.JSON.readTree(m.text());
            return n != null && n.isObject() && type.equals(n.path("type").asText());
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
