package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.internal.SyntheticFrames;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.sdp.SessionDescription;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;

/**
 * Renegotiation with headless Chromium (RFC 9429, W3C section 4.4.1), in one call whose data channel, audio and
 * video share one transport throughout: video added to an audio call, its track replaced without renegotiation
 * (none of the old track's frames sent after), its direction changed, its transceiver stopped (Chromium removes
 * its own), a new transceiver recycling the stopped one's m-line, its track removed with removeTrack (Chromium's
 * track muted, nothing more delivered), and a Chromium offer that adds a transceiver rolled back on our side.
 * Chromium answers every offer of ours, decodes our VP8 after each step, and audio and messages keep flowing. And
 * Chromium's simulcast received per rid.
 */
@Timeout(180)
class ChromiumRenegotiationTest {

    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void videoAddedReplacedRedirectedStoppedRecycledAndARollback(@TempDir Path dir) throws Exception {
        List<byte[]> frames = vp8Frames(dir, "320x240");
        List<byte[]> small = vp8Frames(dir, "160x120");
        try (ChromiumPeers chromium = ChromiumPeers.start("renegotiation-peer.html")) {
            BrowserPage page = chromium.open();
            try (var pc = ChromiumPeers.loopbackPeer()) {
                // an audio call with a data channel
                RTCDataChannel chat = pc.createDataChannel("chat");
                LinkedBlockingQueue<String> echoes = new LinkedBlockingQueue<>();
                chat.onMessage(m -> echoes.add(m.text()));
                PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
                pc.addTrack(mic.createTrack(), new MediaStream());
                negotiate(pc, page, true);
                MediaPeersTest.await(() -> pc.connectionState() == RTCPeerConnectionState.CONNECTED);
                AtomicBoolean talking = new AtomicBoolean(true);
                Thread audio = Thread.ofVirtual().start(() -> talk(mic, talking));
                try {
                    TwoPeersTest.awaitOpen(chat);
                    chat.send("audio only");
                    assertThat(echoes.poll(10, TimeUnit.SECONDS)).isEqualTo("echo audio only");

                    // video added
                    PushSource camera = new PushSource(MediaKind.VIDEO, "camera");
                    RTCRtpSender video = pc.addTrack(camera.createTrack(), new MediaStream());
                    negotiate(pc, page, false);
                    RTCRtpTransceiver videoTransceiver = pc.getTransceivers().get(1);
                    String videoMid = videoTransceiver.mid();
                    assertThat(videoTransceiver.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.SENDONLY);
                    int sent = send(camera, frames, 0);
                    awaitDecoded(page, videoMid, sent * 9 / 10);

                    // replaceTrack: the new track's frames go out, the old one's no longer. The old track keeps
                    // pushing a clip of another size, key frame first, during the new one's two seconds and after:
                    // our sender sends the new track's 60 frames only, and Chromium receives no more than those
                    // and decodes them at the new track's size.
                    PushSource other = new PushSource(MediaKind.VIDEO, "other camera");
                    video.replaceTrack(other.createTrack()).join();
                    long sentBefore = framesSent(pc, videoMid);
                    AtomicBoolean oldPushing = new AtomicBoolean(true);
                    int from = sent;
                    Thread old = Thread.ofVirtual().start(() -> pushUntil(camera, small, from, oldPushing));
                    try {
                        sent += send(other, frames, sent);
                        awaitDecoded(page, videoMid, sent * 9 / 10);
                        Thread.sleep(1000);
                    } finally {
                        oldPushing.set(false);
                        old.join();
                    }
                    Map<String, Object> after = inbound(page, videoMid);
                    long sentAll = framesSent(pc, videoMid);
                    assertThat(sentAll - sentBefore).as("frames sent after the replace").isBetween(54L, 60L);
                    assertThat(number(after, "framesReceived")).as("frames Chromium received, of %d sent", sentAll)
                            .isBetween(sentAll * 9 / 10, sentAll);
                    assertThat(number(after, "frameWidth")).isEqualTo(320);

                    // direction changes: inactive, both ends agree
                    videoTransceiver.setDirection(RTCRtpTransceiverDirection.INACTIVE);
                    negotiate(pc, page, false);
                    assertThat(videoTransceiver.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.INACTIVE);
                    assertThat(chromiumTransceiver(page, videoMid).get("currentDirection")).isEqualTo("inactive");

                    // stopped: its m-line rejected, the transceiver gone on both ends
                    videoTransceiver.stop();
                    negotiate(pc, page, false);
                    assertThat(pc.getTransceivers()).hasSize(1);
                    assertThat(chromiumTransceiver(page, videoMid)).isNull();

                    // a new transceiver recycles the m-line (RFC 9429 section 5.2.2), Chromium decodes it
                    PushSource third = new PushSource(MediaKind.VIDEO, "third camera");
                    RTCRtpTransceiver recycled = pc.addTransceiver(third.createTrack(),
                            RTCRtpTransceiverInit.defaults().withDirection(RTCRtpTransceiverDirection.SENDONLY));
                    negotiate(pc, page, false);
                    SessionDescription offer = SessionDescription.parse(pc.localDescription().sdp());
                    assertThat(offer.media()).hasSize(3);
                    assertThat(offer.media().get(2).mid()).contains(recycled.mid());
                    assertThat(recycled.mid()).isNotEqualTo(videoMid);
                    assertThat(recycled.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.SENDONLY);
                    page.evaluate("framesOfTrack(" + Json.quote(recycled.mid()) + ")", T); // counts from now
                    int again = send(third, frames, 0);
                    awaitDecoded(page, recycled.mid(), again * 9 / 10);
                    long delivered = trackFrames(page, recycled.mid());
                    assertThat(delivered).as("frames the receiving track delivered").isPositive();

                    // removeTrack (W3C section 5.1): the sender loses its track, the sendonly transceiver becomes
                    // inactive; after renegotiation Chromium's transceiver is inactive, its receiving track muted
                    // (webrtc-pc's "process the removal of a remote track"), and nothing more is sent or reaches that
                    // track while the removed track's source keeps pushing (Chromium drops its inbound-rtp).
                    pc.removeTrack(recycled.sender());
                    assertThat(recycled.sender().track()).isNull();
                    assertThat(recycled.direction()).isEqualTo(RTCRtpTransceiverDirection.INACTIVE);
                    negotiate(pc, page, false);
                    assertThat(recycled.currentDirection()).isEqualTo(RTCRtpTransceiverDirection.INACTIVE);
                    long removedAt = System.nanoTime();
                    Map<String, Object> removed;
                    do {
                        Thread.sleep(100);
                        removed = chromiumTransceiver(page, recycled.mid());
                    } while (!Boolean.TRUE.equals(removed.get("muted")) && System.nanoTime() - removedAt < 10e9);
                    assertThat(removed).containsEntry("currentDirection", "inactive").containsEntry("muted", true)
                            .containsEntry("trackState", "live");
                    delivered = trackFrames(page, recycled.mid());
                    long sentThen = framesSent(pc, recycled.mid());
                    send(third, frames, again);
                    Thread.sleep(500);
                    assertThat(framesSent(pc, recycled.mid())).as("frames sent after removeTrack").isEqualTo(sentThen);
                    assertThat(trackFrames(page, recycled.mid())).as("frames delivered after removeTrack")
                            .isEqualTo(delivered);
                    System.out.println("Chromium inbound of mid " + recycled.mid() + " after removeTrack: "
                            + inbound(page, recycled.mid()));

                    // Chromium offers a new audio transceiver; we apply it and roll it back
                    String theirs = (String) page.evaluate("makeOffer()", T);
                    pc.setRemoteDescription(RTCSessionDescription.offer(theirs)).join();
                    assertThat(pc.getTransceivers()).hasSize(3);
                    pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ROLLBACK, "")).join();
                    assertThat(pc.signalingState()).isEqualTo(RTCSignalingState.STABLE);
                    assertThat(pc.getTransceivers()).hasSize(2);
                    assertThat(page.evaluate("rollback()", T)).isEqualTo("stable");

                    // one transport still carries everything
                    long audioBefore = packets(page, pc.getTransceivers().get(0).mid());
                    negotiate(pc, page, false);
                    chat.send("after all that");
                    assertThat(echoes.poll(10, TimeUnit.SECONDS)).isEqualTo("echo after all that");
                    MediaPeersTest.await(() -> packets(page, pc.getTransceivers().get(0).mid()) > audioBefore + 20);
                    assertThat(SessionDescription.parse(pc.localDescription().sdp()).groups().get(0).mids())
                            .hasSize(3);
                } finally {
                    talking.set(false);
                    audio.join();
                }
            } finally {
                page.close();
            }
        }
    }

    /**
     * Chromium's simulcast to us (RFC 8851, 8853): our answer receives both rids; each is demultiplexed by its RID
     * header extension into a stream of its own (two inbound-rtp), and the first listed, rid h, feeds the track.
     */
    @Test
    void chromiumSimulcastIsReceivedPerRid() throws Exception {
        try (var chromium = ChromiumPeers.start("renegotiation-peer.html", Chromium.FAKE_MEDIA_DEVICES)) {
            BrowserPage page = chromium.open();
            try (var pc = ChromiumPeers.loopbackPeer()) {
                AtomicInteger frames = new AtomicInteger();
                pc.onTrack(e -> e.track().addSink(MediaSink.encoded(f -> frames.incrementAndGet())));
                pc.setRemoteDescription(RTCSessionDescription.offer((String) page.evaluate("offerSimulcast()", T)))
                        .join();
                ChromiumPeers.setLocalAndGather(pc);
                assertThat(SessionDescription.parse(pc.localDescription().sdp()).media().get(0).simulcast()
                        .orElseThrow().toString()).isEqualTo("recv h;l");
                assertThat(ChromiumPeers.accept(page, pc)).isEqualTo("stable");
                MediaPeersTest.await(() -> frames.get() >= 60);
                page.evaluate("stopSending()", T);
                Thread.sleep(500);
                @SuppressWarnings("unchecked")
                Map<String, Object> sent = (Map<String, Object>) page.evaluate("outboundByRid()", T);
                List<RTCStats> inbound = pc.getStats().join().ofType("inbound-rtp");
                System.out.println("Chromium sent " + sent + "; our track got " + frames.get() + " frames; inbound "
                        + inbound.stream().map(s -> s.members().get("rid") + "=" + s.members().get("framesReceived"))
                        .toList());
                assertThat(inbound).extracting(s -> s.members().get("rid")).containsExactlyInAnyOrder("h", "l");
                @SuppressWarnings("unchecked")
                long encodedH = ((Number) ((Map<String, Object>) sent.get("h")).get("framesEncoded")).longValue();
                assertThat((long) frames.get()).as("rid h's frames only, of %d encoded", encodedH)
                        .isBetween(encodedH * 9 / 10, encodedH);
            } finally {
                page.close();
            }
        }
    }

    /** Our offer, Chromium's answer. */
    private static void negotiate(RTCPeerConnection pc, BrowserPage page, boolean gather) throws Exception {
        if (gather) {
            ChromiumPeers.offerGathered(pc, page, "answer");
        } else {
            pc.setLocalDescription().join();
            String answer = (String) page.evaluate("answer(" + Json.quote(pc.localDescription().sdp()) + ")", T);
            pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
        }
        assertThat(pc.signalingState()).isEqualTo(RTCSignalingState.STABLE);
    }

    /** Opus frames every 20 ms until {@code talking} turns false. */
    static void talk(PushSource mic, AtomicBoolean talking) {
        Random random = new Random(1);
        for (long i = 0; talking.get(); i++) {
            mic.push(new EncodedFrame(Codec.OPUS, SyntheticFrames.opus(random, 60), i * 960, true));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Pushes the clip, looped, 30 frames a second until {@code pushing} turns false, timestamps from {@code from}. */
    private static void pushUntil(PushSource source, List<byte[]> frames, int from, AtomicBoolean pushing) {
        for (int i = 0; pushing.get(); i++) {
            byte[] f = frames.get(i % frames.size());
            source.push(new EncodedFrame(Codec.VP8, f, (from + i) * 3000L, (f[0] & 1) == 0));
            try {
                Thread.sleep(33);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Our outbound-rtp's framesSent for the stream of {@code mid}. */
    private static long framesSent(RTCPeerConnection pc, String mid) {
        return pc.getStats().join().ofType("outbound-rtp").stream().filter(s -> mid.equals(s.members().get("mid")))
                .mapToLong(s -> ((Number) s.members().get("framesSent")).longValue()).sum();
    }

    private static long trackFrames(BrowserPage page, String mid) {
        return ((Number) page.evaluate("framesOfTrack(" + Json.quote(mid) + ")", T)).longValue();
    }

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    /** Two seconds of the clip from its first key frame, at 30 a second, timestamps going on from {@code from}. */
    private static int send(PushSource source, List<byte[]> frames, int from) throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            byte[] f = frames.get(i);
            source.push(new EncodedFrame(Codec.VP8, f, (from + i) * 3000L, (f[0] & 1) == 0));
            Thread.sleep(33);
        }
        return 60;
    }

    private static void awaitDecoded(BrowserPage page, String mid, int atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Map<String, Object> in;
        do {
            Thread.sleep(200);
            in = inbound(page, mid);
        } while ((in == null || ((Number) in.get("framesDecoded")).intValue() < atLeast) && System.nanoTime() < deadline);
        System.out.println("Chromium inbound of mid " + mid + ": " + in);
        assertThat(in).as("Chromium's inbound-rtp of mid %s", mid).isNotNull();
        assertThat(((Number) in.get("framesDecoded")).intValue()).isGreaterThanOrEqualTo(atLeast);
        assertThat(((Number) in.get("frameWidth")).intValue()).isEqualTo(320);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inbound(BrowserPage page, String mid) throws Exception {
        return (Map<String, Object>) ((Map<String, Object>) page.evaluate("inbound()", T)).get(mid);
    }

    private static long packets(BrowserPage page, String mid) {
        try {
            Map<String, Object> in = inbound(page, mid);
            return in == null ? 0 : ((Number) in.get("packetsReceived")).longValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chromiumTransceiver(BrowserPage page, String mid) throws Exception {
        for (Object o : (List<Object>) page.evaluate("transceivers()", T)) {
            Map<String, Object> t = (Map<String, Object>) o;
            if (mid.equals(t.get("mid"))) {
                return t;
            }
        }
        return null;
    }

    /** 60 VP8 frames of ffmpeg's test pattern at {@code size} (libvpx), a key frame first. */
    private static List<byte[]> vp8Frames(Path dir, String size) throws Exception {
        Path ivf = dir.resolve("pattern-" + size + ".ivf");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=" + size + ":rate=30", "-t", "2", "-c:v", "libvpx", "-b:v", "300k", "-g", "60",
                "-auto-alt-ref", "0", "-deadline", "realtime", "-y", ivf.toString()).inheritIO().start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0).as("ffmpeg").isTrue();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ivf)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(b.getShort(6));
        List<byte[]> frames = new ArrayList<>();
        while (b.remaining() >= 12) {
            byte[] f = new byte[b.getInt()];
            b.getLong();
            b.get(f);
            frames.add(f);
        }
        assertThat(frames).hasSizeGreaterThanOrEqualTo(60);
        return frames;
    }
}
