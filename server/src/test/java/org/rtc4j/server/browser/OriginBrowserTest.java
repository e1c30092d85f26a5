package org.rtc4j.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.web.OriginPolicy;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.PageServer;

/**
 * A page of another site (the test's own page server, another port) tries to open the signaling WebSocket
 * in a real browser, which sets the Origin header itself: refused by default, allowed once listed with
 * {@code --allowed-origin}. The app's own pages are allowed (the video-chat tests).
 */
class OriginBrowserTest {
    private static final String TRY_SOCKET = """
            new Promise(resolve => {
              const ws = new WebSocket(%s);
              ws.onopen = () => { ws.close(); resolve('open'); };
              ws.onerror = () => resolve('refused');
            })""";

    @Test
    void aPageOfAnotherSiteCannotOpenTheSignalingSocketUnlessAllowed() throws Exception {
        LoopbackNamespace.require();
        try (PageServer other = PageServer.start(); Chromium browser = Chromium.launch()) {
            other.page("/hostile.html", "<!doctype html><title>another site</title>");
            String otherOrigin = "http://127.0.0.1:" + other.port();
            try (WebServer strict = WebServer.start(WebServerConfig.loopback());
                    WebServer open = WebServer.start(WebServerConfig.loopback()
                            .withOrigins(OriginPolicy.allowing(List.of(otherOrigin))))) {
                BrowserPage page = browser.open(other.uri("/hostile.html"), RoomPage.DEADLINE);
                assertThat(page.evaluate(TRY_SOCKET.formatted(wsUrl(strict)), RoomPage.DEADLINE)).isEqualTo("refused");
                assertThat(page.evaluate(TRY_SOCKET.formatted(wsUrl(open)), RoomPage.DEADLINE)).isEqualTo("open");
                assertThat(strict.hub().clientCount()).isZero();

                // The server's own page may (same origin).
                BrowserPage own = browser.open(URI.create("http://127.0.0.1:" + strict.port() + "/"), RoomPage.DEADLINE);
                assertThat(own.evaluate(TRY_SOCKET.formatted(wsUrl(strict)), RoomPage.DEADLINE)).isEqualTo("open");
            }
        }
    }

    private static String wsUrl(WebServer server) {
        return "'ws://127.0.0.1:" + server.port() + "/ws'";
    }
}
