package org.rtc4j.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.rtc4j.testkit.browser.BrowserException;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;

/**
 * The video-chat app in one tab of the shared test harness: waits on what the page can observe (frames
 * decoded from getStats, the remote video element's pixels), with deadlines generous enough for a loaded
 * machine, and the app's state in every failure message.
 */
final class RoomPage {
    /** How long a step may take on a loaded machine (2 cores, load average above 20): only spent on failure. */
    static final Duration DEADLINE = Duration.ofSeconds(90);

    /** Remote video frames decoded by the first peer connection (0 before there is one). */
    static final String FRAMES_DECODED = """
            (async () => {
              const peer = window.rtc4j && window.rtc4j.peers.values().next().value;
              if (!peer) return 0;
              let frames = 0;
              (await peer.pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded || 0;
              });
              return frames;
            })()""";

    /**
     * What the remote video element holds now: its state, and the middle half of its current frame drawn on
     * a canvas (the frame the element would paint, whether or not the tab repaints): the share of non-black
     * pixels and the number of distinct colours. Also the frames decoded so far, read in the same turn.
     */
    private static final String REMOTE_PIXELS = """
            (async () => {
              const v = document.querySelector('video.remote');
              const frames = await %s;
              if (!v) return { present: false, frames };
              // For failure messages: what the decoder delivers (inbound-rtp), and the latest frame of the
              // remote track itself, read by a MediaStreamTrackProcessor beside the element.
              let inbound = null;
              const peer = window.rtc4j.peers.values().next().value;
              (await peer.pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video')
                  inbound = s.frameWidth + 'x' + s.frameHeight + '@' + s.framesPerSecond + ' ' + s.decoderImplementation;
              });
              const track = v.srcObject && v.srcObject.getVideoTracks()[0];
              if (track && window.MediaStreamTrackProcessor && (!window.rtc4jTap || window.rtc4jTap.track !== track)) {
                const tap = window.rtc4jTap = { track, frames: 0, size: null, bright: null };
                const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
                const tc = new OffscreenCanvas(32, 24);
                const tg = tc.getContext('2d', { willReadFrequently: true });
                (async () => {
                  for (;;) {
                    const { value, done } = await reader.read();
                    if (done) return;
                    tap.frames++;
                    tap.size = value.displayWidth + 'x' + value.displayHeight;
                    tg.drawImage(value, 0, 0, 32, 24);
                    value.close();
                    const td = tg.getImageData(8, 6, 16, 12).data;
                    let b = 0;
                    for (let i = 0; i < td.length; i += 4) if ((td[i] * 3 + td[i + 1] * 6 + td[i + 2]) / 10 > 40) b++;
                    tap.bright = b / (td.length / 4);
                  }
                })();
              }
              const t = window.rtc4jTap;
              const state = { present: true, frames, readyState: v.readyState, paused: v.paused,
                              videoWidth: v.videoWidth, videoHeight: v.videoHeight, inbound,
                              track: t && { frames: t.frames, size: t.size, bright: t.bright, state: track.readyState,
                                            muted: track.muted } };
              if (v.readyState < 2 || !v.videoWidth) return state;
              const w = 160, h = 120;
              const c = document.createElement('canvas');
              c.width = w; c.height = h;
              const g = c.getContext('2d', { willReadFrequently: true });
              g.drawImage(v, 0, 0, w, h);
              const d = g.getImageData(w / 4, h / 4, w / 2, h / 2).data;
              let bright = 0;
              const colours = new Set();
              for (let i = 0; i < d.length; i += 4) {
                if ((d[i] * 3 + d[i + 1] * 6 + d[i + 2]) / 10 > 40) bright++;
                colours.add((d[i] & 0xF0) << 16 | (d[i + 1] & 0xF0) << 8 | (d[i + 2] & 0xF0));
              }
              return Object.assign(state, { bright: bright / (d.length / 4), colours: colours.size });
            })()""".formatted(FRAMES_DECODED);

    /** The app's state, for failure messages. */
    private static final String DIAGNOSTICS = """
            (async () => {
              const app = window.rtc4j;
              if (!app) return 'no app';
              const out = { status: app.status, peers: [] };
              for (const p of app.peers.values()) {
                const candidates = [];
                (await p.pc.getStats()).forEach(s => {
                  if (s.type.endsWith('candidate')) candidates.push(s.type + ' ' + s.address + ':' + s.port + ' ' + s.protocol);
                  if (s.type === 'candidate-pair') candidates.push('pair ' + s.state + ' nominated=' + s.nominated);
                });
                const video = [];
                (await p.pc.getStats()).forEach(s => {
                  if (s.kind === 'video' && s.type === 'outbound-rtp') video.push('out ' + s.frameWidth + 'x' + s.frameHeight
                      + ' encoded=' + s.framesEncoded + ' sent=' + s.framesSent + ' limit=' + s.qualityLimitationReason
                      + ' ' + s.encoderImplementation + ' active=' + s.active);
                  if (s.kind === 'video' && s.type === 'inbound-rtp') video.push('in ' + s.frameWidth + 'x' + s.frameHeight
                      + ' decoded=' + s.framesDecoded + ' dropped=' + s.framesDropped + ' ' + s.decoderImplementation);
                });
                const sender = p.pc.getSenders().find(s => s.track && s.track.kind === 'video');
                video.push('sending ' + (sender ? sender.track.label + ' enabled=' + sender.track.enabled
                    + ' ' + sender.track.readyState : 'nothing'));
                out.peers.push({ video, polite: p.polite, signaling: p.pc.signalingState, ice: p.pc.iceConnectionState,
                  gathering: p.pc.iceGatheringState, connection: p.pc.connectionState, candidates,
                  local: p.pc.localDescription && p.pc.localDescription.sdp.length,
                  remote: p.pc.remoteDescription && p.pc.remoteDescription.sdp.length });
              }
              return JSON.stringify(out);
            })()""";

    private final String who;
    private final BrowserPage page;

    private RoomPage(String who, BrowserPage page) {
        this.who = who;
        this.page = page;
    }

    /** Opens {@code url} in a new tab of {@code browser}. */
    static RoomPage open(Chromium browser, URI url, String who) {
        return new RoomPage(who, browser.open(url, DEADLINE));
    }

    String who() {
        return who;
    }

    Object eval(String expression) {
        return page.evaluate(expression, DEADLINE);
    }

    String text(String expression) {
        return (String) eval(expression);
    }

    long number(String expression) {
        return ((Number) eval(expression)).longValue();
    }

    boolean bool(String expression) {
        return Boolean.TRUE.equals(eval(expression));
    }

    long framesDecoded() {
        return number(FRAMES_DECODED);
    }

    /** Polls {@code expression} until {@code done} accepts its value, within {@link #DEADLINE}. */
    Object waitFor(String what, String expression, Predicate<Object> done) {
        try {
            return page.waitFor(who + ": " + what, expression, done, DEADLINE);
        } catch (BrowserException e) {
            throw new AssertionError(e.getMessage() + "\n" + who + "'s app: " + diagnostics(), e);
        }
    }

    /** Waits until {@code expression} is true. */
    void waitUntil(String what, String expression) {
        waitFor(what, expression, Boolean.TRUE::equals);
    }

    /** Waits until the remote video has decoded more than {@code frames} frames. */
    long waitForFramesBeyond(String what, long frames) {
        return ((Number) waitFor(what, FRAMES_DECODED, v -> ((Number) v).longValue() > frames)).longValue();
    }

    /** The remote video element's state and current picture (see {@link #REMOTE_PIXELS}). */
    @SuppressWarnings("unchecked")
    Map<String, Object> remotePixels() {
        return (Map<String, Object>) eval(REMOTE_PIXELS);
    }

    /**
     * Waits until the remote video's current frame shows a picture ({@code picture}: mostly non-black, many
     * colours) or is black (not), and frames were decoded beyond {@code framesBefore}, so that the frame
     * judged is one that arrived after the change and not a frozen one.
     */
    Map<String, Object> waitForRemoteVideo(boolean picture, long framesBefore) {
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) waitFor(
                "remote video " + (picture ? "showing a picture" : "black") + " in frames after " + framesBefore,
                REMOTE_PIXELS, v -> {
                    Map<?, ?> m = (Map<?, ?>) v;
                    if (!(m.get("bright") instanceof Number bright) || ((Number) m.get("frames")).longValue() <= framesBefore) {
                        return false;
                    }
                    return picture
                            ? bright.doubleValue() > 0.2 && ((Number) m.get("colours")).longValue() > 8
                            : bright.doubleValue() < 0.02;
                });
        return last;
    }

    /** A PNG of the tab, also written to {@code target/screenshots/<name>.png}. */
    byte[] screenshot(String name) {
        byte[] png = page.screenshot(DEADLINE);
        try {
            Path out = Path.of("target", "screenshots");
            Files.createDirectories(out);
            Files.write(out.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png;
    }

    String diagnostics() {
        try {
            return String.valueOf(page.evaluate(DIAGNOSTICS, Duration.ofSeconds(20)));
        } catch (BrowserException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    List<String> console() {
        return page.console();
    }

    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
