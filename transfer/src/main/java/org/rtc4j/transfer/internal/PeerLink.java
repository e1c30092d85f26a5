package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.RTCIceGatheringState;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCPeerConnectionState;
import org.rtc4j.RTCSessionDescription;
import org.rtc4j.transfer.Rendezvous;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferOptions;

/**
 * One connection attempt between a sender and a receiver: the peer connection, set up through the rendezvous
 * (offer and answer with all candidates, no trickle), its control channel and the fingerprints both SDPs name.
 * The control channel's text messages queue in {@link #next}; a full queue (a peer flooding it) breaks the link.
 * After a second with no control message either way, a {@code keepalive} goes out (and one that comes is dropped):
 * Chromium 156 was seen holding a page's message in its queue, its data channel open, until a data channel
 * message from this end arrived, 30 s later (the page's proof left in the packet that acknowledged our next
 * message; our acknowledgements alone did not release it).
 */
public final class PeerLink implements AutoCloseable {

    /** The control channel's label: the first channel the sender opens. */
    public static final String CONTROL = "rtc4j-transfer";
    private static final int MAX_QUEUED = 4096;
    private static final Duration GATHERING = Duration.ofSeconds(5);
    /** Sent on a silent control channel; dropped where it arrives. */
    static final String KEEPALIVE = "{\"t\":\"keepalive\"}";
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("transfer-keepalive").unstarted(r));
    /** Put into a rendezvous inbox (never sent) when the other end left before the connection was up. */
    public static final String GONE = "gone";

    private final RTCPeerConnection pc;
    private final BlockingQueue<String> control = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final CompletableFuture<RTCDataChannel> ctl = new CompletableFuture<>();
    /** Completes (exceptionally, with the reason) when the link broke. */
    private final CompletableFuture<Void> broken = new CompletableFuture<>();
    private final long deadline;
    /** When a control message last went out or came in ({@link System#nanoTime}). */
    private volatile long lastControl = System.nanoTime();
    private volatile ScheduledFuture<?> keepalive;

    private PeerLink(TransferOptions options) {
        this.pc = new RTCPeerConnection(options.configuration(), options.settings());
        this.deadline = System.nanoTime() + options.connectTimeout().toNanos();
        pc.onConnectionStateChange(s -> {
            if (s == RTCPeerConnectionState.FAILED || s == RTCPeerConnectionState.CLOSED) {
                breakLink("the connection " + s.value());
            }
        });
    }

    /**
     * The sender's side: offers, waits for the answer from {@code rendezvous} messages ({@code inbox}), and for
     * the control channel to open.
     */
    public static PeerLink offer(TransferOptions options, Rendezvous rendezvous, BlockingQueue<String> inbox)
            throws TransferException, InterruptedException {
        PeerLink link = new PeerLink(options);
        try {
            RTCDataChannel c = link.pc.createDataChannel(CONTROL, RTCDataChannelInit.defaults());
            link.attach(c);
            c.onOpen(() -> link.ctl.complete(c));
            link.pc.setLocalDescription().get(link.remaining(), TimeUnit.NANOSECONDS);
            link.gathered();
            rendezvous.send(Json.message("offer").put("sdp", link.pc.localDescription().sdp()).toString());
            String sdp = link.awaitSdp(inbox, "answer");
            link.pc.setRemoteDescription(RTCSessionDescription.answer(sdp)).get(link.remaining(), TimeUnit.NANOSECONDS);
            link.awaitControl();
            return link;
        } catch (TransferException | InterruptedException | RuntimeException e) {
            link.close();
            throw e;
        } catch (Exception e) {
            link.close();
            throw connection("the connection could not be set up: " + e.getMessage(), e);
        }
    }

    /**
     * The receiver's side: waits for the offer, answers, and waits for the control channel; the sender's other
     * channels go to {@code files}.
     */
    public static PeerLink answer(TransferOptions options, Rendezvous rendezvous, BlockingQueue<String> inbox,
                                  Consumer<RTCDataChannel> files) throws TransferException, InterruptedException {
        PeerLink link = new PeerLink(options);
        try {
            link.pc.onDataChannel(c -> {
                if (!link.ctl.isDone() && CONTROL.equals(c.label())) {
                    link.attach(c);
                    link.ctl.complete(c);
                } else {
                    files.accept(c);
                }
            });
            String sdp = link.awaitSdp(inbox, "offer");
            link.pc.setRemoteDescription(RTCSessionDescription.offer(sdp)).get(link.remaining(), TimeUnit.NANOSECONDS);
            link.pc.setLocalDescription().get(link.remaining(), TimeUnit.NANOSECONDS);
            link.gathered();
            rendezvous.send(Json.message("answer").put("sdp", link.pc.localDescription().sdp()).toString());
            link.awaitControl();
            return link;
        } catch (TransferException | InterruptedException | RuntimeException e) {
            link.close();
            throw e;
        } catch (Exception e) {
            link.close();
            throw connection("the connection could not be set up: " + e.getMessage(), e);
        }
    }

    public RTCPeerConnection peerConnection() {
        return pc;
    }

    /** This end's certificate fingerprint, as its SDP announces it. */
    public String localFingerprint() {
        return Fingerprints.of(pc.localDescription().sdp());
    }

    /** The peer's, as its SDP announced it (DTLS accepted only a certificate that matches it). */
    public String remoteFingerprint() {
        return Fingerprints.of(pc.remoteDescription().sdp());
    }

    /** Sends a control message. */
    public void send(JsonNode message) {
        lastControl = System.nanoTime();
        ctl.join().send(message.toString());
    }

    /** On the timer (from the control channel's open): a keepalive after a second of silence both ways. */
    private void keepalive() {
        long now = System.nanoTime();
        if (now - lastControl >= KEEPALIVE_NANOS && !broken.isDone()) {
            lastControl = now;
            try {
                ctl.join().send(KEEPALIVE);
            } catch (RuntimeException e) {
                // closing, or the send buffer is full (then data is flowing anyway)
            }
        }
    }

    /** The next control message, waiting at most {@code timeout}; throws when the link broke or time ran out. */
    public JsonNode next(Duration timeout) throws TransferException, InterruptedException {
        JsonNode m = poll(timeout);
        if (m == null) {
            throw connection("the peer said nothing for " + timeout.toSeconds() + " s" + traffic(), null);
        }
        return m;
    }

    /**
     * What still came from the peer, for a silence's message: whether its packets kept arriving tells a peer
     * that stopped from messages lost on the way (as in a browser test that fails about one run in ten).
     * The peer names the channels it opens: their labels are cut short and stripped of control characters,
     * and only the first few are listed, since the message reaches a terminal.
     */
    private String traffic() throws InterruptedException {
        try {
            var report = pc.getStats().get(2, TimeUnit.SECONDS);
            StringBuilder out = new StringBuilder(" (from the peer: ");
            report.ofType("candidate-pair").forEach(p -> out.append(p.get("packetsReceived")).append(" packets; "));
            report.ofType("data-channel").stream().limit(8).forEach(c -> {
                String label = String.valueOf(c.get("label"));
                out.append(label.substring(0, Math.min(40, label.length())).replaceAll("\\p{Cntrl}", "?"))
                        .append(' ').append(c.get("messagesReceived")).append(" messages; ");
            });
            return out.append(')').toString().replace("; )", ")");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | RuntimeException e) {
            return ""; // the connection is gone: the silence says it all
        }
    }

    /** The next control message, or null after {@code timeout}; throws when the link broke. */
    public JsonNode poll(Duration timeout) throws TransferException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = control.poll(Math.min(50_000_000L, Math.max(0, end - System.nanoTime())),
                    TimeUnit.NANOSECONDS);
            if (text != null) {
                JsonNode m = Json.parse(text);
                if ("error".equals(Json.type(m))) {
                    throw peerError(m);
                }
                return m;
            }
            checkBroken();
            if (System.nanoTime() >= end) {
                return null;
            }
        }
    }

    /** Throws the reason when the link broke. */
    public void checkBroken() throws TransferException {
        if (broken.isCompletedExceptionally()) {
            try {
                broken.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof TransferException t) {
                    throw t;
                }
                throw connection(String.valueOf(e.getCause().getMessage()), e.getCause());
            }
        }
    }

    /**
     * Waits at most {@code max} for the peer to end the link (it closes the connection, which closes the control
     * channel; the connection's own state stays connected until ICE notices, seconds later).
     */
    public void awaitPeerClose(Duration max) throws InterruptedException {
        try {
            broken.get(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // ended by the peer (the link only ever completes broken), or the peer did not close in time
        }
    }

    /** Marks the link broken (the peer left, a protocol error); the waiting calls throw. */
    public void breakLink(String why) {
        broken.completeExceptionally(connection(why, null));
    }

    /** Tells the peer why this end stops, and gives what was sent a moment to leave. */
    public void fail(TransferException e) {
        try {
            if (ctl.isDone() && !ctl.isCompletedExceptionally()) {
                ctl.join().send(Json.message("error").put("reason", e.reason().name())
                        .put("message", e.getMessage()).toString());
                flush();
            }
        } catch (RuntimeException ignored) {
            // the channel is gone already
        }
    }

    /**
     * Waits (at most two seconds) until the control channel has handed what it holds to the network (its
     * bufferedamountlow event at threshold 0), then a moment for the acknowledgement: closing drops the rest.
     */
    public void flush() {
        try {
            RTCDataChannel c = ctl.join();
            CompletableFuture<Void> sent = new CompletableFuture<>();
            c.bufferedAmountLowThreshold(0);
            c.onBufferedAmountLow(() -> sent.complete(null));
            if (c.bufferedAmount() > 0) { // else the event came before, or will not come
                CompletableFuture.anyOf(sent, broken).get(2, TimeUnit.SECONDS);
            }
            Thread.sleep(50); // the last packet's acknowledgement
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            // the link broke, or the channel is gone already: nothing more to wait for
        }
    }

    @Override
    public void close() {
        broken.completeExceptionally(connection("closed", null));
        ScheduledFuture<?> k = keepalive;
        if (k != null) {
            k.cancel(false);
        }
        pc.close();
    }

    private void attach(RTCDataChannel c) {
        c.onMessage(m -> {
            lastControl = System.nanoTime();
            if (!m.isBinary() && KEEPALIVE.equals(m.text())) {
                return;
            }
            if (m.isBinary() || !control.offer(m.text())) {
                breakLink("the peer flooded the control channel or sent binary on it");
            }
        });
        c.onClose(() -> breakLink("the peer closed the control channel"));
    }

    /**
     * Waits for gathering to complete, or {@link #GATHERING} at most: a STUN or TURN server that does not answer
     * must not stall the transfer, and the host candidates (in the description already) serve on one network.
     */
    private void gathered() throws TransferException, InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(GATHERING.toMillis(), TimeUnit.MILLISECONDS).execute(() -> done.complete(null));
        pc.onIceGatheringStateChange(s -> {
            if (s == RTCIceGatheringState.COMPLETE) {
                done.complete(null);
            }
        });
        if (pc.iceGatheringState() == RTCIceGatheringState.COMPLETE) {
            done.complete(null);
        }
        await(done);
    }

    private String awaitSdp(BlockingQueue<String> inbox, String type) throws TransferException, InterruptedException {
        while (true) {
            String text = inbox.poll(remaining(), TimeUnit.NANOSECONDS);
            if (text == null) {
                throw connection("no " + type + " came through the rendezvous", null);
            }
            JsonNode m = Json.parse(text);
            if (type.equals(Json.type(m))) {
                return Json.text(m, "sdp", 60_000);
            }
            if (GONE.equals(Json.type(m))) {
                throw connection("the other end left", null);
            }
        }
    }

    private void awaitControl() throws TransferException, InterruptedException {
        await(CompletableFuture.anyOf(ctl, broken));
        lastControl = System.nanoTime();
        keepalive = TIMER.scheduleWithFixedDelay(this::keepalive, KEEPALIVE_NANOS, KEEPALIVE_NANOS / 4,
                TimeUnit.NANOSECONDS);
    }

    private void await(CompletableFuture<?> f) throws TransferException, InterruptedException {
        try {
            f.get(remaining(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof TransferException t ? t : connection(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw connection("the peer connection did not open in time", e);
        }
    }

    private long remaining() throws TransferException {
        long r = deadline - System.nanoTime();
        if (r <= 0) {
            throw connection("the peer connection did not open in time", null);
        }
        return r;
    }

    private static TransferException peerError(JsonNode m) {
        TransferException.Reason reason;
        try {
            reason = TransferException.Reason.valueOf(m.path("reason").asText());
        } catch (IllegalArgumentException e) {
            reason = TransferException.Reason.PROTOCOL;
        }
        String text = m.path("message").asText();
        return new TransferException(reason, "the peer stopped: "
                + (text.length() > 300 ? text.substring(0, 300) : text).replaceAll("\\p{Cntrl}", "?"));
    }

    static TransferException connection(String why, Throwable cause) {
        return new TransferException(TransferException.Reason.CONNECTION, why, cause);
    }
}
