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
 * A data channel with a browser: prints a page URL; the page makes an offer and POSTs it to {@code /offer},
 * the Java peer answers in the response, and the two chat (the Java side greets, and answers each message).
 * Run it: {@code java org.rtc4j.examples.BrowserChat [port]} and open the URL it prints.
 */
public final class BrowserChat implements AutoCloseable {

    private final HttpServer http;
    private final List<RTCPeerConnection> connections = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    private BrowserChat(HttpServer http) {
        this.http = http;
    }

    public static void main(String[] args) throws Exception {
        BrowserChat chat = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("open " + chat.url() + " in a browser (Ctrl-C to stop)");
        Thread.currentThread().join();
    }

    /** Serves the page and the signaling endpoint on 127.0.0.1:{@code port} (0: any free port). */
    public static BrowserChat start(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        BrowserChat chat = new BrowserChat(http);
        http.createContext("/", chat::page);
        http.createContext("/offer", chat::offer);
        http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        return chat;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    /** The messages the Java side received from browsers. */
    public List<String> received() {
        return received;
    }

    private void page(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = BrowserChat.class.getResourceAsStream("chat.html")) {
            body = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    /** The signaling endpoint: an offer in the request body, the answer (all candidates in it) in the response. */
    private void offer(HttpExchange ex) throws IOException {
        try {
            String offer = new String(ex.getRequestBody().readNBytes(1 << 16), StandardCharsets.UTF_8);
            RTCPeerConnection pc = new RTCPeerConnection(RTCConfiguration.defaults(),
                    RTCSettings.defaults().withLoopbackCandidates(true));
            connections.add(pc);
            pc.onDataChannel(ch -> {
                ch.onOpen(() -> ch.send("hello from Java"));
                ch.onMessage(m -> {
                    received.add(m.text());
                    ch.send("Java got: " + m.text());
                });
            });
            CompletableFuture<Void> gathered = new CompletableFuture<>();
            pc.onIceGatheringStateChange(s -> {
                if (s == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            });
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
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
