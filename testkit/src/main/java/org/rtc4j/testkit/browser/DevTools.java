package org.rtc4j.testkit.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection to Chromium's DevTools protocol over the JDK's WebSocket client: commands with ids and their
 * results, and events. Pages are addressed by session id (flattened sessions), so one connection serves
 * the browser and all its pages.
 */
final class DevTools implements AutoCloseable {

    /** An event: its method, its session (null for the browser) and its parameters. */
    record Event(String method, String sessionId, Map<String, Object> params) {
    }

    private final HttpClient client;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private volatile String closedBecause;

    private DevTools(HttpClient client, URI uri, Duration timeout) throws InterruptedException {
        this.client = client;
        try {
            this.socket = client.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, new Listener())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            throw new BrowserException("cannot connect to DevTools at " + uri + ": " + e, e);
        }
    }

    static DevTools connect(URI uri, Duration timeout) throws InterruptedException {
        return new DevTools(HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build(), uri, timeout);
    }

    void onEvent(java.util.function.Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** Sends a command and waits for its result. */
    Map<String, Object> call(String sessionId, String method, Map<String, Object> params, Duration timeout) {
        CompletableFuture<Map<String, Object>> result = send(sessionId, method, params);
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BrowserException(method + " did not answer within " + timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BrowserException b ? b : new BrowserException(method + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrowserException("interrupted waiting for " + method, e);
        }
    }

    CompletableFuture<Map<String, Object>> send(String sessionId, String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        String because = closedBecause;
        if (because != null) {
            result.completeExceptionally(new BrowserException("DevTools connection closed: " + because));
            return result;
        }
        pending.put(id, result);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        message.put("method", method);
        message.put("params", params == null ? Map.of() : params);
        String text = Json.write(message);
        synchronized (this) {
            // One outstanding send at a time, as java.net.http.WebSocket requires.
            try {
                socket.sendText(text, true).join();
            } catch (RuntimeException e) {
                pending.remove(id);
                result.completeExceptionally(new BrowserException("cannot send " + method + ": " + e, e));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private void dispatch(String text) {
        Map<String, Object> message;
        try {
            message = Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        Object id = message.get("id");
        if (id instanceof Long n) {
            CompletableFuture<Map<String, Object>> result = pending.remove(n);
            if (result == null) {
                return;
            }
            if (message.get("error") instanceof Map<?, ?> error) {
                result.completeExceptionally(new BrowserException("DevTools error " + error.get("code") + ": "
                        + error.get("message") + (error.get("data") == null ? "" : " (" + error.get("data") + ")")));
            } else {
                Object r = message.get("result");
                result.complete(r instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of());
            }
            return;
        }
        if (message.get("method") instanceof String method) {
            Object params = message.get("params");
            Event event = new Event(method, (String) message.get("sessionId"),
                    params instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of());
            for (var listener : listeners) {
                listener.accept(event);
            }
        }
    }

    private void closed(String because) {
        closedBecause = because;
        for (var entry : pending.entrySet()) {
            entry.getValue().completeExceptionally(new BrowserException("DevTools connection closed: " + because));
        }
        pending.clear();
    }

    @Override
    public void close() {
        if (closedBecause == null) {
            closed("closed by the test");
        }
        socket.abort();
        client.close();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                dispatch(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed("the browser closed it (" + statusCode + " " + reason + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed("error: " + error);
        }
    }
}
