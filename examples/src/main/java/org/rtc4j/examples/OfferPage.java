package org.rtc4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceGatheringState;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCSessionDescription;
import org.rtc4j.RTCSettings;

/**
 * What the browser examples share: a page on 127.0.0.1 (a resource beside this class: chat.html, or
 * media.html, whose browser sends its camera, receives video, or both) that signals by one POST of its offer to
 * {@code /offer}; the example's {@link Answerer} decides what the Java side does with the connection before the
 * answer (all candidates in it) goes back.
 */
final class OfferPage implements AutoCloseable {

    /** What an example does with a browser's connection, between the offer and the answer. */
    interface Answerer {
        /**
         * Called with the browser's offer set: its transceivers exist, with their receivers' tracks.
         *
         * @param query the page's query string ({@code mode=send&role=publish}), or null
         */
        void answer(RTCPeerConnection pc, String query) throws Exception;
    }

    private final HttpServer http;
    private final String resource;
    private final Answerer answerer;
    private final List<RTCPeerConnection> connections = new CopyOnWriteArrayList<>();

    private OfferPage(HttpServer http, String resource, Answerer answerer) {
        this.http = http;
        this.resource = resource;
        this.answerer = answerer;
    }

    /** Serves the page {@code resource} on 127.0.0.1:{@code port} (0: any free port). */
    static OfferPage start(int port, String resource, Answerer answerer) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        OfferPage page = new OfferPage(http, resource, answerer);
        http.createContext("/", page::page);
        http.createContext("/offer", page::offer);
        http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        return page;
    }

    /** The page's URL with its query ({@code mode=send}, ...), or none for null. */
    URI url(String query) {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/" + (query == null ? "" : "?" + query));
    }

    private void page(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = OfferPage.class.getResourceAsStream(resource)) {
            body = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private void offer(HttpExchange ex) throws IOException {
        try {
            String offer = new String(ex.getRequestBody().readNBytes(1 << 16), StandardCharsets.UTF_8);
            RTCPeerConnection pc = new RTCPeerConnection(RTCConfiguration.defaults(),
                    RTCSettings.defaults().withLoopbackCandidates(true));
            connections.add(pc);
            CompletableFuture<Void> gathered = new CompletableFuture<>();
            pc.onIceGatheringStateChange(s -> {
                if (s == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            });
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
            answerer.answer(pc, ex.getRequestURI().getQuery());
            pc.setLocalDescription().join();
            gathered.get(10, TimeUnit.SECONDS);
            byte[] answer = pc.localDescription().sdp().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/sdp");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
        } catch (Exception e) {
            byte[] msg = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(400, msg.length);
            ex.getResponseBody().write(msg);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        connections.forEach(RTCPeerConnection::close);
    }
}
