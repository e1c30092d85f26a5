package org.rtc4j.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.server.browser.RoomPage.quote;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.Chromium;

/**
 * The web app end to end in two real browsers: two headless Chromium with fake cameras open the same room
 * on our server, see each other's video decoded, chat over the data channel; a third is told the room is
 * full; a hang-up reaches the other side; each page's remote video area shows a picture on a screenshot; an
 * ICE restart started on both sides at once (an offer collision) is settled by perfect negotiation; stopping
 * the camera turns the other side's picture black; screen sharing switches the sent video and back.
 *
 * <p>Every wait is on something the page observes (frames decoded, the remote video's current frame drawn
 * on a canvas), with {@link RoomPage#DEADLINE} for a loaded machine.
 */
class VideoChatBrowserTest {

    @Test
    void twoBrowsersCallChatAndHangUp() throws Exception {
        LoopbackNamespace.require();
        try (WebServer server = WebServer.start(WebServerConfig.loopback())) {
            String room = "e2e-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            URI roomUrl = URI.create("http://127.0.0.1:" + server.port() + "/r/" + room);
            try (Chromium alice = Chromium.launch(); Chromium bob = Chromium.launch()) {
                RoomPage a = RoomPage.open(alice, roomUrl, "alice");
                RoomPage b = RoomPage.open(bob, roomUrl, "bob");

                for (RoomPage p : List.of(a, b)) {
                    p.waitForFramesBeyond("remote video frames decoded", 10);
                    p.waitFor("connection state connected", "[...window.rtc4j.peers.values()][0].pc.connectionState",
                            "connected"::equals);
                    p.waitUntil("chat open", "!document.getElementById('chat-input').disabled");
                }

                chat(a, "hello from alice");
                chat(b, "hello from bob");
                b.waitUntil("alice's chat message", received("hello from alice"));
                a.waitUntil("bob's chat message", received("hello from bob"));

                // The stats panel shows the connection.
                a.waitUntil("stats panel", "window.rtc4j.stats && window.rtc4j.stats.width > 0 && "
                        + "document.getElementById('stats-list').textContent.includes('connected')");

                assertRemoteVideoShowsAPicture(a);
                assertRemoteVideoShowsAPicture(b);

                // Both sides restart ICE at once: perfect negotiation settles the collision, new ICE
                // credentials are in use on both sides and video keeps being decoded.
                String ufrag = "window.rtc4j.peers.values().next().value.pc.localDescription.sdp"
                        + ".match(/a=ice-ufrag:(\\S+)/)[1]";
                String ufragA = a.text(ufrag);
                String ufragB = b.text(ufrag);
                long framesA = a.framesDecoded();
                long framesB = b.framesDecoded();
                String restart = "window.rtc4j.peers.values().next().value.pc.restartIce(); true";
                a.eval(restart);
                b.eval(restart);
                String settled = "(() => { const pc = window.rtc4j.peers.values().next().value.pc;"
                        + " return pc.signalingState === 'stable' && pc.connectionState === 'connected'"
                        + " && pc.localDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1] !== %s"
                        + " && pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1] !== %s; })()";
                a.waitUntil("ICE restarted", settled.formatted(quote(ufragA), quote(ufragB)));
                b.waitUntil("ICE restarted", settled.formatted(quote(ufragB), quote(ufragA)));
                a.waitForFramesBeyond("video after the restart", framesA + 20);
                b.waitForFramesBeyond("video after the restart", framesB + 20);
                String collisions = "window.rtc4j.peers.values().next().value.collisions";
                System.out.println("offer collisions during the double ICE restart: alice "
                        + a.eval(collisions) + ", bob " + b.eval(collisions));

                // Alice stops her video: the frames bob decodes from then on are black (track.enabled = false
                // sends black frames); she starts it again and bob's picture comes back. Judged on the frame
                // bob's video element holds, drawn on a canvas, after new frames were decoded.
                String sending = "window.rtc4j.peers.values().next().value.pc.getSenders()"
                        + ".find(s => s.track && s.track.kind === 'video').track.enabled";
                long beforeOff = b.framesDecoded();
                long clicked = System.nanoTime();
                a.eval("document.getElementById('video').click(); true");
                assertThat(a.bool(sending)).as("alice's camera track enabled after 'Stop video'").isFalse();
                // The page as shown follows: a repaint may lag the decoder by a second or more on a loaded
                // machine (seen: screenshots still bright while the element's current frame was black), so the
                // screenshot is waited for too.
                Map<String, Object> off;
                try {
                    off = b.waitForRemoteVideo(false, beforeOff);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nalice's app: " + a.diagnostics(), e);
                }
                long decodedBlack = System.nanoTime();
                Area shown = waitForScreenshot(b, "bob-video-off", area -> area.brightShare() < 0.02);
                System.out.println("bob's remote video black " + (decodedBlack - clicked) / 1_000_000
                        + " ms after alice stopped hers (frames decoded before: " + beforeOff + "): " + off
                        + "; painted " + (System.nanoTime() - decodedBlack) / 1_000_000 + " ms later");
                assertThat(shown.brightShare()).as("bob's remote video on a screenshot after alice stopped hers")
                        .isLessThan(0.02);
                long beforeOn = b.framesDecoded();
                a.eval("document.getElementById('video').click(); true");
                assertThat(a.bool(sending)).as("alice's camera track enabled after 'Start video'").isTrue();
                b.waitForRemoteVideo(true, beforeOn);
                assertThat(waitForScreenshot(b, "bob-video-on", Area::showsPicture).showsPicture())
                        .as("bob's remote video on a screenshot after alice started hers again").isTrue();

                // Alice shares her screen (headless Chromium captures its own window; evaluate counts as a
                // click, as getDisplayMedia needs) and stops again: the video she sends switches without
                // renegotiation and bob keeps decoding.
                String sentVideo = "window.rtc4j.peers.values().next().value.pc.getSenders()"
                        + ".find(s => s.track && s.track.kind === 'video').track.label";
                String camera = a.text(sentVideo);
                a.eval("document.getElementById('share').click(); true");
                a.waitFor("screen being sent", sentVideo, v -> ((String) v).startsWith("screen"));
                b.waitForFramesBeyond("bob decoding the shared screen", b.framesDecoded() + 20);
                a.eval("document.getElementById('share').click(); true");
                a.waitFor("camera sent again", sentVideo, camera::equals);

                // A third joiner (a second tab of alice's browser) is told the room is full.
                RoomPage c = RoomPage.open(alice, roomUrl, "carol");
                c.waitUntil("room-full message", "!!(window.rtc4j && window.rtc4j.full)");
                assertThat(c.text("document.getElementById('status').textContent")).contains("is full");
                assertThat(server.hub().roomSizes()).containsEntry(room, 2);

                // Alice hangs up; bob sees it.
                a.eval("document.getElementById('hangup').click()");
                b.waitUntil("peer-left", "!!window.rtc4j.peerLeft");
                assertThat(b.text("document.getElementById('status').textContent")).contains("hung up");
                assertThat(b.number("document.querySelectorAll('video.remote').length")).isZero();
                assertThat(a.bool("window.rtc4j.ended")).isTrue();
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
            try (Chromium browser = Chromium.launch(List.of(Chromium.FAKE_MEDIA_DEVICES))) {
                RoomPage page = RoomPage.open(browser, roomUrl, "deviceless");
                page.waitUntil("the no-device message", "!!window.rtc4j && window.rtc4j.chatLog.some(m => m.kind === 'system'"
                        + " && m.text.includes('No camera or microphone was found'))");
                page.waitFor("joined", "window.rtc4j.status", v -> ((String) v).startsWith("Waiting for someone"));
                assertThat(page.bool("document.getElementById('mute').disabled")).isTrue();
                assertThat(server.hub().roomSizes()).containsEntry("no-devices", 1);
            }
        }
    }

    private static void chat(RoomPage page, String text) {
        page.eval("document.getElementById('chat-input').value = " + quote(text)
                + "; document.getElementById('chat-send').click(); true");
    }

    private static String received(String text) {
        return "window.rtc4j.chatLog.some(m => m.kind === 'theirs' && m.text === " + quote(text) + ")";
    }

    /**
     * Checks the page as a person sees it: the remote video element is large and playing, and on a
     * screenshot its area shows a picture rather than one flat colour (the fake camera draws a moving
     * pattern; a broken layout or an unplayed video does not). The screenshot is retried while the picture
     * is not painted yet (a loaded machine may lag a repaint behind the decoder).
     */
    private static void assertRemoteVideoShowsAPicture(RoomPage page) throws Exception {
        String who = page.who();
        page.waitForRemoteVideo(true, 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) page.eval("""
                (() => { const v = document.querySelector('video.remote'); const r = v.getBoundingClientRect();
                  return { x: r.x, y: r.y, w: r.width, h: r.height, dpr: devicePixelRatio,
                           vw: v.videoWidth, vh: v.videoHeight, paused: v.paused }; })()""");
        assertThat(num(box, "w")).as(who + "'s remote video width").isGreaterThan(200);
        assertThat(num(box, "h")).as(who + "'s remote video height").isGreaterThan(150);
        assertThat(num(box, "vw")).as(who + "'s decoded video width").isGreaterThan(0);
        assertThat(box.get("paused")).as(who + "'s remote video paused").isEqualTo(false);

        Area area = waitForScreenshot(page, who, Area::showsPicture);
        assertThat(area.total).as(who + ": remote video area on the screenshot").isGreaterThan(10_000);
        assertThat(area.colours).as(who + ": distinct colours in the remote video area").isGreaterThan(8);
        assertThat(area.brightShare()).as(who + ": share of non-black pixels in the remote video area")
                .isGreaterThan(0.2);
    }

    /**
     * Takes screenshots of the remote video's area until one satisfies {@code done} or the deadline passes,
     * and returns the last.
     */
    private static Area waitForScreenshot(RoomPage page, String name, Predicate<Area> done) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) page.eval("""
                (() => { const r = document.querySelector('video.remote').getBoundingClientRect();
                  return { x: r.x, y: r.y, w: r.width, h: r.height, dpr: devicePixelRatio }; })()""");
        long deadline = System.nanoTime() + RoomPage.DEADLINE.toNanos();
        Area area = Area.of(page.screenshot(name), box);
        while (!done.test(area) && System.nanoTime() < deadline) {
            Thread.sleep(300);
            area = Area.of(page.screenshot(name), box);
        }
        return area;
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** The middle half of the remote video's box on a screenshot (object-fit: contain keeps the aspect). */
    private record Area(long total, long bright, int colours) {
        static Area of(byte[] png, Map<String, Object> box) throws IOException {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            double dpr = num(box, "dpr");
            int x0 = (int) ((num(box, "x") + num(box, "w") / 4) * dpr);
            int y0 = (int) ((num(box, "y") + num(box, "h") / 4) * dpr);
            int w = (int) (num(box, "w") / 2 * dpr);
            int h = (int) (num(box, "h") / 2 * dpr);
            Set<Integer> colours = new HashSet<>();
            long bright = 0;
            long total = 0;
            for (int y = y0; y < Math.min(image.getHeight(), y0 + h); y += 2) {
                for (int x = x0; x < Math.min(image.getWidth(), x0 + w); x += 2) {
                    int rgb = image.getRGB(x, y) & 0xFFFFFF;
                    colours.add(rgb & 0xF0F0F0);
                    int luma = ((rgb >> 16 & 0xFF) * 3 + (rgb >> 8 & 0xFF) * 6 + (rgb & 0xFF)) / 10;
                    bright += luma > 40 ? 1 : 0;
                    total++;
                }
            }
            return new Area(total, bright, colours.size());
        }

        double brightShare() {
            return total == 0 ? 0 : (double) bright / total;
        }

        boolean showsPicture() {
            return total > 10_000 && colours > 8 && brightShare() > 0.2;
        }
    }
}
