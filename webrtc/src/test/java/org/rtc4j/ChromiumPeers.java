package org.rtc4j;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;
import org.rtc4j.testkit.browser.PageServer;

/**
 * The Chromium tests' fixture: a {@link PageServer} serving one test page of this package with the script the pages
 * share (peer-common.js), and one headless Chromium launched with the given flags; closing it closes both.
 */
final class ChromiumPeers implements AutoCloseable {

    private static final Duration T = Duration.ofSeconds(30);
    private final PageServer server;
    private final Chromium chromium;
    private final String page;

    private ChromiumPeers(PageServer server, Chromium chromium, String page) {
        this.server = server;
        this.chromium = chromium;
        this.page = page;
    }

    /** Serves {@code page} (a resource next to this class) and launches Chromium with {@code flags}. */
    static ChromiumPeers start(String page, String... flags) throws Exception {
        LoopbackNamespace.require();
        PageServer server = PageServer.start();
        try {
            server.classpath("/" + page, ChromiumPeers.class, page);
            server.classpath("/peer-common.js", ChromiumPeers.class, "peer-common.js");
            return new ChromiumPeers(server, Chromium.launch(flags), page);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** Opens the page in a new tab of this fixture's Chromium. */
    BrowserPage open() {
        return open(chromium);
    }

    /** Opens the page in another Chromium (one launched with other flags). */
    BrowserPage open(Chromium other) {
        return other.open(server.uri("/" + page));
    }

    @Override
    public void close() {
        try {
            chromium.close();
        } finally {
            server.close();
        }
    }

    /** A peer connection whose candidates include loopback (the tests run in a loopback-only namespace). */
    static RTCPeerConnection loopbackPeer() {
        return new RTCPeerConnection(RTCConfiguration.defaults(), RTCSettings.defaults().withLoopbackCandidates(true));
    }

    /** Sets the local description and waits for gathering to complete (the pages take no trickled candidates). */
    static void setLocalAndGather(RTCPeerConnection pc) throws Exception {
        CompletableFuture<Void> gathered = new CompletableFuture<>();
        pc.onIceGatheringStateChange(s -> {
            if (s == RTCIceGatheringState.COMPLETE) {
                gathered.complete(null);
            }
        });
        pc.setLocalDescription().join();
        gathered.get(10, TimeUnit.SECONDS);
    }

    /** The page's accept(answer) given our local description: Chromium's signaling state after it. */
    static Object accept(BrowserPage page, RTCPeerConnection pc) throws Exception {
        return page.evaluate("accept(" + Json.quote(pc.localDescription().sdp()) + ")", T);
    }

    /** Our offer, gathered, answered by the page's {@code answerFunction}(offer), whose answer we apply. */
    static void offerGathered(RTCPeerConnection pc, BrowserPage page, String answerFunction) throws Exception {
        setLocalAndGather(pc);
        String answer = (String) page.evaluate(answerFunction + "(" + Json.quote(pc.localDescription().sdp()) + ")", T);
        pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
    }

    /** Our answer to Chromium's offer, gathered, accepted by the page: Chromium's signaling state after it. */
    static Object answerGathered(BrowserPage page, RTCPeerConnection pc) throws Exception {
        setLocalAndGather(pc);
        return accept(page, pc);
    }
}
