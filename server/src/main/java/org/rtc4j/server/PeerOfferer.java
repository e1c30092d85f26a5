package org.rtc4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rtc4j.MessageEvent;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.RTCIceCandidatePair;
import org.rtc4j.RTCIceGatheringState;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCPeerConnectionState;
import org.rtc4j.RTCSctpTransport;
import org.rtc4j.RTCSessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The offering side of {@code ./rtc4j peer}: opens the scenario's channels, runs it, prints the result line. */
final class PeerOfferer {

    private static final Logger LOG = LoggerFactory.getLogger(PeerOfferer.class);
    private static final long HIGH_WATER = 4L << 20;
    private static final long LOW_WATER = 1L << 20;

    private final PeerCommand options;
    private final PeerLines lines;
    private final long deadline;
    private final ObjectNode details = PeerLines.JSON.createObjectNode();
    private double setupMs = -1;
    private Double mbps;
    private long cpuStart = -1;
    /** Completed exceptionally, with the reason, when the connection fails: the run ends then, not at its timeout. */
    private final CompletableFuture<Long> failed = new CompletableFuture<>();

    /** One channel of the scenario with its incoming messages and low-water signal. */
    private record Channel(RTCDataChannel ch, BlockingQueue<MessageEvent> in, Semaphore low,
                           CompletableFuture<Long> open) {
        static Channel of(RTCPeerConnection pc, String label, RTCDataChannelInit init) {
            RTCDataChannel ch = pc.createDataChannel(label, init);
            Channel c = new Channel(ch, new LinkedBlockingQueue<>(), new Semaphore(0), new CompletableFuture<>());
            ch.onMessage(c.in::add);
            ch.bufferedAmountLowThreshold(LOW_WATER);
            ch.onBufferedAmountLow(c.low::release);
            ch.onOpen(() -> c.open.complete(System.nanoTime())); // when the open event fired
            ch.onClose(() -> c.open.completeExceptionally(new IllegalStateException("channel " + label + " closed")));
            return c;
        }
    }

    /** The media scenario, or null for the data-channel ones. */
    private final PeerMediaOffer media;
    private final long timeoutMillis;
    /** Completed when the connection state reaches connected. */
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final PeerSteps steps = new PeerSteps();

    PeerOfferer(PeerCommand options, PeerLines lines, long timeoutMillis, PeerMediaOffer media) {
        this.options = options;
        this.media = media;
        this.lines = lines;
        this.timeoutMillis = timeoutMillis;
        this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    int run() {
        boolean ok = false;
        RTCPeerConnection pc = null;
        try {
            pc = new RTCPeerConnection(options.configuration(), options.peerSettings);
            List<Channel> channels = new ArrayList<>();
            switch (options.scenario) {
                case echo -> channels.add(Channel.of(pc, "echo", RTCDataChannelInit.defaults()));
                case throughput -> channels.add(Channel.of(pc, "bulk", RTCDataChannelInit.defaults()));
                case unordered -> {
                    channels.add(Channel.of(pc, "unordered",
                            RTCDataChannelInit.defaults().withOrdered(false).withMaxRetransmits(0)));
                    channels.add(Channel.of(pc, "ctl", RTCDataChannelInit.defaults()));
                }
                case media -> media.addTransceivers(pc);
            }
            // The offer line is written from the connection's loop as soon as gathering completes, and the open
            // times are taken in the open events: no thread hand-over inside the measured span.
            pc.onConnectionStateChange(s -> {
                if (s == RTCPeerConnectionState.CONNECTED) {
                    if (media != null) {
                        media.connected(); // the first frames leave from here, without a thread hop
                    }
                    connected.complete(null);
                }
                if (s == RTCPeerConnectionState.FAILED) {
                    // A moment's grace, so that the DTLS error that says why (fired after the state) wins.
                    CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS).execute(() ->
                            failed.completeExceptionally(new IllegalStateException("the connection failed")));
                }
            });
            final RTCPeerConnection conn = pc;
            CompletableFuture<Void> offered = new CompletableFuture<>();
            pc.onIceGatheringStateChange(s -> {
                if (s == RTCIceGatheringState.COMPLETE && !offered.isDone()) {
                    steps.mark("gathered");
                    lines.description("offer", conn.localDescription().sdp());
                    steps.mark("offer-out");
                    offered.complete(null);
                }
            });
            steps.markCpu("start");
            long start = System.nanoTime();
            cpuStart = ProcessCpu.nanos();
            pc.setLocalDescription().get(remaining(), TimeUnit.NANOSECONDS); // implicit createOffer
            offered.get(remaining(), TimeUnit.NANOSECONDS);
            LOG.debug("offer out after {} ms", (System.nanoTime() - start) / 1e6);
            JsonNode answer = lines.await("answer");
            if (answer == null) {
                throw new IllegalStateException("stdin ended before an answer line");
            }
            steps.mark("answer-in");
            LOG.debug("answer in after {} ms", (System.nanoTime() - start) / 1e6);
            pc.setRemoteDescription(RTCSessionDescription.answer(answer.path("sdp").asText()))
                    .get(remaining(), TimeUnit.NANOSECONDS);
            steps.mark("answer-set");
            if (media != null) {
                ok = media(pc, start);
            } else {
                RTCSctpTransport sctp = pc.sctp();
                if (sctp != null) { // the DTLS error says why (a fingerprint that does not match, an alert)
                    sctp.transport().onError(e -> failed.completeExceptionally(
                            new IllegalStateException("DTLS failed: " + e.getMessage())));
                }
                long lastOpen = start;
                for (Channel c : channels) {
                    lastOpen = Math.max(lastOpen, (Long) CompletableFuture.anyOf(c.open, failed)
                            .get(remaining(), TimeUnit.NANOSECONDS));
                }
                setupMs = (lastOpen - start) / 1e6;
                steps.markCpu("open-seen");
                steps.print();
                LOG.debug("open after {} ms", setupMs);
                RTCIceCandidatePair pair = pc.sctp().transport().iceTransport().getSelectedCandidatePair();
                if (pair != null) {
                    details.put("selected_pair", pair.describe());
                }
                ok = switch (options.scenario) {
                    case echo -> echo(channels.get(0));
                    case throughput -> throughput(channels.get(0));
                    case unordered -> unordered(channels.get(0), channels.get(1));
                    case media -> throw new IllegalStateException("not a data-channel scenario");
                };
            }
        } catch (TimeoutException e) {
            details.put("error", "timed out after " + timeoutMillis / 1000.0 + " s");
        } catch (Exception e) {
            Throwable cause = (e instanceof java.util.concurrent.ExecutionException
                    || e instanceof java.util.concurrent.CompletionException) && e.getCause() != null ? e.getCause() : e;
            LOG.debug("peer offer failed", cause);
            details.put("error", String.valueOf(cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        } finally {
            if (pc != null) {
                pc.close();
            }
        }
        if (media != null && !details.has("video_frames_sent")) {
            media.report(details); // the counts so far, beside the error
        }
        if (cpuStart >= 0) {
            details.put("cpu_s", Math.round((ProcessCpu.nanos() - cpuStart) / 1e6) / 1000.0);
        }
        ObjectNode result = PeerLines.JSON.createObjectNode();
        result.put("type", "result");
        result.put("scenario", options.scenario.name());
        result.put("ok", ok);
        if (setupMs >= 0) {
            result.put("setup_ms", Math.round(setupMs * 10) / 10.0);
        } else {
            result.putNull("setup_ms");
        }
        if (mbps != null) {
            result.put("MBps", Math.round(mbps * 100) / 100.0);
        } else {
            result.putNull("MBps");
        }
        result.set("details", details);
        lines.write(result);
        if (details.has("error")) { // for whoever reads the terminal rather than the result line
            options.err.println("rtc4j peer offer: " + details.path("error").asText());
            options.err.flush();
        }
        return ok ? 0 : 1;
    }

    /**
     * The media scenario once the answer is set: sending starts when the connection is up, runs for the
     * scenario's seconds, and setup_ms is the time to the first reflected video frame.
     */
    private boolean media(RTCPeerConnection pc, long start) throws Exception {
        media.prepare();
        CompletableFuture.anyOf(connected, failed).get(remaining(), TimeUnit.NANOSECONDS);
        try {
            long cpuSending = ProcessCpu.nanos();
            Map<String, Double> threadsSending = options.idleSeconds > 0 ? ProcessCpu.byThread(false) : Map.of();
            long sending = System.nanoTime();
            long first = (Long) CompletableFuture.anyOf(media.firstReflected, failed)
                    .get(remaining(), TimeUnit.NANOSECONDS);
            setupMs = (first - start) / 1e6;
            LOG.debug("first reflected video frame after {} ms", setupMs);
            steps.markCpu("reflected-seen");
            steps.print();
            long end = sending + (long) (options.mediaSeconds() * 1e9);
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(remaining()),
                        TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            }
            details.put("media_s", round3((System.nanoTime() - sending) / 1e9));
            details.put("media_cpu_s", round3((ProcessCpu.nanos() - cpuSending) / 1e9));
            if (options.idleSeconds > 0) { // benchmarks: which threads spent it (JIT, GC, the loops)
                ObjectNode split = details.putObject("media_cpu_s_by_thread");
                ProcessCpu.byThread(false).forEach((name, s) -> {
                    double d = s - threadsSending.getOrDefault(name, 0.0);
                    if (d >= 0.005) {
                        split.put(name, round3(d));
                    }
                });
            }
        } finally {
            media.stopSending();
        }
        if (options.idleSeconds > 0) { // the same process connected and idle, to subtract (benchmarks)
            long idleStart = System.nanoTime();
            long cpuIdle = ProcessCpu.nanos();
            Thread.sleep((long) (options.idleSeconds * 1000));
            details.put("idle_s", round3((System.nanoTime() - idleStart) / 1e9));
            details.put("idle_cpu_s", round3((ProcessCpu.nanos() - cpuIdle) / 1e9));
        }
        String pair = PeerMediaOffer.selectedPair(pc);
        if (pair != null) {
            details.put("selected_pair", pair);
        }
        return media.report(details);
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** The time left before the deadline; throws once the connection failed or the deadline passed. */
    private long remaining() throws TimeoutException {
        if (failed.isCompletedExceptionally()) {
            failed.join(); // throws the failure: the scenario stops waiting on a dead connection
        }
        long r = deadline - System.nanoTime();
        if (r <= 0) {
            throw new TimeoutException();
        }
        return r;
    }

    /** Waits while the channel holds more than {@code high} bytes, until bufferedamountlow or a re-check. */
    private void backpressure(Channel c, long high) throws Exception {
        while (c.ch.bufferedAmount() > high) {
            c.low.tryAcquire(Math.min(50_000_000L, remaining()), TimeUnit.NANOSECONDS);
        }
    }

    private boolean echo(Channel c) throws Exception {
        long start = System.nanoTime();
        long payload = 0;
        int next = 0;
        int matched = 0;
        String error = null;
        for (int i = 0; i < EchoMessages.COUNT; i++) {
            backpressure(c, LOW_WATER);
            byte[] m = EchoMessages.bytes(i);
            if (EchoMessages.isText(i)) {
                c.ch.send(new String(m, StandardCharsets.US_ASCII));
            } else {
                c.ch.send(m);
            }
            payload += m.length;
        }
        while (next < EchoMessages.COUNT) {
            MessageEvent e = c.in.poll(remaining(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new TimeoutException();
            }
            byte[] want = EchoMessages.bytes(next);
            boolean same = e.isBinary() != EchoMessages.isText(next) && Arrays.equals(e.bytes(), want);
            if (same) {
                matched++;
            } else if (error == null) {
                error = "message " + next + " came back different (" + e + ")";
            }
            payload += e.size();
            next++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        mbps = payload / 1e6 / seconds;
        details.put("sent", EchoMessages.COUNT);
        details.put("echoed", next);
        details.put("matched", matched);
        if (error != null) {
            details.put("error", error);
        }
        return matched == EchoMessages.COUNT;
    }

    private boolean throughput(Channel c) throws Exception {
        long total = options.bytes;
        int chunk = options.chunk;
        byte[] buffer = new byte[chunk];
        for (int i = 0; i < chunk; i++) {
            buffer[i] = (byte) i;
        }
        long start = System.nanoTime();
        long sent = 0;
        long messages = 0;
        ByteBuffer view = ByteBuffer.wrap(buffer);
        while (sent < total) {
            backpressure(c, HIGH_WATER);
            int n = (int) Math.min(chunk, total - sent);
            c.ch.send(view.clear().limit(n));
            sent += n;
            messages++;
        }
        c.ch.send("{\"type\":\"fin\",\"bytes\":" + sent + ",\"messages\":" + messages + "}");
        JsonNode done = awaitJson(c, "done");
        double seconds = (System.nanoTime() - start) / 1e9;
        mbps = sent / 1e6 / seconds;
        long gotBytes = done.path("bytes").asLong(-1);
        long gotMessages = done.path("messages").asLong(-1);
        details.put("bytes", sent);
        details.put("messages", messages);
        details.put("received_bytes", gotBytes);
        details.put("received_messages", gotMessages);
        details.put("seconds", Math.round(seconds * 1000) / 1000.0);
        boolean ok = gotBytes == sent && gotMessages == messages;
        if (!ok) {
            details.put("error", "the answerer counted " + gotBytes + " bytes in " + gotMessages + " messages");
        }
        return ok;
    }

    private boolean unordered(Channel data, Channel ctl) throws Exception {
        byte[] m = new byte[100];
        for (int seq = 0; seq < 1000; seq++) {
            backpressure(data, LOW_WATER);
            ByteBuffer.wrap(m).putInt(0, seq);
            for (int j = 4; j < 100; j++) {
                m[j] = (byte) ((seq + j) & 0xff);
            }
            data.ch.send(m);
        }
        while (data.ch.bufferedAmount() > 0) {
            remaining();
            Thread.sleep(1);
        }
        Thread.sleep(300);
        ctl.ch.send("{\"type\":\"fin\",\"channel\":\"unordered\",\"sent\":1000}");
        JsonNode done = awaitJson(ctl, "done");
        for (String f : List.of("received", "unique", "duplicates", "corrupt", "reordered")) {
            details.put(f, done.path(f).asLong(-1));
        }
        details.put("sent", 1000);
        boolean ok = done.path("unique").asLong(-1) >= 950 && done.path("duplicates").asLong(-1) == 0
                && done.path("corrupt").asLong(-1) == 0;
        if (!ok) {
            details.put("error", "too few unique messages, or duplicates or corrupt ones");
        }
        return ok;
    }

    private JsonNode awaitJson(Channel c, String type) throws Exception {
        while (true) {
            MessageEvent e = c.in.poll(remaining(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new TimeoutException();
            }
            if (!e.isBinary()) {
                try {
                    JsonNode n = PeerLines.JSON.readTree(e.text());
                    if (n.isObject() && type.equals(n.path("type").asText())) {
                        return n;
                    }
                } catch (java.io.IOException ignored) {
                    // not JSON: ignored
                }
            }
        }
    }
}
