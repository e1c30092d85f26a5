package org.rtc4j.testkit.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
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

    @Test
    void screenshotsWaitsAndSeveralTabs() throws Exception {
        try (PageServer server = PageServer.start(); Chromium chromium = Chromium.launch()) {
            // A red page that turns green a little after loading, with a counter that ticks in any tab.
            server.page("/colour.html", """
                    <!doctype html><title>c</title><style>html,body{margin:0;height:100%;background:#f00}</style>
                    <script>let ticks = 0; setInterval(() => ticks++, 50);
                    setTimeout(() => document.body.style.background = '#0f0', 300);</script>""");
            BrowserPage first = chromium.open(server.uri("/colour.html"));
            first.waitFor("green", "getComputedStyle(document.body).backgroundColor", "rgb(0, 255, 0)"::equals,
                    Duration.ofSeconds(30));
            byte[] png = first.screenshot(Duration.ofSeconds(30));
            // A PNG (signature, then the IHDR chunk with width and height) of the whole viewport, 1280 wide.
            assertThat(java.util.Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');
            assertThat(ByteBuffer.wrap(png).getInt(16)).isEqualTo(1280)
                    .isEqualTo(((Number) first.evaluate("innerWidth * devicePixelRatio")).intValue());
            assertThat(ByteBuffer.wrap(png).getInt(20))
                    .isEqualTo(((Number) first.evaluate("innerHeight * devicePixelRatio")).intValue());

            // A second tab of the same browser: both run, and the first keeps its timers going.
            BrowserPage second = chromium.open(server.uri("/colour.html"));
            assertThat(second.targetId()).isNotEqualTo(first.targetId());
            long ticks = (Long) first.evaluate("ticks");
            first.waitFor("ticks in the first tab", "ticks", v -> (Long) v > ticks + 5, Duration.ofSeconds(30));
            assertThat(second.evaluate("document.hasFocus() || document.visibilityState")).isNotNull();

            assertThatThrownBy(() -> second.waitFor("never", "1", v -> false, Duration.ofMillis(500)))
                    .isInstanceOf(BrowserException.class)
                    .hasMessageContaining("never").hasMessageContaining("last value 1");
            // User activation, as getDisplayMedia needs.
            assertThat(second.evaluate("navigator.userActivation.isActive")).isEqualTo(true);
        }
    }

    @Test
    void aBrowserWithoutFakeDevicesHasNoCamera() throws Exception {
        assertThatThrownBy(() -> Chromium.launch(List.of("--not-a-default")))
                .isInstanceOf(IllegalArgumentException.class);
        try (PageServer server = PageServer.start();
                Chromium chromium = Chromium.launch(List.of(Chromium.FAKE_MEDIA_DEVICES))) {
            server.page("/p.html", "<!doctype html><title>p</title>");
            BrowserPage page = chromium.open(server.uri("/p.html"));
            assertThat(page.evaluate("navigator.mediaDevices.getUserMedia({video: true}).then(() => 'camera',"
                    + " e => e.name)")).isEqualTo("NotFoundError");
        }
    }
}
