package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: a page at {@code http://rebind.evil:8080} whose name now resolves to our address sends
 * requests with its own name in Host (and, for WebSockets, as Origin). None of them may reach the TURN
 * credentials or a room.
 */
class DnsRebindingTest {

    private static WebServer start(HostPolicy hosts) throws IOException {
        return WebServer.start(WebServerConfig.loopback()
                .withIceServers(new IceServerSettings(null, 3478, 3478, "k".getBytes(), Duration.ofHours(1)))
                .withHosts(hosts));
    }

    @Test
    void aRebindingNameGetsNoCredentialsAndNoWebSocket() throws Exception {
        try (WebServer web = start(HostPolicy.loopbackAndAddresses())) {
            int port = web.port();
            assertThat(RawHttp.get(port, "/api/ice-servers", "rebind.evil:" + port)).startsWith("HTTP/1.1 421");
            assertThat(RawHttp.get(port, "/", "rebind.evil:" + port)).startsWith("HTTP/1.1 421");
            assertThat(RawHttp.get(port, "/ws", "rebind.evil:" + port, "Origin: http://rebind.evil:" + port,
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
                assertThat(RawHttp.get(port, "/api/ice-servers", host)).as(host).startsWith("HTTP/1.1 200");
            }
            assertThat(RawHttp.get(port, "/ws", "127.0.0.1:" + port, "Origin: http://127.0.0.1:" + port,
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")).startsWith("HTTP/1.1 101");
            assertThat(RawHttp.get(port, "/", "other.example.org")).startsWith("HTTP/1.1 421");
        }
        try (WebServer web = start(HostPolicy.allowing(List.of("*")))) {
            assertThat(RawHttp.get(web.port(), "/", "anything.example")).startsWith("HTTP/1.1 200");
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
