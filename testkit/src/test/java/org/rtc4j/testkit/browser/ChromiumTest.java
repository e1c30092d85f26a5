package org.rtc4j.testkit.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.LoopbackNamespace;

/** The browser harness against the real thing: headless Chromium in the loopback-only namespace. */
class ChromiumTest {

    @BeforeEach
    void loopbackOnly() {
        LoopbackNamespace.require();
    }

    @Test
    void twoPeerConnectionsOnOnePageOpenAChannelAndDecodeVideo() throws Exception {
        try (PageServer server = PageServer.start(); Chromium chromium = Chromium.launch()) {
            server.classpath("/two-peers.html", ChromiumTest.class, "two-peers.html");
            BrowserPage page = chromium.open(server.uri("/two-peers.html"));

            Map<String, Object> result = page.evaluateObject("twoPeers()", Duration.ofSeconds(40));

            assertThat(result.get("channelState")).isEqualTo("open");
            assertThat(result.get("received")).isEqualTo("hello from pc1");
            assertThat((Long) result.get("framesDecoded")).isPositive();
            assertThat(result.get("iceConnectionState")).isIn("connected", "completed");
            @SuppressWarnings("unchecked")
            Map<String, Object> pair = (Map<String, Object>) result.get("pair");
            assertThat((String) pair.get("local")).startsWith("127.0.0.1:");
            // The page reported the same over HTTP.
            Map<String, Object> report = Json.parseObject(server.awaitReport("two-peers", Duration.ofSeconds(5)));
            assertThat(report).isEqualTo(result);
            System.out.println("two peers in Chromium: " + result);
        }
    }

    @Test
    void twoBrowsersInTheirOwnProcessesConnectToEachOther() throws Exception {
        try (PageServer server = PageServer.start();
                Chromium alice = Chromium.launch();
                Chromium bob = Chromium.launch()) {
            server.classpath("/peer.html", ChromiumTest.class, "one-peer.html");
            assertThat(alice.pid()).isNotEqualTo(bob.pid());
            assertThat(alice.profile()).isNotEqualTo(bob.profile());
            BrowserPage a = alice.open(server.uri("/peer.html"));
            BrowserPage b = bob.open(server.uri("/peer.html"));

            String offer = (String) a.evaluate("offer()");
            assertThat(offer).contains("a=candidate:").contains("127.0.0.1");
            String answer = (String) b.evaluate("answer(" + Json.quote(offer) + ")");
            a.evaluate("accept(" + Json.quote(answer) + ")");

            assertThat(a.evaluate("ping('across processes')")).isEqualTo("echo: across processes");
        }
    }

    @Test
    void closingEndsTheWholeProcessTreeAndDeletesTheProfile() throws Exception {
        Chromium chromium = Chromium.launch();
        List<ProcessHandle> tree;
        Path profile = chromium.profile();
        try (PageServer server = PageServer.start()) {
            server.page("/p.html", "<!doctype html><title>p</title><script>console.log('ready', 42)</script>");
            BrowserPage page = chromium.open(server.uri("/p.html"));
            assertThat(page.evaluate("1 + 2")).isEqualTo(3L);
            assertThat(page.evaluate("Promise.resolve({a: [1, 'x', true, null]})"))
                    .isEqualTo(Map.of("a", java.util.Arrays.asList(1L, "x", true, null)));
            assertThat(page.console()).contains("log: ready 42");
            assertThatThrownBy(() -> page.evaluate("Promise.reject(new Error('on purpose'))"))
                    .isInstanceOf(BrowserException.class)
                    .hasMessageContaining("on purpose");
            tree = chromium.processTree();
            assertThat(tree.size()).isGreaterThan(2); // timeout, the browser, renderer, zygotes, utilities
            assertThat(tree).allMatch(Chromium::isRunning);
            assertThat(Files.isDirectory(profile)).isTrue();
        } finally {
            chromium.close();
        }
        assertThat(tree).noneMatch(Chromium::isRunning);
        assertThat(profile).doesNotExist();
        assertThat(chromium.isAlive()).isFalse();
        assertThatThrownBy(() -> chromium.open(java.net.URI.create("http://127.0.0.1:1/")))
                .isInstanceOf(IllegalStateException.class);
    }
}
