package org.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.rtc4j.signaling.internal.PlainHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the rtc4j signaling server on the JDK's WebSocket client. Events reach the listener one at a
 * time on the WebSocket's thread, in the order the server sent them; the listener must not block.
 *
 * <pre>{@code
 * var client = SignalingClient.connect(URI.create("ws://localhost:8080/ws"), event -> {
 *     if (event instanceof SignalingEvent.Relayed r && r.type().equals("offer")) { ... }
 * }).join();
 * var joined = client.join("my-room").join();     // fails with SignalingException "room-full", ...
 * client.send("message", null, someJson);          // to everyone else in the room
 * }</pre>
 */
public final class SignalingClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<SignalingEvent> listener;
    private final CompletableFuture<SignalingEvent.Closed> closed = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private WebSocket ws;
    /** Sends are chained: the JDK's WebSocket allows one outstanding send at a time. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private CompletableFuture<SignalingEvent.Joined> pendingJoin;
    private volatile String id;
    private volatile String room;

    private SignalingClient(Consumer<SignalingEvent> listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /** Connects with a shared HTTP client; for a {@code ws:} URI one that never starts the JDK's TLS. */
    public static CompletableFuture<SignalingClient> connect(URI uri, Consumer<SignalingEvent> listener) {
        return connect(PlainHttp.clientFor(uri), uri, listener);
    }

    /** Connects with the given HTTP client (its executor runs the listener). */
    public static CompletableFuture<SignalingClient> connect(HttpClient http, URI uri, Consumer<SignalingEvent> listener) {
        SignalingClient client = new SignalingClient(listener);
        return http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, client.new Reader())
                .thenApply(socket -> {
                    client.ws = socket;
                    return client;
                });
    }

    /**
     * Joins a room. Completes with the server's answer, or fails with a {@link SignalingException} (codes
     * {@code room-full}, {@code bad-room}, {@code too-many-rooms}, {@code already-joined}, ...).
     */
    public CompletableFuture<SignalingEvent.Joined> join(String roomName) {
        CompletableFuture<SignalingEvent.Joined> f = new CompletableFuture<>();
        synchronized (this) {
            if (pendingJoin != null && !pendingJoin.isDone()) {
                return CompletableFuture.failedFuture(new IllegalStateException("a join is already under way"));
            }
            pendingJoin = f;
        }
        ObjectNode msg = JSON.createObjectNode().put("type", "join").put("room", roomName);
        sendRaw(msg.toString());
        return f;
    }

    /** Leaves the room; the peers get {@code peer-left}, this client a {@link SignalingEvent.Left}. */
    public void leave() {
        sendRaw("{\"type\":\"leave\"}");
    }

    /**
     * Relays a message to one peer of the room ({@code to} its id) or to every other member ({@code to} null).
     *
     * @param type {@code offer}, {@code answer}, {@code candidate} or {@code message}
     */
    public CompletableFuture<Void> send(String type, String to, JsonNode data) {
        ObjectNode msg = JSON.createObjectNode().put("type", type);
        if (to != null) {
            msg.put("to", to);
        }
        msg.set("data", data == null ? NullNode.getInstance() : data);
        return sendRaw(msg.toString());
    }

    /** Sends text as it is: for tests and for clients that build their own JSON. */
    public CompletableFuture<Void> sendRaw(String text) {
        synchronized (sendLock) {
            CompletableFuture<Void> next = lastSend.handle((x, e) -> null)
                    .thenCompose(x -> ws.sendText(text, true))
                    .thenApply(x -> null);
            lastSend = next;
            return next;
        }
    }

    /** The id the server gave this client in its last join, or null. */
    public String id() {
        return id;
    }

    /** The room this client joined last, or null. */
    public String room() {
        return room;
    }

    /** Completes when the connection has closed. */
    public CompletableFuture<SignalingEvent.Closed> closed() {
        return closed;
    }

    /** Closes the connection normally (the server takes the client out of its room). */
    @Override
    public void close() {
        synchronized (sendLock) {
            lastSend = lastSend.handle((x, e) -> null)
                    .thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        }
    }

    /** Drops the connection without a close handshake. */
    public void abort() {
        ws.abort();
        deliver(new SignalingEvent.Closed(1006, "aborted"));
    }

    private void onMessage(String text) {
        SignalingEvent event = parse(text);
        if (event != null) {
            deliver(event);
        }
    }

    /** The event a server message stands for, or null for what this client ignores (pong, newer types, junk). */
    static SignalingEvent parse(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (Exception e) {
            LOG.warn("signaling server sent something that is not JSON; ignored");
            return null;
        }
        if (msg == null || !msg.isObject()) {
            return null;
        }
        return switch (msg.path("type").asText()) {
            case "joined" -> {
                List<String> peers = new ArrayList<>();
                msg.path("peers").forEach(p -> peers.add(p.asText()));
                yield new SignalingEvent.Joined(msg.path("room").asText(), msg.path("id").asText(), List.copyOf(peers),
                        msg.path("capacity").asInt());
            }
            case "peer-joined" -> new SignalingEvent.PeerJoined(msg.path("room").asText(), msg.path("id").asText());
            case "peer-left" -> new SignalingEvent.PeerLeft(msg.path("room").asText(), msg.path("id").asText());
            case "left" -> new SignalingEvent.Left(msg.path("room").asText());
            case "offer", "answer", "candidate", "message" -> new SignalingEvent.Relayed(msg.get("type").asText(),
                    msg.path("from").asText(), msg.has("data") ? msg.get("data") : NullNode.getInstance());
            case "error" -> new SignalingEvent.Error(msg.path("code").asText(), msg.path("message").asText(),
                    msg.hasNonNull("request") ? msg.get("request").asText() : null);
            default -> null; // pong and anything newer than this client
        };
    }

    private void deliver(SignalingEvent event) {
        CompletableFuture<SignalingEvent.Joined> join;
        synchronized (this) {
            join = pendingJoin;
        }
        switch (event) {
            case SignalingEvent.Joined j -> {
                id = j.id();
                room = j.room();
                if (join != null) {
                    join.complete(j);
                }
            }
            case SignalingEvent.Left l -> room = null;
            case SignalingEvent.Error e when "join".equals(e.request()) && join != null ->
                    join.completeExceptionally(new SignalingException(e.code(), e.message()));
            case SignalingEvent.Closed c -> {
                if (join != null) {
                    join.completeExceptionally(new SignalingException("closed", "connection closed: " + c.reason()));
                }
                if (!closed.complete(c)) {
                    return;
                }
            }
            default -> { }
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("signaling listener threw on {}", event.getClass().getSimpleName(), e);
        }
    }

    /** The JDK WebSocket's callbacks: whole text messages are assembled from parts. */
    private final class Reader implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            if (last && partial.isEmpty()) {
                onMessage(data.toString());
            } else {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    onMessage(text);
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            deliver(new SignalingEvent.Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            deliver(new SignalingEvent.Closed(1006, String.valueOf(error.getMessage())));
        }
    }
}
