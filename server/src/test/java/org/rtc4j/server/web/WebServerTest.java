package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.signaling.SignalingSettings;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.signaling.SignalingEvent;
import org.rtc4j.signaling.SignalingException;

/** The web server over real sockets, with the Java signaling client. */
class WebServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    WebServer server;
    /** Where the second and third clients of the call connect: {@link #server}, or another sharing its rooms. */
    WebServer server2;

    static WebServerConfig config() {
        byte[] secret = "s3cret".getBytes();
        return WebServerConfig.loopback()
                .withSignaling(SignalingSettings.defaults().withMaxMessageBytes(4096))
                .withIceServers(new IceServerSettings(null, 3478, 3479, secret, Duration.ofHours(2)));
    }

    @BeforeEach
    void start() throws Exception {
        server = WebServer.start(config());
        server2 = server;
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    private URI ws2() {
        return URI.create("ws://127.0.0.1:" + server2.port() + "/ws");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoClientsMeetRelayAndSeeEachOtherLeave() throws Exception {
        Inbox ia = new Inbox();
        Inbox ib = new Inbox();
        SignalingClient a = SignalingClient.connect(ws(), ia).join();
        SignalingClient b = SignalingClient.connect(ws2(), ib).join();
        SignalingEvent.Joined ja = a.join("call").join();
        assertThat(ja.peers()).isEmpty();
        SignalingEvent.Joined jb = b.join("call").join();
        assertThat(jb.peers()).containsExactly(a.id());
        assertThat(ia.next(SignalingEvent.Joined.class).id()).isEqualTo(a.id());
        assertThat(ia.next(SignalingEvent.PeerJoined.class).id()).isEqualTo(b.id());
        ib.next(SignalingEvent.Joined.class);

        JsonNode sdp = JSON.readTree("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}");
        b.send("offer", a.id(), sdp);
        SignalingEvent.Relayed offer = ia.next(SignalingEvent.Relayed.class);
        assertThat(offer.type()).isEqualTo("offer");
        assertThat(offer.from()).isEqualTo(b.id());
        assertThat(offer.data()).isEqualTo(sdp);

        // A third client is told the room is full, and nobody in the room hears of it.
        Inbox ic = new Inbox();
        SignalingClient c = SignalingClient.connect(ws2(), ic).join();
        assertThatThrownBy(() -> c.join("call").join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(SignalingException.class)
                .extracting(e -> ((SignalingException) e).code()).isEqualTo("room-full");

        b.close();
        assertThat(ia.next(SignalingEvent.PeerLeft.class).id()).isEqualTo(b.id());
        assertThat(c.join("call").join().peers()).containsExactly(a.id());
        assertThat(ia.next(SignalingEvent.PeerJoined.class).id()).isEqualTo(c.id());
        assertThat(server.hub().clientCount() + (server2 == server ? 0 : server2.hub().clientCount())).isEqualTo(2);
        a.close();
        assertThat(ia.next(SignalingEvent.Closed.class).code()).isEqualTo(1000);
        c.close();
        assertThat(ia.isEmpty()).isTrue();
    }

    @Test
    void badInputGetsErrorsAndHugeFramesCloseTheConnection() throws Exception {
        Inbox ia = new Inbox();
        SignalingClient a = SignalingClient.connect(ws(), ia).join();
        a.sendRaw("{nope");
        assertThat(ia.next(SignalingEvent.Error.class).code()).isEqualTo("bad-json");
        a.sendRaw("{\"type\":\"message\",\"data\":\"" + "x".repeat(5000) + "\"}");
        assertThat(ia.next(SignalingEvent.Error.class).code()).isEqualTo("too-large");
        a.send("offer", "someone", null);
        assertThat(ia.next(SignalingEvent.Error.class).code()).isEqualTo("not-in-room");
        // Past four times the message limit Jetty refuses the frame itself: close code 1009 (RFC 6455 7.4.1).
        a.sendRaw("{\"type\":\"message\",\"data\":\"" + "x".repeat(20_000) + "\"}");
        assertThat(ia.next(SignalingEvent.Closed.class).code()).isEqualTo(1009);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void webSocketsFromPagesOfOtherOriginsAreRefused() throws Exception {
        String own = "http://127.0.0.1:" + server.port();
        WebSocket same = http.newWebSocketBuilder().header("Origin", own).buildAsync(ws(), new WebSocket.Listener() {
        }).join();
        same.abort();
        for (String origin : new String[] {"http://evil.example", "http://127.0.0.1:1", "null"}) {
            assertThat(handshakeStatus(ws(), origin)).as(origin).isEqualTo(403);
        }
        assertThat(get("/metrics").body()).contains("rtc4j_signaling_rejected_origins_total 3.0");

        try (WebServer open = WebServer.start(WebServerConfig.loopback()
                .withOrigins(OriginPolicy.allowing(java.util.List.of("http://evil.example"))))) {
            URI uri = URI.create("ws://127.0.0.1:" + open.port() + "/ws");
            http.newWebSocketBuilder().header("Origin", "http://evil.example").buildAsync(uri, new WebSocket.Listener() {
            }).join().abort();
            assertThat(handshakeStatus(uri, "http://other.example")).isEqualTo(403);
        }
    }

    /** The HTTP status that refused a WebSocket handshake with this Origin. */
    private int handshakeStatus(URI uri, String origin) {
        try {
            http.newWebSocketBuilder().header("Origin", origin).buildAsync(uri, new WebSocket.Listener() {
            }).join().abort();
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
        throw new AssertionError("the handshake from " + origin + " succeeded");
    }

    @Test
    void binaryMessagesGetAnError() throws Exception {
        var texts = new LinkedBlockingQueue<String>();
        WebSocket raw = http.newWebSocketBuilder().buildAsync(ws(), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                texts.add(data.toString());
                w.request(1);
                return null;
            }
        }).join();
        raw.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertThat(texts.poll(10, TimeUnit.SECONDS)).contains("\"code\":\"bad-message\"");
        raw.abort();
    }

    @Test
    void httpEndpoints() throws Exception {
        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("ok");

        HttpResponse<String> landing = get("/");
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(landing.body()).contains("/js/landing.js");
        assertThat(get("/r/some-room").body()).contains("/js/room.js");
        assertThat(get("/js/peer.js").body()).contains("RTCPeerConnection");
        assertThat(get("/room.html").statusCode()).isEqualTo(404);
        assertThat(get("/r/").statusCode()).isEqualTo(404);
        assertThat(get("/r/a/b").statusCode()).isEqualTo(404);
        assertThat(get("/../pom.xml").statusCode()).isIn(400, 404);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        // The operator page and its data exist only once enabled with a token (the demo does; see LivePlotsBrowserTest).
        assertThat(get("/internals").statusCode()).isEqualTo(404);
        assertThat(get("/internals.html").statusCode()).isEqualTo(404);
        assertThat(get("/api/internals").statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> server.enableInternals("short")).isInstanceOf(IllegalArgumentException.class);
        server.enableInternals("a-token-of-some-length");
        assertThat(get("/internals").body()).contains("/js/internals.js");
        assertThat(get("/internals.html").statusCode()).isEqualTo(404);
        assertThat(get("/api/internals").statusCode()).isEqualTo(401);
        assertThat(get("/vendor/uplot/uPlot.min.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        var post = http.send(HttpRequest.newBuilder(server.url().resolve("/healthz"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);

        SignalingClient a = SignalingClient.connect(ws(), e -> { }).join();
        a.join("metered").join();
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("rtc4j_signaling_rooms 1.0", "rtc4j_signaling_clients 1.0",
                "rtc4j_signaling_joins_total 1.0", "rtc4j_signaling_errors_total{code=\"room-full\"} 0.0");
        a.close();
    }

    @Test
    void iceServersCarryTimeLimitedTurnCredentials() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        JsonNode body = JSON.readTree(get("/api/ice-servers").body());
        assertThat(body.get("ttl").asLong()).isEqualTo(7200);
        JsonNode servers = body.get("iceServers");
        assertThat(servers.get(0).get("urls").get(0).asText()).isEqualTo("stun:127.0.0.1:3478");
        JsonNode turn = servers.get(1);
        assertThat(turn.get("urls").get(0).asText()).isEqualTo("turn:127.0.0.1:3479?transport=udp");
        assertThat(turn.get("urls").get(1).asText()).isEqualTo("turn:127.0.0.1:3479?transport=tcp");
        String username = turn.get("username").asText();
        assertThat(TurnCredentials.expiry(username)).isBetween(before + 7200, before + 7201 + 60);
        assertThat(turn.get("credential").asText()).isEqualTo(TurnCredentials.password("s3cret".getBytes(), username));
        // Each request gets its own username.
        JsonNode again = JSON.readTree(get("/api/ice-servers").body());
        assertThat(again.get("iceServers").get(1).get("username").asText()).isNotEqualTo(username);
    }
}
