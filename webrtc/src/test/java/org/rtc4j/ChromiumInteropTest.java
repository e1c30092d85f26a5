package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;

/**
 * rtc4j against headless Chromium (a peer we did not write), both ways, with and without trickle: every
 * channel kind, text and binary, messages up to Chromium's max-message-size (256 KiB), 100 MB through one
 * channel, and closing from either side.
 */
@Timeout(120)
class ChromiumInteropTest {

    private static final Duration T = Duration.ofSeconds(30);
    @AutoClose
    private static ChromiumPeers chromium;
    private BrowserPage page;
    private RTCPeerConnection pc;
    private final BlockingQueue<RTCIceCandidate> javaCandidates = new LinkedBlockingQueue<>();

    @BeforeAll
    static void launch() throws Exception {
        chromium = ChromiumPeers.start("peer.html");
    }


    @BeforeEach
    void open() {
        page = chromium.open();
        pc = ChromiumPeers.loopbackPeer();
    }

    @AfterEach
    void close() {
        pc.close();
        page.close();
    }

    @Test
    void javaOffersWithTrickleEveryChannelKindTextBinaryAndMaxSize() throws Exception {
        Map<String, RTCDataChannelInit> kinds = new java.util.LinkedHashMap<>();
        kinds.put("reliable", RTCDataChannelInit.defaults());
        kinds.put("unordered", RTCDataChannelInit.defaults().withOrdered(false));
        kinds.put("rexmit0", RTCDataChannelInit.defaults().withOrdered(false).withMaxRetransmits(0));
        kinds.put("lifetime", RTCDataChannelInit.defaults().withMaxPacketLifeTime(500).withProtocol("chat"));
        kinds.put("negotiated", RTCDataChannelInit.defaults().withNegotiatedId(42));
        Map<String, RTCDataChannel> channels = new java.util.LinkedHashMap<>();
        Map<String, BlockingQueue<MessageEvent>> echoes = new ConcurrentHashMap<>();
        kinds.forEach((label, init) -> {
            RTCDataChannel ch = pc.createDataChannel(label, init);
            BlockingQueue<MessageEvent> q = new LinkedBlockingQueue<>();
            ch.onMessage(q::add);
            channels.put(label, ch);
            echoes.put(label, q);
        });
        pc.onIceCandidate(javaCandidates::add);
        pc.setLocalDescription().join();
        String answer = (String) page.evaluate("makeAnswer(" + Json.quote(pc.localDescription().sdp()) + ", true)", T);
        page.evaluate("open('negotiated', {negotiated: true, id: 42}); true", T);
        pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
        trickleUntilOpen(channels.values());

        for (var e : channels.entrySet()) {
            String label = e.getKey();
            RTCDataChannel ch = e.getValue();
            page.evaluate("waitOpen('" + label + "')", T);
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) page.evaluate("info('" + label + "')", T);
            assertThat(((Long) info.get("id")).intValue()).isEqualTo(ch.id());
            assertThat(info.get("ordered")).isEqualTo(ch.ordered());
            assertThat(info.get("protocol")).isEqualTo(ch.protocol());
            assertThat(info.get("negotiated")).isEqualTo(ch.negotiated());
            if (ch.maxRetransmits() != null) {
                assertThat(info.get("maxRetransmits")).isEqualTo((long) ch.maxRetransmits());
            }
            if (ch.maxPacketLifeTime() != null) {
                assertThat(info.get("maxPacketLifeTime")).isEqualTo((long) ch.maxPacketLifeTime());
            }
            echo(ch, echoes.get(label), "hello " + label);
            echo(ch, echoes.get(label), pattern(1000, 3));
        }
        // Chromium advertises 262,144 bytes; both directions carry messages of exactly that size.
        assertThat(pc.sctp().maxMessageSize()).isEqualTo(262_144.0);
        assertThat(page.evaluate("maxMessageSize()", T)).isEqualTo(262_144L);
        RTCDataChannel reliable = channels.get("reliable");
        echo(reliable, echoes.get("reliable"), pattern(262_144, 9));
        echo(reliable, echoes.get("reliable"), "x".repeat(262_144));
        assertThatThrownBy(() -> reliable.send(new byte[262_145])).isInstanceOf(TypeError.class);

        RTCIceCandidatePair pair = pc.sctp().transport().iceTransport().getSelectedCandidatePair();
        assertThat(pair.local().address()).isEqualTo("127.0.0.1");
        RTCStatsReport stats = pc.getStats().get(10, TimeUnit.SECONDS);
        assertThat(stats.ofType("data-channel")).hasSize(5);
        assertThat(stats.ofType("transport").get(0).get("dtlsState")).isEqualTo("connected");
    }

    @Test
    void chromiumOffersWithoutTrickle() throws Exception {
        String offer = (String) page.evaluate(
                "makeOffer([['a', {}], ['b', {ordered: false, maxRetransmits: 2}], ['c', {protocol: 'p'}]], false)", T);
        assertThat(offer).contains("a=candidate:"); // Chromium writes no a=end-of-candidates
        List<RTCDataChannel> incoming = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, BlockingQueue<MessageEvent>> echoes = new ConcurrentHashMap<>();
        pc.onDataChannel(ch -> {
            BlockingQueue<MessageEvent> q = new LinkedBlockingQueue<>();
            echoes.put(ch.label(), q);
            ch.onMessage(q::add);
            incoming.add(ch);
        });
        pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
        ChromiumPeers.setLocalAndGather(pc);
        String answer = pc.localDescription().sdp();
        assertThat(answer).contains("a=candidate:").contains("a=end-of-candidates").contains("a=setup:active");
        assertThat(page.evaluate("accept(" + Json.quote(answer) + ")", T)).isEqualTo("stable");
        for (String label : List.of("a", "b", "c")) {
            page.evaluate("waitOpen('" + label + "')", T);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (incoming.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(incoming).extracting(RTCDataChannel::label).containsExactlyInAnyOrder("a", "b", "c");
        for (RTCDataChannel ch : incoming) {
            assertThat(ch.readyState()).isEqualTo(RTCDataChannelState.OPEN);
            if (ch.label().equals("b")) {
                assertThat(ch.ordered()).isFalse();
                assertThat(ch.maxRetransmits()).isEqualTo(2);
            }
            if (ch.label().equals("c")) {
                assertThat(ch.protocol()).isEqualTo("p");
            }
            echo(ch, echoes.get(ch.label()), "from java on " + ch.label());
            echo(ch, echoes.get(ch.label()), pattern(65_536, 5));
        }
        assertThat(pc.sctp().transport().state()).isEqualTo(RTCDtlsTransportState.CONNECTED);
    }

    @Test
    void hundredMegabytesThroughOneChannelIntact() throws Exception {
        RTCDataChannel bulk = pc.createDataChannel("bulk");
        BlockingQueue<MessageEvent> replies = new LinkedBlockingQueue<>();
        bulk.onMessage(replies::add);
        Semaphore low = new Semaphore(0);
        bulk.bufferedAmountLowThreshold(1 << 20);
        bulk.onBufferedAmountLow(low::release);
        javaOffersWithoutTrickle();
        trickleUntilOpen(List.of(bulk));
        long total = 100_000_000;
        int chunk = 65_536;
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total) {
            if (bulk.bufferedAmount() > 4 << 20) {
                low.tryAcquire(100, TimeUnit.MILLISECONDS);
                continue;
            }
            int n = (int) Math.min(chunk, total - sent);
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) ((sent + i) % 251);
            }
            bulk.send(b);
            sent += n;
        }
        bulk.send("fin");
        MessageEvent done = replies.poll(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(done).isNotNull();
        Map<String, Object> counts = Json.parseObject(done.text());
        assertThat(counts.get("bytes")).isEqualTo(total);
        assertThat(counts.get("bad")).isEqualTo(0L);
        System.out.printf("100 MB rtc4j -> Chromium: %.2f s, %.1f MB/s%n", seconds, total / 1e6 / seconds);
    }

    @Test
    void closeFromEitherSide() throws Exception {
        RTCDataChannel x = pc.createDataChannel("x");
        RTCDataChannel y = pc.createDataChannel("y");
        RTCDataChannel z = pc.createDataChannel("z");
        CompletableFuture<Void> xClosing = new CompletableFuture<>();
        CompletableFuture<Void> xClosed = new CompletableFuture<>();
        x.onClosing(() -> xClosing.complete(null));
        x.onClose(() -> xClosed.complete(null));
        pc.onIceCandidate(javaCandidates::add);
        pc.setLocalDescription().join();
        String answer = (String) page.evaluate("makeAnswer(" + Json.quote(pc.localDescription().sdp()) + ", true)", T);
        pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
        trickleUntilOpen(List.of(x, y, z));
        page.evaluate("waitOpen('z')", T);
        // Chromium closes x.
        page.evaluate("closeChannel('x')", T);
        xClosed.get(10, TimeUnit.SECONDS);
        assertThat(xClosing).isDone();
        assertThat(x.readyState()).isEqualTo(RTCDataChannelState.CLOSED);
        // rtc4j closes y.
        y.close();
        assertThat(page.evaluate("waitClosed('y')", T)).isEqualTo(true);
        // rtc4j closes the connection: Chromium's remaining channel closes.
        pc.close();
        assertThat(z.readyState()).isEqualTo(RTCDataChannelState.CLOSED);
        assertThat(page.evaluate("waitClosed('z')", T)).isEqualTo(true);
    }

    @Test
    void chromiumClosingItsConnectionClosesOurChannels() throws Exception {
        RTCDataChannel a = pc.createDataChannel("a");
        CompletableFuture<Void> closed = new CompletableFuture<>();
        a.onClose(() -> closed.complete(null));
        javaOffersWithoutTrickle();
        trickleUntilOpen(List.of(a));
        page.evaluate("closePc()", T);
        closed.get(20, TimeUnit.SECONDS);
        assertThat(a.readyState()).isEqualTo(RTCDataChannelState.CLOSED);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void javaOffersWithoutTrickle() throws Exception {
        ChromiumPeers.setLocalAndGather(pc);
        String answer = (String) page.evaluate("makeAnswer(" + Json.quote(pc.localDescription().sdp()) + ", false)", T);
        pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
    }

    /** Carries candidates both ways (JSON, as a signaling server would) until the channels are open. */
    private void trickleUntilOpen(java.util.Collection<RTCDataChannel> channels) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (channels.stream().anyMatch(c -> c.readyState() != RTCDataChannelState.OPEN)) {
            assertThat(System.nanoTime()).as("channels open in time").isLessThan(deadline);
            for (RTCIceCandidate c; (c = javaCandidates.poll()) != null; ) {
                page.evaluate("addCandidate(" + (c.isEndOfCandidates() ? "null" : c.toJson()) + ")", T);
            }
            @SuppressWarnings("unchecked")
            List<Object> theirs = (List<Object>) page.evaluate("takeCandidates()", T);
            for (Object o : theirs) {
                if (o == null) {
                    pc.addIceCandidate(RTCIceCandidate.endOfCandidates("0", 0, null)).join();
                } else {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) o;
                    Long index = (Long) m.get("sdpMLineIndex");
                    RTCIceCandidate c = new RTCIceCandidate((String) m.get("candidate"), (String) m.get("sdpMid"),
                            index == null ? null : index.intValue(), (String) m.get("usernameFragment"));
                    pc.addIceCandidate(c).join();
                }
            }
            Thread.sleep(5);
        }
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 7 + i);
        }
        return b;
    }

    private static void echo(RTCDataChannel ch, BlockingQueue<MessageEvent> q, Object message) throws Exception {
        if (message instanceof String s) {
            ch.send(s);
        } else {
            ch.send((byte[]) message);
        }
        MessageEvent m = q.poll(20, TimeUnit.SECONDS);
        assertThat(m).as("echo on " + ch.label()).isNotNull();
        if (message instanceof String s) {
            assertThat(m.isBinary()).isFalse();
            assertThat(m.text()).isEqualTo(s);
        } else {
            assertThat(m.isBinary()).isTrue();
            assertThat(Arrays.equals(m.bytes(), (byte[]) message)).isTrue();
        }
    }
}
