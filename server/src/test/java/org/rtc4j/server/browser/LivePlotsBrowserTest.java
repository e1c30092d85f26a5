package org.rtc4j.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.Main;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.Chromium;
import picocli.CommandLine;

/**
 * The demo as people use it, in headless Chromium: a call relayed through the demo's own TURN server draws
 * live plots per participant (uPlot) from getStats; a third person is told the room is full with the call
 * controls off; after a hang-up the stats stop and Rejoin brings the call back; the operator page shows the
 * room, its participants and the TURN traffic over time, only with the token. Screenshots of the plots and
 * the operator page are left in {@code target/screenshots}.
 */
class LivePlotsBrowserTest {
    private static final String TOKEN = "operator-token-for-tests";

    /** Pixels of the first chart's canvas drawn in the "in" colour (#8ab4f8): a line is on the plot. */
    private static final String LINE_PIXELS = """
            (() => {
              const canvas = document.querySelector('#plots .uplot canvas');
              if (!canvas) return 0;
              const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              let n = 0;
              for (let i = 0; i < d.length; i += 4)
                if (Math.abs(d[i] - 138) < 24 && Math.abs(d[i + 1] - 180) < 24 && Math.abs(d[i + 2] - 248) < 24) n++;
              return n;
            })()""";

    private static final String CONTROLS_OFF = "['mute', 'video', 'share', 'hangup']"
            + ".every(id => document.getElementById(id).disabled) && document.getElementById('chat-input').disabled";

    @Test
    void plotsPerParticipantRoomFullRejoinAndTheOperatorPage() throws Exception {
        LoopbackNamespace.require();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setErr(new PrintWriter(err, true));
        Thread demo = new Thread(() -> cli.execute("demo", "--host", "127.0.0.1", "--port", "0", "--turn-port", "0",
                "--internals-token", TOKEN), "demo-command");
        demo.start();
        try {
            URI operator = URI.create(await(err, demo, "rtc4j demo: operator page (\\S+)"));
            assertThat(operator.getFragment()).isEqualTo("token=" + TOKEN);
            URI base = operator.resolve("/");
            assertOperatorDataNeedsTheToken(base);
            URI roomUrl = base.resolve("/r/plots?relay=1"); // through the demo's TURN server: its counters move
            try (Chromium alice = Chromium.launch(); Chromium bob = Chromium.launch()) {
                RoomPage a = RoomPage.open(alice, roomUrl, "alice");
                RoomPage b = RoomPage.open(bob, roomUrl, "bob");
                for (RoomPage p : List.of(a, b)) {
                    p.waitForFramesBeyond("remote video frames decoded", 10);
                    p.waitUntil("ten seconds of plots", "window.rtc4j.plots.size === 1"
                            + " && [...window.rtc4j.plots.values()][0].samples >= 10");
                    assertThat(p.number("document.querySelectorAll('#plots .uplot').length")).isEqualTo(4);
                    p.waitFor("a bit-rate line drawn", LINE_PIXELS, v -> ((Number) v).longValue() > 30);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> s = (Map<String, Object>) p.eval("window.rtc4j.stats");
                    assertThat(((Number) s.get("kbpsIn")).doubleValue()).as(s.toString()).isPositive();
                    assertThat(((Number) s.get("fpsIn")).doubleValue()).as(s.toString()).isPositive();
                    assertThat(s).as(s.toString()).containsKeys("rttMs", "jitterMs", "lossPct", "fpsOut");
                }
                a.screenshot("live-plots");

                // A third person: the room is full, the call controls are off, and the page says what to do.
                RoomPage c = RoomPage.open(alice, roomUrl, "carol");
                c.waitUntil("room-full message", "!!(window.rtc4j && window.rtc4j.full)");
                assertThat(c.bool(CONTROLS_OFF)).isTrue();
                assertThat(c.text("document.getElementById('full').hidden ? '' : document.getElementById('full').textContent"))
                        .contains("Rejoin", "a new room");
                assertThat(c.bool("!document.getElementById('rejoin').hidden")).isTrue();
                c.screenshot("room-full");

                // The operator page: the room with its two participants, TURN allocations and traffic.
                RoomPage op = RoomPage.open(alice, operator, "operator");
                op.waitUntil("a sampled history with TURN traffic", """
                        (() => { const b = window.rtc4jInternals.body; if (!b) return false;
                          const at = b.series.indexOf('turn_bytes_to_peer') + 1;
                          const h = b.history;
                          return h.length >= 3 && h[h.length - 1][at] > h[h.length - 3][at]; })()""");
                op.waitUntil("the room and its participants", "[...document.querySelectorAll('#rooms tbody tr')]"
                        + ".some(tr => tr.textContent === 'plots2')");
                assertThat(op.text("document.getElementById('now').textContent")).contains("TURN allocations");
                assertThat(op.number("document.querySelectorAll('#history .uplot').length")).isEqualTo(5);
                op.screenshot("operator-page");

                // Alice hangs up: her stats stop (nothing stale stays) and she can rejoin; bob's go too.
                a.eval("document.getElementById('hangup').click(); true");
                a.waitUntil("stats cleared", "window.rtc4j.stats === null && window.rtc4j.plots.size === 0"
                        + " && document.getElementById('stats-list').textContent.includes('Not in a call')");
                b.waitUntil("bob's plots of alice removed", "window.rtc4j.peerLeft && window.rtc4j.plots.size === 0"
                        + " && document.getElementById('stats-list').textContent.includes('Not in a call')");
                Thread.sleep(2500); // two sampling rounds: nothing comes back
                assertThat(a.text("document.getElementById('stats-list').textContent")).doesNotContain("kbit/s");
                assertThat(a.bool("!document.getElementById('rejoin').hidden")).isTrue();
                a.eval("document.getElementById('rejoin').click(); true");
                a.waitForFramesBeyond("video again after rejoining", 10);
                a.waitUntil("plots again after rejoining", "window.rtc4j.plots.size === 1"
                        + " && [...window.rtc4j.plots.values()][0].samples >= 2");
                assertThat(a.bool("document.getElementById('rejoin').hidden && !document.getElementById('hangup').disabled"))
                        .isTrue();
            }
        } finally {
            demo.interrupt();
            demo.join(15_000);
        }
        assertThat(demo.isAlive()).isFalse();
    }

    /** /api/internals answers only with the token; without it, 401 and no data. */
    private static void assertOperatorDataNeedsTheToken(URI base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder api = HttpRequest.newBuilder(base.resolve("/api/internals"));
        HttpResponse<String> none = http.send(api.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).doesNotContain("rtc4j.signaling");
        HttpResponse<String> wrong = http.send(api.header("Authorization", "Bearer " + TOKEN + "x").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> right = http.send(HttpRequest.newBuilder(base.resolve("/api/internals"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).contains("\"rtc4j.turn.allocations\"", "\"rtc4j.signaling.clients\"", "\"history\"");
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/vendor/uplot/uPlot.iife.min.js")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("uPlot");
    }

    private static String await(StringWriter err, Thread demo, String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        for (int i = 0; i < 1200; i++) {
            Matcher m = p.matcher(err.toString());
            if (m.find()) {
                return m.group(1);
            }
            if (!demo.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the demo did not print " + regex + ": " + err);
    }
}
