package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: a page at {@code http://rebind.evil:8080} whose name now resolves to our address sends
 * requests with its own name in Host (and, for WebSockets, as Origin). None of them may reach the TURN
 * credentials or a room.
 */
class DnsRebindingTest {

    /** One raw HTTP/1.1 request; returns the status line. */
    private static String request(int port, String path, String host, String... headers) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                line.append((char) b);
            }
            return line.toString().strip();
        }
    }

    private static WebServer start(HostPolicy hosts) throws IOException {
        return WebServer.start(WebServerConfig.loopback()
                .withIceServers(new IceServerSettings(null, 3478, 3478, "k".getBytes(), Duration.ofHours(1)))
                .withHosts(hosts));
    }

    @Test
    void aRebindingNameGetsNoCredentialsAndNoWebSocket() throws Exception {
        try (WebServer web = start(HostPolicy.loopbackAndAddresses())) {
            int port = web.port();
            assertThat(request(port, "/api/ice-servers", "rebind.evil:" + port)).startsWith("HTTP/1.1 421");
            assertThat(request(port, "/", "rebind.evil:" + port)).startsWith("HTTP/1.1 421");
            assertThat(request(port, "/ws", "rebind.evil:" + port, "Origin: http://rebind.evil:" + port,
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")).startsWith("HTTP/1.1 421");
            assertThat(web.metrics().get("rtc4j.http.rejected.hosts").counter().count()).isEqualTo(3);
            assertThat(web.hub().clientCount()).isZero();
        }
    }

    @Test
    void theServersOwnNamesAreServed() throws Exception {
        try (WebServer web = start(HostPolicy.allowing(List.of("chat.example.org")))) {
            int port = web.port();
            for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port,
                    "app.localhost:" + port, "chat.example.org:" + port, "Chat.Example.Org.")) {
                assertThat(request(port, "/api/ice-servers", host)).as(host).startsWith("HTTP/1.1 200");
            }
            assertThat(request(port, "/ws", "127.0.0.1:" + port, "Origin: http://127.0.0.1:" + port,
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")).startsWith("HTTP/1.1 101");
            assertThat(request(port, "/", "other.example.org")).startsWith("HTTP/1.1 421");
        }
        try (WebServer web = start(HostPolicy.allowing(List.of("*")))) {
            assertThat(request(web.port(), "/", "anything.example")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void hostNamesAreCheckedWhenConfigured() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostPolicy.allowing(List.of("http://x.org")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without scheme or port");
        assertThat(HostPolicy.loopbackAndAddresses().with("turn.example.net").allows("TURN.example.net")).isTrue();
        assertThat(HostPolicy.loopbackAndAddresses().allows("256.1.1.1")).isFalse();
        assertThat(HostPolicy.loopbackAndAddresses().allows(null)).isFalse();
    }
}
