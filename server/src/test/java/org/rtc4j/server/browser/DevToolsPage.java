package org.rtc4j.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** One page's DevTools session: evaluate JavaScript, take screenshots. */
final class DevToolsPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a failure message shows of the app's state. */
    private static final String DIAGNOSTICS = """
            (async () => {
              const app = window.rtc4j;
              if (!app) return 'no app';
              const out = { status: app.status, peers: [] };
              for (const p of app.peers.values()) {
                const candidates = [];
                (await p.pc.getStats()).forEach(s => {
                  if (s.type.endsWith('candidate')) candidates.push(s.type + ' ' + s.address + ':' + s.port + ' ' + s.protocol);
                  if (s.type === 'candidate-pair') candidates.push('pair ' + s.state + ' nominated=' + s.nominated);
                });
                out.peers.push({ polite: p.polite, signaling: p.pc.signalingState, ice: p.pc.iceConnectionState,
                  gathering: p.pc.iceGatheringState, connection: p.pc.connectionState, candidates,
                  local: p.pc.localDescription && p.pc.localDescription.sdp.length,
                  remote: p.pc.remoteDescription && p.pc.remoteDescription.sdp.length });
              }
              return JSON.stringify(out);
            })()""";

    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket ws;

    static DevToolsPage connect(HttpClient http, URI uri) {
        DevToolsPage page = new DevToolsPage();
        page.ws = http.newWebSocketBuilder().buildAsync(uri, page.new Reader()).join();
        return page;
    }

    /** Sends one command and waits for its result. */
    synchronized JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ws.sendText(msg.toString(), true).join();
        JsonNode r = reply.get(30, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + " failed: " + r.get("error"));
        }
        return r.get("result");
    }

    /** Evaluates an expression (awaiting a promise) and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode()
                .put("expression", expression).put("awaitPromise", true).put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page threw: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Evaluates {@code expression} every 200 ms until {@code done} accepts its value, at most {@code seconds}. */
    /** Evaluates an expression as if the person had just clicked (user activation, as getDisplayMedia needs). */
    JsonNode evalWithGesture(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true).put("userGesture", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page threw: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** The app's state, for failure messages. */
    String diagnostics() {
        try {
            return eval(DIAGNOSTICS).asText();
        } catch (Exception e) {
            return "unavailable: " + e;
        }
    }

    JsonNode waitFor(String what, String expression, Predicate<JsonNode> done, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = eval(expression);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; last value " + last + "; page: " + diagnostics());
    }

    /** A PNG of the page as it is shown now. */
    byte[] screenshot() throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(r.get("data").asText());
    }

    void close() {
        ws.abort();
    }

    private final class Reader implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                } catch (Exception e) {
                    // not for us
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
