package org.rtc4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.RTCIceGatheringState;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCSessionDescription;
import org.rtc4j.transfer.Rendezvous;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferOptions;

/**
 * A receiver's rendezvous through a hostile server that sits in the middle: it answers the sender's offer
 * (a browser's, through the real signaling server) with a connection of its own, offers the receiver another,
 * so each end's SDP names the attacker's certificate, and relays every data channel message both ways
 * unchanged (the proofs too). Counts the binary bytes it relayed toward the receiver: file data, if any.
 */
final class HostileRendezvous implements Rendezvous {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Rendezvous server;
    private final TransferOptions options;
    private final List<RTCPeerConnection> connections = new ArrayList<>();
    /** Sends on one connection from a thread of its own: waiting for a loop on another loop deadlocks. */
    private final ExecutorService relay = Executors.newSingleThreadExecutor();
    private volatile RTCPeerConnection towardReceiver;
    final AtomicLong binaryRelayed = new AtomicLong();

    HostileRendezvous(Rendezvous server, TransferOptions options) {
        this.server = server;
        this.options = options;
    }

    @Override
    public int claim(Listener listener) {
        throw new UnsupportedOperationException("a receiver's rendezvous");
    }

    @Override
    public void join(int nameplate, Listener receiver) throws TransferException {
        server.join(nameplate, new Listener() {
            @Override
            public void peerArrived() {
                receiver.peerArrived();
            }

            @Override
            public void peerLeft() {
                receiver.peerLeft();
            }

            @Override
            public void message(String text) {
                Thread.ofVirtual().start(() -> intercept(text, receiver));
            }
        });
    }

    private void intercept(String text, Listener receiver) {
        try {
            JsonNode m = JSON.readTree(text);
            if (!"offer".equals(m.path("t").asText())) {
                receiver.message(text);
                return;
            }
            RTCPeerConnection towardSender = new RTCPeerConnection(options.configuration(), options.settings());
            RTCPeerConnection toReceiver = new RTCPeerConnection(options.configuration(), options.settings());
            connections.add(towardSender);
            connections.add(toReceiver);
            towardReceiver = toReceiver;
            towardSender.onDataChannel(this::pipe);
            toReceiver.createDataChannel("mitm-unused", RTCDataChannelInit.defaults());
            towardSender.setRemoteDescription(RTCSessionDescription.offer(m.path("sdp").asText())).join();
            towardSender.setLocalDescription().join();
            gathered(towardSender);
            server.send(JSON.createObjectNode().put("t", "answer").put("sdp", towardSender.localDescription().sdp())
                    .toString());
            toReceiver.setLocalDescription().join();
            gathered(toReceiver);
            receiver.message(JSON.createObjectNode().put("t", "offer").put("sdp", toReceiver.localDescription().sdp())
                    .toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void send(String text) {
        try {
            if ("answer".equals(JSON.readTree(text).path("t").asText())) {
                towardReceiver.setRemoteDescription(RTCSessionDescription.answer(JSON.readTree(text).path("sdp")
                        .asText())).join();
                return;
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        server.send(text);
    }

    /** A channel the sender opened: the same label toward the receiver, messages both ways once it is open. */
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
                if (open[0]) {
                    send(toReceiver, msg);
                } else {
                    early.add(msg);
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

    private void send(RTCDataChannel ch, Object msg) {
        relay.execute(() -> {
            try {
                if (msg instanceof byte[] b) {
                    ch.send(b);
                } else {
                    ch.send((String) msg);
                }
            } catch (RuntimeException e) {
                // closed meanwhile
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
        server.close();
    }
}
