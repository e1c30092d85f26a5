package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.MediaDevices;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSettings;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamConstraints;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.SyntheticDevices;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.codec.DecodingSink;
import org.rtc4j.media.container.ContainerTrack;
import org.rtc4j.media.container.MatroskaWriter;
import org.rtc4j.media.container.OggOpusWriter;
import org.rtc4j.media.container.Y4mWriter;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.testkit.LossyUdpRelay;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;

/**
 * Raw media through the codecs, against headless Chromium (a peer we did not write), a few seconds each:
 * <ul>
 *   <li>Chromium to Java, both offer directions: its fake camera (VP8, Chromium offers) and a Y4M file of our
 *       pattern as its camera (H.264, we offer) recorded to WebM and Matroska, ffprobe finding the codec and at
 *       least 90 % of the frames Chromium encoded; its microphone to Ogg Opus that ffmpeg decodes; the H.264
 *       stream also decoded in Java, the pattern's counters read back.</li>
 *   <li>Java to Chromium: the synthetic camera encoded to H.264 and the tone to Opus; Chromium decodes at least
 *       90 % of the frames we sent at our size, its audio energy grows, and the counter read from its video's
 *       pixels advances.</li>
 *   <li>Loss: 5 % of the datagrams dropped both ways by a relay; NACK and RTX repair H.264 both ways.</li>
 * </ul>
 */
@Timeout(150)
class ChromiumCodecsTest {

    static final Duration T = Duration.ofSeconds(30);
    static final int W = 320;
    static final int H = 240;
    @AutoClose
    private static ChromiumPeers chromium;

    @BeforeAll
    static void launch() throws Exception {
        chromium = ChromiumPeers.start("media-codecs.html");
    }


    @Test
    void chromiumOffersItsCameraInVp8RecordedToWebmAndItsMicrophoneToOgg(@TempDir Path dir) throws Exception {
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer();
             var recording = new Recording(dir, Codec.VP8, W, H)) {
            pc.onTrack(e -> e.track().addSink(recording));
            String offer = (String) page.evaluate("offerCamera('video/VP8')", T);
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
            assertThat(ChromiumPeers.answerGathered(page, pc)).isEqualTo("stable");
            long encoded = recordFewSeconds(page, recording);

            assertThat(probe(recording.video, "codec_name")).isEqualTo("vp8");
            assertFramesInFile(recording.video, encoded);
            assertOggDecodes(recording.audio);
        } finally {
            page.close();
        }
    }

    @Test
    void weOfferAndChromiumSendsAY4mFileInH264RecordedToMatroskaAndDecodedHere(@TempDir Path dir) throws Exception {
        Path y4m = dir.resolve("pattern.y4m");
        SyntheticVideo pattern = new SyntheticVideo(W, H, 30);
        try (Y4mWriter w = Y4mWriter.create(y4m, 30)) {
            for (int i = 0; i < 300; i++) {
                w.write(pattern.frame(i));
            }
        }
        List<Long> counters = new CopyOnWriteArrayList<>();
        DecodingSink decoded = new DecodingSink(MediaSink.video(f -> counters.add(SyntheticVideo.readFrameCounter(f))));
        try (Chromium fileCamera = Chromium.launch("--use-file-for-fake-video-capture=" + y4m);
             var pc = ChromiumPeers.loopbackPeer();
             var recording = new Recording(dir, Codec.H264, W, H)) {
            BrowserPage page = chromium.open(fileCamera);
            pc.addTransceiver("audio", RTCRtpTransceiverInit.defaults().withDirection(RTCRtpTransceiverDirection.RECVONLY));
            RTCRtpTransceiver video = pc.addTransceiver("video",
                    RTCRtpTransceiverInit.defaults().withDirection(RTCRtpTransceiverDirection.RECVONLY));
            RawMediaPeersTest.prefer(video, "video/H264", "packetization-mode=1;profile-level-id=42e01f");
            pc.onTrack(e -> {
                e.track().addSink(recording);
                e.track().addSink(decoded);
            });
            ChromiumPeers.setLocalAndGather(pc);
            String answer = (String) page.evaluate("answer(" + Json.quote(pc.localDescription().sdp()) + ", true)", T);
            pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
            long encoded = recordFewSeconds(page, recording);
            System.out.println("our inbound-rtp: " + pc.getStats().join().ofType("inbound-rtp"));

            assertThat(probe(recording.video, "codec_name")).isEqualTo("h264");
            assertFramesInFile(recording.video, encoded);
            assertOggDecodes(recording.audio);
            List<Long> read = counters.stream().filter(c -> c >= 0).toList();
            System.out.printf("decoded %d H.264 pictures here, %d counters read (%s...)%n", counters.size(),
                    read.size(), read.stream().limit(5).toList());
            assertThat(read.size()).as("pictures whose counter reads back").isGreaterThanOrEqualTo(
                    counters.size() * 9 / 10).isGreaterThan(30);
            assertThat(read.stream().distinct().count()).isGreaterThan(30);
            assertThat(decoded.dropped()).isZero();
        }
    }

    @Test
    void ourH264PatternAndOpusToneAreDecodedByChromium() throws Exception {
        MediaStream local = synthetic(true);
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            for (MediaStreamTrack t : local.getTracks()) {
                pc.addTrack(t, local);
            }
            RTCRtpTransceiver video = pc.getTransceivers().stream()
                    .filter(t -> t.sender().track().kind() == MediaKind.VIDEO).findFirst().orElseThrow();
            RawMediaPeersTest.prefer(video, "video/H264", "packetization-mode=1;profile-level-id=42e01f");
            ChromiumPeers.setLocalAndGather(pc);
            String answer = (String) page.evaluate("answer(" + Json.quote(pc.localDescription().sdp()) + ", false)",
                    T);
            pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
            await(() -> pc.connectionState() == RTCPeerConnectionState.CONNECTED, 20);
            assertThat(video.sender().getParameters().codecs().get(0).codec().mimeType()).isEqualTo("video/H264");

            Map<String, Object> first;
            try {
                first = waitForDecoding(page);
            } finally {
                System.out.printf("Chromium: video %s, audio %s; we: %s; not encoded %d%n", inbound(page, "video"),
                        inbound(page, "audio"), pc.getStats().join().ofType("outbound-rtp"),
                        video.sender().encoder.dropped());
            }
            long counter1 = readCounter(page);
            Thread.sleep(2000);
            long counter2 = readCounter(page);
            Map<String, Object> second = inbound(page, "audio");
            for (MediaStreamTrack t : local.getTracks()) {
                t.stop();
            }
            Thread.sleep(1000);   // what is in flight is decoded
            long sent = (long) pc.getStats().join().ofType("outbound-rtp").stream()
                    .filter(s -> "video".equals(s.get("kind"))).findFirst().orElseThrow().get("framesSent");
            Map<String, Object> in = inbound(page, "video");
            System.out.printf("sent %d H.264 frames; Chromium: %s; audio %s -> %s; counters %d -> %d%n", sent, in,
                    first, second, counter1, counter2);
            assertThat(number(in, "framesDecoded")).as("Chromium's framesDecoded of the %d we sent", sent)
                    .isGreaterThanOrEqualTo(sent * 9 / 10);
            assertThat(sent).isGreaterThan(60);
            assertThat(number(in, "frameWidth")).isEqualTo(W);
            assertThat(number(in, "frameHeight")).isEqualTo(H);
            assertThat(((Number) second.get("totalAudioEnergy")).doubleValue())
                    .isGreaterThan(((Number) first.get("totalAudioEnergy")).doubleValue());
            assertThat(counter1).as("the counter in Chromium's picture").isNotNegative();
            assertThat(counter2).isGreaterThan(counter1 + 30);
        } finally {
            page.close();
        }
    }

    /**
     * A lossy call: every datagram between Chromium and us crosses a relay that drops 5 % of them (seeded), both
     * ways, ICE candidates rewritten to go through it. Video flows both ways in H.264 with RTX: Chromium's fake
     * camera to us keeps at least 99 % of its frames, repaired by our NACKs; our encoded synthetic camera to
     * Chromium is repaired by our answers to its NACKs, so that it drops under 1 % of the frames it gets.
     */
    @Test
    void nackAndRtxRepairFivePercentLossBothWays() throws Exception {
        MediaStream local = synthetic(false);
        MediaStreamTrack camera = local.getTracks().get(0);
        BrowserPage page = chromium.open();
        String offer = (String) page.evaluate("offerCamera('video/H264')", T);
        try (var relay = LossyUdpRelay.start(LossyUdpRelay.firstUdpCandidate(offer), 0.05, 20261202);
             var pc = ChromiumPeers.loopbackPeer()) {
            AtomicInteger received = new AtomicInteger();
            pc.onTrack(e -> e.track().addSink(MediaSink.encoded(f -> {
                if (f.codec() == Codec.H264) {
                    received.incrementAndGet();
                }
            })));
            pc.setRemoteDescription(RTCSessionDescription.offer(LossyUdpRelay.rewriteCandidates(offer,
                    relay.leftFacing()))).join();
            RTCRtpSender sender = pc.addTrack(camera, local);
            ChromiumPeers.setLocalAndGather(pc);
            String answer = LossyUdpRelay.rewriteCandidates(pc.localDescription().sdp(), relay.rightFacing());
            assertThat(page.evaluate("accept(" + Json.quote(answer) + ")", T)).isEqualTo("stable");
            // Every negotiated codec is listed (W3C 5.2, getParameters), the one sent first, with its RTX
            assertThat(sender.getParameters().codecs()).extracting(c -> c.codec().mimeType())
                    .startsWith("video/H264", "video/rtx");

            await(() -> received.get() >= 150, 60);
            page.evaluate("stopSending()", T);
            camera.stop();
            Thread.sleep(2000);   // the last repairs
            long encoded = number(outbound(page, "video"), "framesEncoded");
            Map<String, Object> theirs = inbound(page, "video");
            RTCStatsReport ours = pc.getStats().join();
            RTCStats in = ours.ofType("inbound-rtp").stream().filter(s -> "video".equals(s.get("kind")))
                    .findFirst().orElseThrow();
            RTCStats out = ours.ofType("outbound-rtp").stream().filter(s -> "video".equals(s.get("kind")))
                    .findFirst().orElseThrow();
            System.out.printf("relay dropped %d of %d datagrams; Chromium encoded %d, we received %d (%s); "
                            + "we sent %s; Chromium received %s%n", relay.dropped(),
                    relay.dropped() + relay.forwarded(), encoded, received.get(), in.members(), out.members(), theirs);

            assertThat(relay.dropped()).isGreaterThan((relay.dropped() + relay.forwarded()) / 50);
            // Chromium to us: at least 99 % of its frames whole, repaired by our NACKs and its RTX, and none given up
            // on. Loss in the last third of a second before it stopped cannot be repaired: no later packet shows
            // the gap (RFC 4585 NACKs answer gaps), so those frames are left out of the count.
            assertThat((long) received.get()).as("frames received whole of %d encoded", encoded)
                    .isGreaterThanOrEqualTo((encoded - 10) * 99 / 100);
            assertThat((long) in.get("framesDropped")).isLessThanOrEqualTo((long) in.get("framesReceived") / 100);
            assertThat((long) in.get("nackCount")).isPositive();
            assertThat((long) in.get("retransmittedPacketsReceived")).isPositive();
            // Us to Chromium: its NACKs answered, under 1 % of its frames dropped.
            assertThat(number(theirs, "nackCount")).isPositive();
            assertThat((long) out.get("nackCount")).isPositive();
            assertThat((long) out.get("retransmittedPacketsSent")).isPositive();
            assertThat(number(theirs, "framesReceived")).isGreaterThan(100);
            assertThat(number(theirs, "framesDropped")).isLessThan(number(theirs, "framesReceived") / 100);
        } finally {
            page.close();
        }
    }

    /** getUserMedia's synthetic camera (W x H, 30 fps, the pattern) and, if asked, microphone (the tone). */
    private static MediaStream synthetic(boolean audio) throws Exception {
        MediaDevices devices = new MediaDevices(MediaSettings.defaults().withSyntheticDevices(SyntheticDevices.ONLY)
                .withSyntheticVideo(W, H, 30));
        return devices.getUserMedia(MediaStreamConstraints.of(audio, true)).get(10, TimeUnit.SECONDS);
    }

    /** Waits until Chromium decodes video and hears audio; its audio inbound-rtp then. */
    private static Map<String, Object> waitForDecoding(BrowserPage page) throws Exception {
        await(() -> number(inbound(page, "video"), "framesDecoded") > 10
                && number(inbound(page, "audio"), "totalAudioEnergy") > 0, 20);
        return inbound(page, "audio");
    }

    private static long readCounter(BrowserPage page) throws Exception {
        return ((Number) page.evaluate("readCounter()", T)).longValue();
    }

    /** Lets Chromium send for about three seconds, stops it and returns its outbound video framesEncoded. */
    private static long recordFewSeconds(BrowserPage page, Recording recording) throws Exception {
        await(() -> recording.videoFrames() >= 90 && recording.audioFrames() >= 100, 30);
        page.evaluate("stopSending()", T);
        Thread.sleep(300);
        Map<String, Object> out = outbound(page, "video");
        // What was in flight arrives (a loaded machine may queue some): until all or nothing more for a second.
        long encoded = number(out, "framesEncoded");
        for (int i = 0, last = -1; i < 20 && recording.videoFrames() < encoded && recording.videoFrames() != last;
             i++) {
            last = recording.videoFrames();
            Thread.sleep(1000);
        }
        recording.close();
        System.out.printf("Chromium encoded %s; recorded %d video frames, %d audio%n", out,
                recording.videoFrames(), recording.audioFrames());
        return encoded;
    }

    private static void assertFramesInFile(Path file, long encoded) throws Exception {
        long frames = Long.parseLong(probe(file, "nb_read_frames"));
        assertThat(frames).as("frames in %s of the %d Chromium encoded", file.getFileName(), encoded)
                .isGreaterThanOrEqualTo(encoded * 9 / 10).isGreaterThan(60);
    }

    private static void assertOggDecodes(Path ogg) throws Exception {
        assertThat(probe(ogg, "codec_name")).isEqualTo("opus");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", ogg.toString(), "-f", "null", "-")
                .redirectErrorStream(true).start();
        String errors = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(errors).as("ffmpeg's errors decoding the Ogg Opus file").isEmpty();
    }

    /** One field of the first stream, by ffprobe (counting frames when asked for nb_read_frames). */
    static String probe(Path file, String field) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "0", "-count_frames",
                "-show_entries", "stream=" + field, "-of", "default=nw=1:nk=1", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffprobe: %s", out).isZero();
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stats(BrowserPage page, String direction, String kind) throws Exception {
        Map<String, Object> s = (Map<String, Object>) page.evaluate("stats()", T);
        Map<String, Object> d = (Map<String, Object>) ((Map<String, Object>) s.get(direction)).get(kind);
        return d == null ? Map.of() : d;
    }

    static Map<String, Object> inbound(BrowserPage page, String kind) {
        try {
            return stats(page, "inbound", kind);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> outbound(BrowserPage page, String kind) throws Exception {
        return stats(page, "outbound", kind);
    }

    static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as("condition within %d s", seconds).isTrue();
    }

    /** A received track's frames written live: video to WebM (VP8) or Matroska (H.264), Opus to Ogg. */
    static final class Recording implements MediaSink, AutoCloseable {
        final Path video;
        final Path audio;
        private final MatroskaWriter videoWriter;
        private final OggOpusWriter audioWriter;
        private final AtomicInteger videoFrames = new AtomicInteger();
        private final AtomicInteger audioFrames = new AtomicInteger();
        private boolean closed;

        Recording(Path dir, Codec codec, int width, int height) throws IOException {
            var track = List.of(ContainerTrack.video(codec, width, height));
            if (codec == Codec.VP8) {
                video = dir.resolve("video.webm");
                videoWriter = MatroskaWriter.createWebm(video, track);
            } else {
                video = dir.resolve("video.mkv");
                videoWriter = MatroskaWriter.createMatroska(video, track);
            }
            audio = dir.resolve("audio.ogg");
            audioWriter = OggOpusWriter.create(audio,
                    ContainerTrack.opus(2));
        }

        int videoFrames() {
            return videoFrames.get();
        }

        int audioFrames() {
            return audioFrames.get();
        }

        @Override
        public synchronized void onEncodedFrame(EncodedFrame frame) {
            if (closed) {
                return;
            }
            try {
                if (frame.codec().isVideo()) {
                    videoWriter.write(0, frame);
                    videoFrames.incrementAndGet();
                } else if (frame.codec() == Codec.OPUS) {
                    audioWriter.write(0, frame);
                    audioFrames.incrementAndGet();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                videoWriter.close();
                audioWriter.close();
            }
        }
    }
}
