package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.sdp.SessionDescription;
import org.rtc4j.rtp.Codec;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;

/**
 * Media between rtc4j and headless Chromium (a peer we did not write), both ways. Chromium's fake camera and
 * microphone to rtc4j: Chromium offers audio and video, with a data channel or without; our answer (recvonly transceivers made
 * from its offer) is accepted; DTLS-SRTP keys both ends, and the track events' tracks deliver Chromium's VP8
 * frames whole and its Opus packets. rtc4j's VP8 to Chromium: our offer accepted, our frames decoded.
 */
@Timeout(120)
class ChromiumMediaTest {

    private static final Duration T = Duration.ofSeconds(30);
    @AutoClose
    private static ChromiumPeers chromium;

    @BeforeAll
    static void launch() throws Exception {
        chromium = ChromiumPeers.start("media-peer.html", Chromium.FAKE_MEDIA_DEVICES);
    }


    @ParameterizedTest(name = "with a data channel: {0}")
    @ValueSource(booleans = {true, false})
    void chromiumCameraAndMicrophoneReachOurTracks(boolean withData) throws Exception {
        cameraAndMicrophoneToOurTracks(withData, null);
    }

    /**
     * Chromium's offer with a transport per section under one BUNDLE group (RFC 9143 allows it; bundlePolicy
     * max-compat): our answer bundles everything on the first section's transport, and media flows on it.
     */
    @Test
    void aSectionPerTransportOfferIsAnsweredBundled() throws Exception {
        cameraAndMicrophoneToOurTracks(true, "max-compat");
    }

    private void cameraAndMicrophoneToOurTracks(boolean withData, String bundlePolicy) throws Exception {
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            List<RTCTrackEvent> tracks = new CopyOnWriteArrayList<>();
            AtomicInteger audio = new AtomicInteger();
            AtomicInteger video = new AtomicInteger();
            AtomicInteger keyFrames = new AtomicInteger();
            pc.onTrack(e -> {
                tracks.add(e);
                e.track().addSink(MediaSink.encoded(f -> {
                    if (f.codec() == Codec.VP8) {
                        video.incrementAndGet();
                        keyFrames.addAndGet(f.keyFrame() ? 1 : 0);
                    } else if (f.codec() == Codec.OPUS) {
                        audio.incrementAndGet();
                    }
                }));
            });
            String offer = (String) page.evaluate("offerCamera(" + withData + ", "
                    + (bundlePolicy == null ? "null" : Json.quote(bundlePolicy)) + ")", T);
            List<String> ports = offer.lines().filter(l -> l.startsWith("m=")).map(l -> l.split(" ")[1]).toList();
            if (bundlePolicy != null) {
                assertThat(ports).as("a port per section").doesNotHaveDuplicates();
            }
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
            assertThat(ChromiumPeers.answerGathered(page, pc)).isEqualTo("stable");

            assertThat(tracks).extracting(e -> e.track().kind()).containsExactlyInAnyOrder(MediaKind.AUDIO,
                    MediaKind.VIDEO);
            assertThat(tracks.get(0).streams()).hasSize(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((video.get() < 60 || audio.get() < 100) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            page.evaluate("stopSending()", T);
            Thread.sleep(500);   // what was in flight arrives
            @SuppressWarnings("unchecked")
            Map<String, Object> sent = (Map<String, Object>) page.evaluate("outbound()", T);
            @SuppressWarnings("unchecked")
            Map<String, Object> sentVideo = (Map<String, Object>) sent.get("video");
            long encoded = ((Number) sentVideo.get("framesEncoded")).longValue();
            System.out.printf("Chromium encoded %d VP8 frames; received %d (%d key), %d Opus packets%n", encoded,
                    video.get(), keyFrames.get(), audio.get());
            assertThat(video.get()).as("VP8 frames received of %d Chromium encoded", encoded)
                    .isGreaterThanOrEqualTo(60).isGreaterThanOrEqualTo((int) (encoded * 9 / 10));
            assertThat(keyFrames.get()).isPositive();
            assertThat(audio.get()).isGreaterThanOrEqualTo(100);
            assertThat(pc.getTransceivers()).extracting(RTCRtpTransceiver::currentDirection)
                    .containsOnly(RTCRtpTransceiverDirection.RECVONLY);
            assertThat(pc.sctp() != null && pc.sctp().state() == RTCSctpTransportState.CONNECTED).isEqualTo(withData);

            // Our offer now (a renegotiation: the first transceiver turns inactive) keeps Chromium's m= line
            // order, data section included, and Chromium answers it.
            pc.getTransceivers().get(0).setDirection(RTCRtpTransceiverDirection.INACTIVE);
            pc.setLocalDescription().join();
            String again = (String) page.evaluate("answerAgain(" + Json.quote(pc.localDescription().sdp()) + ")", T);
            pc.setRemoteDescription(RTCSessionDescription.answer(again)).join();
            assertThat(pc.signalingState()).isEqualTo(RTCSignalingState.STABLE);
            assertThat(SessionDescription.parse(pc.localDescription().sdp()).media()).extracting(m -> m.kind())
                    .isEqualTo(SessionDescription.parse(offer).media().stream().map(m -> m.kind()).toList());
            assertThat(pc.getTransceivers().get(0).currentDirection()).isEqualTo(RTCRtpTransceiverDirection.INACTIVE);
            assertThat(pc.getTransceivers().get(1).receiver().getParameters().codecs().get(0).codec().mimeType())
                    .isEqualTo("video/VP8");
        } finally {
            page.close();
        }
    }

    /**
     * rtc4j's VP8 to Chromium: frames ffmpeg encodes now (libvpx, 320x240, an IVF file) sent through a track
     * of a PushSource; Chromium decodes at least 90 % of them at that size.
     */
    @Test
    void ourVp8FramesAreDecodedByChromium(@TempDir Path dir) throws Exception {
        Path ivf = dir.resolve("pattern.ivf");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=30", "-t", "4", "-c:v", "libvpx", "-b:v", "400k", "-g", "30",
                "-auto-alt-ref", "0", "-deadline", "realtime", "-y", ivf.toString()).inheritIO().start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0).as("ffmpeg").isTrue();
        List<byte[]> frames = ivfFrames(Files.readAllBytes(ivf));
        assertThat(frames).hasSizeGreaterThanOrEqualTo(100);

        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "ffmpeg testsrc");
            pc.addTrack(camera.createTrack(), new MediaStream());
            ChromiumPeers.offerGathered(pc, page, "answerMedia");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pc.connectionState() != RTCPeerConnectionState.CONNECTED && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pc.getTransceivers().get(0).currentDirection()).isEqualTo(RTCRtpTransceiverDirection.SENDONLY);
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                camera.push(new EncodedFrame(Codec.VP8, f, i * 3000L, (f[0] & 1) == 0));
                Thread.sleep(33);
            }
            Thread.sleep(1000);   // the last frames are decoded
            @SuppressWarnings("unchecked")
            Map<String, Object> video = (Map<String, Object>) ((Map<String, Object>) page.evaluate("inbound()", T))
                    .get("video");
            System.out.printf("sent %d VP8 frames; Chromium: %s%n", frames.size(), video);
            assertThat(((Number) video.get("framesDecoded")).intValue()).as("Chromium's framesDecoded: %s", video)
                    .isGreaterThanOrEqualTo(frames.size() * 9 / 10);
            assertThat(((Number) video.get("frameWidth")).intValue()).isEqualTo(320);
        } finally {
            page.close();
        }
    }


    /** The frames of an IVF file: a 32-byte header, then each frame after its 12-byte header (size, pts). */
    private static List<byte[]> ivfFrames(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(file, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("DKIF");
        b.position(b.getShort(6));
        List<byte[]> frames = new ArrayList<>();
        while (b.remaining() >= 12) {
            int size = b.getInt();
            b.getLong();
            byte[] f = new byte[size];
            b.get(f);
            frames.add(f);
        }
        return frames;
    }
}
