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
 * A rendezvous through a hostile server that sits in the middle, on either end's side: it answers the offer
 * (the sender's, whichever way it travels) with a connection of its own and offers the answering end another,
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
    /** The end in this process (a sender after {@link #claim}, a receiver after {@link #join}). */
    private volatile Listener local;
    final AtomicLong binaryRelayed = new AtomicLong();

    HostileRendezvous(Rendezvous server, TransferOptions options) {
        this.server = server;
        this.options = options;
    }

    @Override
    public int claim(Listener sender) throws TransferException {
        return server.claim(intercepting(sender));
    }

    @Override
    public void join(int nameplate, Listener receiver) throws TransferException {
        server.join(nameplate, intercepting(receiver));
    }

    /** What the server delivers, intercepted on its way to {@code end}. */
    private Listener intercepting(Listener end) {
        local = end;
        return new Listener() {
            @Override
            public void peerArrived() {
                end.peerArrived();
            }

            @Override
            public void peerLeft() {
                end.peerLeft();
            }

            @Override
            public void message(String text) {
                Thread.ofVirtual().start(() -> route(text, end::message, server::send));
            }
        };
    }

    @Override
    public void send(String text) {
        route(text, server::send, t -> local.message(t));
    }

    /**
     * A message on its way {@code onward}: an offer is answered {@code back} by the attacker, who offers the
     * other end instead; the answer to that offer ends here; anything else passes.
     */
    private void route(String text, java.util.function.Consumer<String> onward, java.util.function.Consumer<String> back) {
        try {
            JsonNode m = JSON.readTree(text);
            switch (m.path("t").asText()) {
                case "offer" -> intercept(m.path("sdp").asText(), onward, back);
                case "answer" -> towardReceiver.setRemoteDescription(RTCSessionDescription.answer(m.path("sdp")
                        .asText())).join();
                default -> onward.accept(text);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void intercept(String offer, java.util.function.Consumer<String> onward,
                           java.util.function.Consumer<String> back) throws InterruptedException {
        RTCPeerConnection towardSender = new RTCPeerConnection(options.configuration(), options.settings());
        RTCPeerConnection toReceiver = new RTCPeerConnection(options.configuration(), options.settings());
        connections.add(towardSender);
        connections.add(toReceiver);
        towardReceiver = toReceiver;
        towardSender.onDataChannel(this::pipe);
        toReceiver.createDataChannel("mitm-unused", RTCDataChannelInit.defaults());
        towardSender.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
        towardSender.setLocalDescription().join();
        gathered(towardSender);
        back.accept(JSON.createObjectNode().put("t", "answer").put("sdp", towardSender.localDescription().sdp())
                .toString());
        toReceiver.setLocalDescription().join();
        gathered(toReceiver);
        onward.accept(JSON.createObjectNode().put("t", "offer").put("sdp", toReceiver.localDescription().sdp())
                .toString());
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
