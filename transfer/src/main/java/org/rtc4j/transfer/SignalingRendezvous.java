package org.rtc4j.transfer;

import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URI;
import java.security.SecureRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.signaling.SignalingEvent;
import org.rtc4j.signaling.SignalingException;

/**
 * A rendezvous over rtc4j's signaling server: the nameplate {@code N} is the room {@code rtc4j-transfer-N}
 * (rooms hold two, so while a receiver is connected no third party gets in), and the messages are the room's
 * relayed {@code message}s.
 */
public final class SignalingRendezvous implements Rendezvous {

    private static final String ROOM_PREFIX = "rtc4j-transfer-";
    private static final int CLAIM_TRIES = 20;

    private final URI server;
    private final SecureRandom random = new SecureRandom();
    private static final long PING_MILLIS = 30_000;
    private SignalingClient client;
    private Thread keepAlive;
    private volatile Listener listener;

    /** @param server the signaling WebSocket, as {@code ws://localhost:8080/ws} */
    public SignalingRendezvous(URI server) {
        this.server = server;
    }

    /** The WebSocket URL of a demo server given as {@code http://host:port}, {@code ws://host:port/ws} or a host. */
    public static URI signalingUri(String server) {
        String s = server.strip();
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        URI u = URI.create(s);
        String scheme = switch (u.getScheme()) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("a server URL is http(s):// or ws(s)://: " + server);
        };
        String path = u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/") ? "/ws" : u.getPath();
        return URI.create(scheme + "://" + u.getRawAuthority() + path);
    }

    @Override
    public int claim(Listener l) throws TransferException {
        connect(l);
        for (int i = 0; i < CLAIM_TRIES; i++) {
            // Short numbers first, as magic-wormhole hands out the lowest free nameplate; wider after collisions.
            int nameplate = 1 + random.nextInt(i < 10 ? 99 : TransferCode.MAX_NAMEPLATE);
            SignalingEvent.Joined joined = joinRoom(nameplate);
            if (joined == null) {
                continue;
            }
            if (joined.peers().isEmpty()) {
                return nameplate;
            }
            leaveRoom();
        }
        throw new TransferException(TransferException.Reason.RENDEZVOUS, "no free code number on " + server);
    }

    @Override
    public void join(int nameplate, Listener l) throws TransferException {
        connect(l);
        SignalingEvent.Joined joined = joinRoom(nameplate);
        if (joined == null) {
            throw new TransferException(TransferException.Reason.NO_SENDER,
                    "someone else is using code number " + nameplate + " right now; try again in a moment");
        }
        if (joined.peers().isEmpty()) {
            throw new TransferException(TransferException.Reason.NO_SENDER,
                    "no sender waits with code number " + nameplate + " (has it exited? is the number right?)");
        }
    }

    @Override
    public void send(String text) {
        client.send("message", null, TextNode.valueOf(text));
    }

    /** The server closes a WebSocket idle for two minutes; a sender may wait an hour for its receiver. */
    private void ping() {
        try {
            while (!client.closed().isDone()) {
                Thread.sleep(PING_MILLIS);
                client.sendRaw("{\"type\":\"ping\"}");
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        if (keepAlive != null) {
            keepAlive.interrupt();
        }
        if (client != null) {
            client.close();
        }
    }

    private void connect(Listener l) throws TransferException {
        this.listener = l;
        try {
            client = SignalingClient.connect(server, this::onEvent).get(15, TimeUnit.SECONDS);
            keepAlive = Thread.ofVirtual().name("rendezvous-ping").start(this::ping);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransferException(TransferException.Reason.RENDEZVOUS, "cannot reach the server " + server
                    + ": " + (e.getCause() != null ? String.valueOf(e.getCause()) : "timed out"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferException(TransferException.Reason.RENDEZVOUS, "interrupted");
        }
    }

    /** Joins the nameplate's room; null when it is full. */
    private SignalingEvent.Joined joinRoom(int nameplate) throws TransferException {
        try {
            return client.join(ROOM_PREFIX + nameplate).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof SignalingException s && "room-full".equals(s.code())) {
                return null;
            }
            throw new TransferException(TransferException.Reason.RENDEZVOUS, "the server " + server
                    + " refused: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new TransferException(TransferException.Reason.RENDEZVOUS, "the server " + server
                    + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferException(TransferException.Reason.RENDEZVOUS, "interrupted");
        }
    }

    private void leaveRoom() {
        client.leave();
    }

    private void onEvent(SignalingEvent event) {
        Listener l = listener;
        switch (event) {
            case SignalingEvent.PeerJoined p -> l.peerArrived();
            case SignalingEvent.PeerLeft p -> l.peerLeft();
            case SignalingEvent.Closed c -> l.lost("the server closed the connection (" + c.code() + " "
                    + c.reason() + ")");
            case SignalingEvent.Relayed r when "message".equals(r.type()) && r.data().isTextual() ->
                    l.message(r.data().asText());
            default -> { }
        }
    }
}
