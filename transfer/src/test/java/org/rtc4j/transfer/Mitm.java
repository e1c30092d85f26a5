package org.rtc4j.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.RTCIceGatheringState;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCSessionDescription;

/**
 * A hostile rendezvous server that sits in the middle: it answers the sender's offer with a connection of its
 * own and offers the receiver another, so each end's SDP carries the attacker's fingerprint, and it relays
 * every data channel message between the two, unchanged (the key exchange too).
 */
final class Mitm implements LocalRendezvous.Relay, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TransferOptions options;
    private final List<RTCPeerConnection> connections = new ArrayList<>();
    private final java.util.concurrent.ExecutorService relay = java.util.concurrent.Executors.newSingleThreadExecutor();
    private RTCPeerConnection towardSender;
    private RTCPeerConnection towardReceiver;
    /** Binary bytes relayed from the sender to the receiver: file data, if any got through. */
    final AtomicLong binaryRelayed = new AtomicLong();

    Mitm(TransferOptions options) {
        this.options = options;
    }

    @Override
    public synchronized String relay(boolean toReceiver, String text, UnaryOperator<String> back) {
        try {
            JsonNode m = JSON.readTree(text);
            String type = m.path("t").asText();
            if (toReceiver && type.equals("offer")) {
                towardSender = new RTCPeerConnection(options.configuration(), options.settings());
                towardReceiver = new RTCPeerConnection(options.configuration(), options.settings());
                connections.add(towardSender);
                connections.add(towardReceiver);
                towardSender.onDataChannel(this::pipe);
                // A channel so that the offer has a data section; the sender's channels are piped as they come.
                towardReceiver.createDataChannel("mitm-unused", RTCDataChannelInit.defaults());
                towardSender.setRemoteDescription(RTCSessionDescription.offer(m.path("sdp").asText())).join();
                towardSender.setLocalDescription().join();
                gathered(towardSender);
                back.apply(JSON.createObjectNode().put("t", "answer")
                        .put("sdp", towardSender.localDescription().sdp()).toString());
                towardReceiver.setLocalDescription().join();
                gathered(towardReceiver);
                return JSON.createObjectNode().put("t", "offer").put("sdp", towardReceiver.localDescription().sdp())
                        .toString();
            }
            if (!toReceiver && type.equals("answer")) {
                towardReceiver.setRemoteDescription(RTCSessionDescription.answer(m.path("sdp").asText())).join();
                return null;
            }
            return text;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A channel the sender opened: the same label toward the receiver, messages both ways. */
    private void pipe(RTCDataChannel fromSender) {
        RTCDataChannel toReceiver = towardReceiver.createDataChannel(fromSender.label(), RTCDataChannelInit.defaults());
        List<Object> early = new ArrayList<>();
        boolean[] open = {false};
        fromSender.onMessage(e -> {
            synchronized (early) {
                Object msg = e.isBinary() ? (Object) e.bytes() : e.text();
                if (e.isBinary()) {
                    binaryRelayed.addAndGet(e.size());
                }
                if (!open[0]) {
                    early.add(msg);
                } else {
                    send(toReceiver, msg);
                }
            }
        });
        toReceiver.onOpen(() -> {
            synchronized (early) {
                open[0] = true;
                early.forEach(msg -> send(toReceiver, msg));
                early.clear();
            }
        });
        toReceiver.onMessage(e -> send(fromSender, e.isBinary() ? e.bytes() : e.text()));
    }

    /**
     * Sends on the other connection's channel from a thread of its own, in order: a send waits for that
     * connection's loop, and waiting for one loop on another's deadlocks when both directions do it.
     */
    private void send(RTCDataChannel ch, Object msg) {
        relay.execute(() -> {
            try {
                if (msg instanceof byte[] b) {
                    ch.send(b);
                } else {
                    ch.send((String) msg);
                }
            } catch (RuntimeException e) {
                // a channel that closed meanwhile
            }
        });
    }

    private static void gathered(RTCPeerConnection pc) throws InterruptedException {
        for (int i = 0; i < 200 && pc.iceGatheringState() != RTCIceGatheringState.COMPLETE; i++) {
            Thread.sleep(25);
        }
    }

    @Override
    public void close() {
        relay.shutdownNow();
        connections.forEach(RTCPeerConnection::close);
    }
}
