package org.rtc4j.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * The web app end to end in two real browsers: two headless Chromium with fake cameras open the same room
 * on our server, see each other's video decoded, chat over the data channel; a third is told the room is
 * full; a hang-up reaches the other side; each page's remote video area shows a picture; and an ICE
 * restart started on both sides at once (an offer collision) is settled by perfect negotiation; screen
 * sharing switches the sent video and back.
 */
class VideoChatBrowserTest {
    private static final String FRAMES_DECODED = """
            (async () => {
              const peer = window.rtc4j && window.rtc4j.peers.values().next().value;
              if (!peer) return 0;
              let frames = 0;
              (await peer.pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded || 0;
              });
              return frames;
            })()""";

    @Test
    void twoBrowsersCallChatAndHangUp() throws Exception {
        LoopbackNamespace.require();
        try (WebServer server = WebServer.start(WebServerConfig.loopback())) {
            String room = "e2e-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            URI roomUrl = URI.create("http://127.0.0.1:" + server.port() + "/r/" + room);
            try (Chromium alice = Chromium.launch(roomUrl); Chromium bob = Chromium.launch(roomUrl)) {
                DevToolsPage a = alice.page(roomUrl);
                DevToolsPage b = bob.page(roomUrl);

                for (DevToolsPage p : new DevToolsPage[] {a, b}) {
                    try {
                        p.waitFor("remote video frames decoded", FRAMES_DECODED, v -> v.asInt() > 10, 30);
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + "\nalice: " + a.diagnostics() + "\nbob: " + b.diagnostics());
                    }
                    p.waitFor("connection state connected",
                            "[...window.rtc4j.peers.values()][0].pc.connectionState",
                            v -> v.asText().equals("connected"), 10);
                    p.waitFor("chat open", "!document.getElementById('chat-input').disabled", JsonNode::asBoolean, 10);
                }

                chat(a, "hello from alice");
                chat(b, "hello from bob");
                b.waitFor("alice's chat message", received("hello from alice"), JsonNode::asBoolean, 10);
                a.waitFor("bob's chat message", received("hello from bob"), JsonNode::asBoolean, 10);

                // The stats panel shows the connection.
                a.waitFor("stats panel", "window.rtc4j.stats && window.rtc4j.stats.width > 0 && "
                        + "document.getElementById('stats-list').textContent.includes('connected')", JsonNode::asBoolean, 10);

                assertRemoteVideoShowsAPicture(a, "alice");
                assertRemoteVideoShowsAPicture(b, "bob");

                // Both sides restart ICE at once: perfect negotiation settles the collision, new ICE
                // credentials are in use on both sides and video keeps being decoded.
                String ufrag = "window.rtc4j.peers.values().next().value.pc.localDescription.sdp"
                        + ".match(/a=ice-ufrag:(\\S+)/)[1]";
                String ufragA = a.eval(ufrag).asText();
                String ufragB = b.eval(ufrag).asText();
                long framesA = a.eval(FRAMES_DECODED).asLong();
                long framesB = b.eval(FRAMES_DECODED).asLong();
                String restart = "window.rtc4j.peers.values().next().value.pc.restartIce(); true";
                a.eval(restart);
                b.eval(restart);
                String settled = "(() => { const pc = window.rtc4j.peers.values().next().value.pc;"
                        + " return pc.signalingState === 'stable' && pc.connectionState === 'connected'"
                        + " && pc.localDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1] !== %s"
                        + " && pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1] !== %s; })()";
                a.waitFor("ICE restarted on alice's side", settled.formatted(quote(ufragA), quote(ufragB)), JsonNode::asBoolean, 20);
                b.waitFor("ICE restarted on bob's side", settled.formatted(quote(ufragB), quote(ufragA)), JsonNode::asBoolean, 20);
                a.waitFor("video after the restart", FRAMES_DECODED, v -> v.asLong() > framesA + 20, 15);
                b.waitFor("video after the restart", FRAMES_DECODED, v -> v.asLong() > framesB + 20, 15);
                String collisions = "window.rtc4j.peers.values().next().value.collisions";
                System.out.println("offer collisions during the double ICE restart: alice "
                        + a.eval(collisions) + ", bob " + b.eval(collisions));

                // Alice stops her video: bob's remote video turns black; she starts it again.
                a.eval("document.getElementById('video').click(); true");
                waitForRemoteVideo(b, "bob", false);
                a.eval("document.getElementById('video').click(); true");
                waitForRemoteVideo(b, "bob", true);

                // Alice shares her screen (headless Chromium captures its own window) and stops again:
                // the video she sends switches without renegotiation and bob keeps decoding.
                String sentVideo = "window.rtc4j.peers.values().next().value.pc.getSenders()"
                        + ".find(s => s.track && s.track.kind === 'video').track.label";
                String camera = a.eval(sentVideo).asText();
                a.evalWithGesture("document.getElementById('share').click(); true");
                a.waitFor("screen being sent", sentVideo, v -> v.asText().startsWith("screen"), 10);
                long framesBeforeShare = b.eval(FRAMES_DECODED).asLong();
                b.waitFor("bob decoding the shared screen", FRAMES_DECODED, v -> v.asLong() > framesBeforeShare + 20, 15);
                a.evalWithGesture("document.getElementById('share').click(); true");
                a.waitFor("camera sent again", sentVideo, v -> v.asText().equals(camera), 10);

                // A third joiner (a second tab of alice's browser) is told the room is full.
                DevToolsPage c = alice.open(roomUrl);
                c.waitFor("room-full message", "!!(window.rtc4j && window.rtc4j.full)", JsonNode::asBoolean, 20);
                assertThat(c.eval("document.getElementById('status').textContent").asText()).contains("is full");
                assertThat(server.hub().roomSizes()).containsEntry(room, 2);

                // Alice hangs up; bob sees it.
                a.eval("document.getElementById('hangup').click()");
                b.waitFor("peer-left", "!!window.rtc4j.peerLeft", JsonNode::asBoolean, 10);
                assertThat(b.eval("document.getElementById('status').textContent").asText()).contains("hung up");
                assertThat(b.eval("document.querySelectorAll('video.remote').length").asInt()).isZero();
                assertThat(a.eval("window.rtc4j.ended").asBoolean()).isTrue();
                assertThat(server.hub().roomSizes()).containsEntry(room, 1);
            }
        }
    }

    /** Without a camera or microphone the page says so, still joins, and can receive a call. */
    @Test
    void withoutCameraOrMicrophoneThePageSaysSoAndStillJoins() throws Exception {
        LoopbackNamespace.require();
        try (WebServer server = WebServer.start(WebServerConfig.loopback())) {
            URI roomUrl = URI.create("http://127.0.0.1:" + server.port() + "/r/no-devices");
            try (Chromium browser = Chromium.launch(roomUrl, false)) {
                DevToolsPage page = browser.page(roomUrl);
                page.waitFor("the no-device message", "!!window.rtc4j && window.rtc4j.chatLog.some(m => m.kind === 'system'"
                        + " && m.text.includes('No camera or microphone was found'))", JsonNode::asBoolean, 20);
                page.waitFor("joined", "window.rtc4j.status", v -> v.asText().startsWith("Waiting for someone"), 10);
                assertThat(page.eval("document.getElementById('mute').disabled").asBoolean()).isTrue();
                assertThat(server.hub().roomSizes()).containsEntry("no-devices", 1);
            }
        }
    }

    private static void chat(DevToolsPage page, String text) throws Exception {
        page.eval("document.getElementById('chat-input').value = " + quote(text)
                + "; document.getElementById('chat-send').click(); true");
    }

    private static String received(String text) {
        return "window.rtc4j.chatLog.some(m => m.kind === 'theirs' && m.text === " + quote(text) + ")";
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Takes screenshots until the remote video shows a picture ({@code picture}) or is black (not). */
    private static void waitForRemoteVideo(DevToolsPage page, String who, boolean picture) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        double bright = -1;
        while (System.nanoTime() < deadline) {
            bright = remoteVideoBrightShare(page, who + (picture ? "-video-on" : "-video-off"));
            if (picture ? bright > 0.2 : bright < 0.02) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(who + "'s remote video did not turn " + (picture ? "on" : "black")
                + "; share of non-black pixels " + bright);
    }

    /** The share of non-black pixels in the middle of the remote video on a screenshot. */
    private static double remoteVideoBrightShare(DevToolsPage page, String name) throws Exception {
        JsonNode box = page.eval("""
                (() => { const r = document.querySelector('video.remote').getBoundingClientRect();
                  return { x: r.x, y: r.y, w: r.width, h: r.height, dpr: devicePixelRatio }; })()""");
        byte[] png = page.screenshot();
        Path out = Path.of("target", "screenshots");
        Files.createDirectories(out);
        Files.write(out.resolve(name + ".png"), png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        double dpr = box.get("dpr").asDouble();
        int x0 = (int) ((box.get("x").asDouble() + box.get("w").asDouble() / 4) * dpr);
        int y0 = (int) ((box.get("y").asDouble() + box.get("h").asDouble() / 4) * dpr);
        int w = (int) (box.get("w").asDouble() / 2 * dpr);
        int h = (int) (box.get("h").asDouble() / 2 * dpr);
        long bright = 0;
        long total = 0;
        for (int y = y0; y < Math.min(image.getHeight(), y0 + h); y += 2) {
            for (int x = x0; x < Math.min(image.getWidth(), x0 + w); x += 2) {
                int rgb = image.getRGB(x, y);
                int luma = ((rgb >> 16 & 0xFF) * 3 + (rgb >> 8 & 0xFF) * 6 + (rgb & 0xFF)) / 10;
                bright += luma > 40 ? 1 : 0;
                total++;
            }
        }
        return total == 0 ? 0 : (double) bright / total;
    }

    /**
     * Takes a screenshot and checks the remote video's area on it: large enough, and a picture rather than
     * one flat colour (the fake camera draws a moving pattern; a broken layout or an unplayed video does not).
     */
    private static void assertRemoteVideoShowsAPicture(DevToolsPage page, String who) throws Exception {
        JsonNode box = page.eval("""
                (() => { const v = document.querySelector('video.remote'); const r = v.getBoundingClientRect();
                  return { x: r.x, y: r.y, w: r.width, h: r.height, dpr: devicePixelRatio,
                           vw: v.videoWidth, vh: v.videoHeight, paused: v.paused }; })()""");
        assertThat(box.get("w").asDouble()).as(who + "'s remote video width").isGreaterThan(200);
        assertThat(box.get("h").asDouble()).as(who + "'s remote video height").isGreaterThan(150);
        assertThat(box.get("vw").asInt()).as(who + "'s decoded video width").isGreaterThan(0);
        assertThat(box.get("paused").asBoolean()).as(who + "'s remote video paused").isFalse();

        byte[] png = page.screenshot();
        Path out = Path.of("target", "screenshots");
        Files.createDirectories(out);
        Files.write(out.resolve(who + ".png"), png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        double dpr = box.get("dpr").asDouble();
        // The picture inside the element keeps its aspect ratio (object-fit: contain): look at the middle half.
        int x0 = (int) ((box.get("x").asDouble() + box.get("w").asDouble() / 4) * dpr);
        int y0 = (int) ((box.get("y").asDouble() + box.get("h").asDouble() / 4) * dpr);
        int w = (int) (box.get("w").asDouble() / 2 * dpr);
        int h = (int) (box.get("h").asDouble() / 2 * dpr);
        Set<Integer> colours = new HashSet<>();
        long bright = 0;
        long total = 0;
        for (int y = y0; y < Math.min(image.getHeight(), y0 + h); y += 2) {
            for (int x = x0; x < Math.min(image.getWidth(), x0 + w); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb & 0xF0F0F0);
                int luma = ((rgb >> 16 & 0xFF) * 3 + (rgb >> 8 & 0xFF) * 6 + (rgb & 0xFF)) / 10;
                if (luma > 40) {
                    bright++;
                }
                total++;
            }
        }
        assertThat(total).as(who + ": remote video area on the screenshot").isGreaterThan(10_000);
        assertThat(colours.size()).as(who + ": distinct colours in the remote video area").isGreaterThan(8);
        assertThat((double) bright / total).as(who + ": share of non-black pixels in the remote video area")
                .isGreaterThan(0.2);
    }
}
