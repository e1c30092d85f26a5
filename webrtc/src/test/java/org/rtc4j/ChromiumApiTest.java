package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.ChromiumCodecsTest.T;
import static org.rtc4j.ChromiumCodecsTest.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaDevices;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.codec.DecodingSink;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.media.MediaSettings;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamConstraints;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.SyntheticDevices;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Json;

/**
 * The rest of the RTP API against headless Chromium (a peer we did not write): what each side's receivers report
 * of the other's sources (W3C section 5.4, audio levels of RFC 6464 both ways), the streams of our answer's
 * sections (a=msid), a codec change mid-call, and an encoding scaled and thinned (scaleResolutionDownBy,
 * maxFramerate) as Chromium sees it.
 */
@Timeout(150)
class ChromiumApiTest {

    @AutoClose
    private static ChromiumPeers chromium;

    @BeforeAll
    static void launch() throws Exception {
        chromium = ChromiumPeers.start("media-codecs.html");
    }

    /**
     * Our synthetic microphone's tone (a sine at a tenth of full scale, -23 dBov, and a beep at half each second)
     * encoded to Opus carries its level, which Chromium's receiver reports; Chromium's fake microphone's level
     * reaches our receiver's synchronization source.
     */
    @Test
    void audioLevelsReachEachSidesSynchronizationSources() throws Exception {
        MediaStream local = synthetic(true, false);
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            pc.addTrack(local.getTracks().get(0), local);
            ChromiumPeers.setLocalAndGather(pc);
            String answer = (String) page.evaluate("answer(" + Json.quote(pc.localDescription().sdp()) + ", true)",
                    T);
            pc.setRemoteDescription(RTCSessionDescription.answer(answer)).join();
            RTCRtpReceiver ours = pc.getReceivers().get(0);
            await(() -> !ours.getSynchronizationSources().isEmpty() && theirAudioLevel(page) != null, 30);
            Thread.sleep(1500);   // past the first packets, and across a beep of ours
            double max = 0;
            double theirs = 0;
            for (int i = 0; i < 40; i++) {
                Double level = theirAudioLevel(page);
                max = Math.max(max, level == null ? -1 : level);
                Double ourLevel = ours.getSynchronizationSources().get(0).audioLevel();
                theirs = Math.max(theirs, ourLevel == null ? -1 : ourLevel);
                Thread.sleep(50);
            }
            System.out.printf("Chromium's receiver: our level up to %.3f; ours: Chromium's up to %.3f%n", max, theirs);
            assertThat(max).as("our tone's level as Chromium reports it").isBetween(0.05, 0.7);
            assertThat(theirs).as("Chromium's microphone's level as we report it").isPositive().isLessThanOrEqualTo(1);
            assertThat(ours.getSynchronizationSources().get(0).source())
                    .isEqualTo(number(inboundSsrc(pc)));
            local.getTracks().forEach(MediaStreamTrack::stop);
        } finally {
            page.close();
        }
    }

    /**
     * RFC 9429 section 5.3.1 as Chromium reads it: our answer's audio section, on a transceiver its offer made and
     * replaceTrack gave a track, is in no stream ({@code a=msid:-}); the video section addTrack reused names our
     * stream; both without track ids. Chromium's track events: no stream for the audio, ours for the video, and it
     * decodes both.
     */
    @Test
    void chromiumSeesTheStreamsOfOurAnswerToItsOffer() throws Exception {
        MediaStream local = synthetic(true, true);
        MediaStreamTrack mic = local.getAudioTracks().get(0);
        MediaStreamTrack camera = local.getVideoTracks().get(0);
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            String offer = (String) page.evaluate("offerCamera('video/VP8')", T);
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
            RTCRtpTransceiver audio = pc.getTransceivers().stream().filter(t -> t.receiver().track().kind()
                    == org.rtc4j.media.MediaKind.AUDIO).findFirst().orElseThrow();
            audio.sender().replaceTrack(mic).join();
            audio.setDirection(RTCRtpTransceiverDirection.SENDRECV);
            MediaStream stream = new MediaStream(List.of());
            pc.addTrack(camera, stream);
            assertThat(ChromiumPeers.answerGathered(page, pc)).isEqualTo("stable");
            String answer = pc.localDescription().sdp();
            assertThat(answer).contains("a=msid:-\r\n", "a=msid:" + stream.id() + "\r\n");

            await(() -> {
                Map<String, Object> in = ChromiumCodecsTest.inbound(page, "video");
                return ChromiumCodecsTest.number(in, "framesDecoded") > 10
                        && ChromiumCodecsTest.number(ChromiumCodecsTest.inbound(page, "audio"), "packetsReceived") > 20;
            }, 30);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> events = (List<Map<String, Object>>) page.evaluate("trackEvents()", T);
            System.out.println("Chromium's track events: " + events);
            assertThat(events).containsExactlyInAnyOrder(Map.of("kind", "audio", "streams", List.of()),
                    Map.of("kind", "video", "streams", List.of(stream.id())));
            local.getTracks().forEach(MediaStreamTrack::stop);
        } finally {
            page.close();
        }
    }

    /**
     * The send codec follows renegotiation (RFC 3264 section 8.3.2): a call in VP8 both ways, then Chromium puts
     * H.264 first (setCodecPreferences) and offers again; our answer takes its order, and from then on both sides
     * send H.264 on the same SSRCs. Chromium decodes our pattern in H.264 (its counter read from the pixels
     * advances) and we decode its camera in H.264.
     */
    @Test
    void vp8ToH264MidCallBothWaysDecodedOnBothSides() throws Exception {
        MediaStream local = synthetic(false, true);
        Map<Codec, AtomicInteger> decoded = new ConcurrentHashMap<>();
        DecodingSink decoder = new DecodingSink(MediaSink.video(f -> { }));
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            RTCRtpSender sender = pc.addTrack(local.getVideoTracks().get(0), local);
            RTCRtpTransceiver video = pc.getTransceivers().get(0);
            List<RTCRtpCodec> all = new java.util.ArrayList<>(RTCRtpReceiver.getCapabilities("video").codecs());
            all.sort(java.util.Comparator.comparing(c -> c.mimeType().equals("video/VP8") ? 0 : 1));
            video.setCodecPreferences(all);
            pc.onTrack(e -> e.track().addSink(new MediaSink() {
                @Override
                public void onEncodedFrame(EncodedFrame f) {
                    long before = decoder.dropped();
                    decoder.onEncodedFrame(f);
                    if (decoder.dropped() == before) {
                        decoded.computeIfAbsent(f.codec(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }));
            ChromiumPeers.offerGathered(pc, page, "(o => answer(o, true))");
            await(() -> count(decoded, Codec.VP8) > 30 && chromiumDecoded(page) > 30, 30);
            assertThat(page.evaluate("videoCodec('inbound')", T)).isEqualTo("video/VP8");
            assertThat(sender.getParameters().codecs().get(0).codec().mimeType()).isEqualTo("video/VP8");

            video.setCodecPreferences(List.of());   // the offer's order from now on
            String offer = (String) page.evaluate("reofferPreferring('video/H264')", T);
            pc.setRemoteDescription(RTCSessionDescription.offer(offer)).join();
            pc.setLocalDescription().join();   // gathering was complete already: no wait
            assertThat(ChromiumPeers.accept(page, pc)).isEqualTo("stable");
            assertThat(sender.getParameters().codecs().get(0).codec().mimeType()).isEqualTo("video/H264");
            long before = chromiumDecoded(page);
            await(() -> count(decoded, Codec.H264) > 30 && "video/H264".equals(evaluate(page, "videoCodec('inbound')"))
                    && chromiumDecoded(page) > before + 30, 30);
            long counter1 = ((Number) page.evaluate("readCounter()", T)).longValue();
            Thread.sleep(1000);
            long counter2 = ((Number) page.evaluate("readCounter()", T)).longValue();
            System.out.printf("decoded here %s (%d not decodable); Chromium decoded %d, then %d; counters %d -> %d%n",
                    decoded, decoder.dropped(), before, chromiumDecoded(page), counter1, counter2);
            assertThat(evaluate(page, "videoCodec('outbound')")).isEqualTo("video/H264");
            assertThat(counter1).as("our pattern's counter in Chromium's H.264 picture").isNotNegative();
            assertThat(counter2).isGreaterThan(counter1 + 10);
            assertThat(pc.getStats().join().ofType("inbound-rtp")).as("one stream, its codec changed").hasSize(1);
            assertThat(decoder.dropped()).isLessThan(5);
            local.getTracks().forEach(MediaStreamTrack::stop);
        } finally {
            page.close();
        }
    }

    /**
     * scaleResolutionDownBy and maxFramerate on our encoded camera (W3C section 5.2): 320x240 at 30 fps sent at
     * half the size and 15 fps; getParameters gives them back, Chromium decodes 160x120 pictures at about 15 a
     * second, and our outbound-rtp's encoder stats agree with what Chromium decoded.
     */
    @Test
    void chromiumSeesOurScaledResolutionAndFrameRate() throws Exception {
        MediaStream local = synthetic(false, true);
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            RTCRtpSender sender = pc.addTrack(local.getVideoTracks().get(0), local);
            ChromiumPeers.offerGathered(pc, page, "(o => answer(o, false))");
            await(() -> chromiumDecoded(page) > 20, 30);
            assertThat(ChromiumCodecsTest.number(ChromiumCodecsTest.inbound(page, "video"), "frameWidth"))
                    .isEqualTo(320);

            RTCRtpSendParameters p = sender.getParameters();
            sender.setParameters(p.withEncodings(List.of(p.encodings().get(0).withScaleResolutionDownBy(2)
                    .withMaxFramerate(15)))).join();
            assertThat(sender.getParameters().encodings().get(0)).satisfies(e -> {
                assertThat(e.scaleResolutionDownBy()).isEqualTo(2);
                assertThat(e.maxFramerate()).isEqualTo(15);
            });
            await(() -> ChromiumCodecsTest.number(ChromiumCodecsTest.inbound(page, "video"), "frameWidth") == 160, 20);
            long decoded0 = chromiumDecoded(page);
            long encoded0 = (long) outboundVideo(pc).get("framesEncoded");
            Thread.sleep(3000);
            Map<String, Object> theirs = ChromiumCodecsTest.inbound(page, "video");
            RTCStats ours = outboundVideo(pc);
            long encoded = (long) ours.get("framesEncoded") - encoded0;
            long decoded = chromiumDecoded(page) - decoded0;
            System.out.printf("in 3 s we encoded %d pictures (%s), Chromium decoded %d: %s%n", encoded,
                    ours.members(), decoded, theirs);
            assertThat(ChromiumCodecsTest.number(theirs, "frameWidth")).isEqualTo(160);
            assertThat(ChromiumCodecsTest.number(theirs, "frameHeight")).isEqualTo(120);
            assertThat(ours.members()).containsEntry("frameWidth", 160L).containsEntry("frameHeight", 120L);
            // 15 a second, give or take the loaded machine's pacing of the camera
            assertThat(encoded).as("pictures encoded in 3 s at maxFramerate 15").isBetween(25L, 48L);
            assertThat(decoded).as("Chromium decoded what we encoded").isBetween(encoded - 5, encoded + 5);
            assertThat((double) ours.get("framesPerSecond")).isLessThanOrEqualTo(16);
            local.getTracks().forEach(MediaStreamTrack::stop);
        } finally {
            page.close();
        }
    }

    /**
     * H.264 packetization-mode 0 (RFC 6184 section 6.2) as the only codec: Chromium answers it, and we send an
     * H.264 stream whose slices fit a packet (x264 with slice-max-size, passed through) as single NAL unit
     * packets only: one RTP packet per NAL unit (mode 1 would aggregate the parameter sets and small slices in
     * STAP-A), Chromium decoding them. A frame with a NAL unit over the MTU (a picture of our own encoder, one
     * slice) is not sent at all.
     */
    @Test
    void h264SingleNalUnitModeSendsOnePacketPerNalUnit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("slices.h264");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30",
                "-t", "3", "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-x264-params",
                "slice-max-size=1000:keyint=30:bframes=0", "-f", "h264", file.toString()).redirectErrorStream(true)
                .start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).isZero();
        List<EncodedFrame> frames = new java.util.ArrayList<>();
        try (var reader = new org.rtc4j.media.container.AnnexBReader(java.nio.file.Files.newInputStream(file), 30)) {
            for (var f = reader.read(); f != null; f = reader.read()) {
                frames.add(f.frame());
            }
        }
        long units = frames.stream().mapToLong(f -> nalUnits(f.data())).sum();
        org.rtc4j.media.PushSource source = new org.rtc4j.media.PushSource(org.rtc4j.media.MediaKind.VIDEO, "x264");
        BrowserPage page = chromium.open();
        try (var pc = ChromiumPeers.loopbackPeer()) {
            RTCRtpSender sender = pc.addTrack(source.createTrack());
            RawMediaPeersTest.prefer(pc.getTransceivers().get(0), "video/H264",
                    "packetization-mode=0;profile-level-id=42e01f");
            ChromiumPeers.offerGathered(pc, page, "(o => answer(o, false))");
            assertThat(sender.getParameters().codecs().get(0).codec().sdpFmtpLine())
                    .contains("packetization-mode=0");
            await(() -> pc.connectionState() == RTCPeerConnectionState.CONNECTED, 20);
            // a picture of our own encoder: one slice of several kilobytes, refused whole
            var big = new org.rtc4j.media.codec.H264Encoder(1_000_000).encode(
                    new org.rtc4j.media.SyntheticVideo(320, 240, 30).frame(0));
            source.push(big);
            for (EncodedFrame f : frames) {
                source.push(f);
                Thread.sleep(33);
            }
            Thread.sleep(1000);
            RTCStats out = outboundVideo(pc);
            long decoded = chromiumDecoded(page);
            System.out.printf("%d frames of %d NAL units (largest %d bytes) and one of %d bytes; we sent %s; Chromium "
                    + "decoded %d%n", frames.size(), units, frames.stream().mapToInt(f -> f.data().length).max()
                    .orElse(0), big.data().length, out.members(), decoded);
            assertThat((long) out.get("framesSent")).isEqualTo(frames.size());
            assertThat((long) out.get("packetsSent")).as("one packet per NAL unit").isEqualTo(units);
            assertThat(decoded).isGreaterThanOrEqualTo(frames.size() * 9L / 10);
        } finally {
            page.close();
        }
    }

    /** The NAL units of an Annex B access unit (start codes 00 00 01, 00 00 00 01). */
    private static int nalUnits(byte[] au) {
        int n = 0;
        for (int i = 0; i + 2 < au.length; i++) {
            if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
                n++;
                i += 2;
            }
        }
        return n;
    }

    /** getUserMedia's synthetic devices: the tone, the pattern at 320x240 and 30 fps. */
    private static MediaStream synthetic(boolean audio, boolean video) throws Exception {
        return new MediaDevices(MediaSettings.defaults().withSyntheticDevices(SyntheticDevices.ONLY)
                .withSyntheticVideo(320, 240, 30)).getUserMedia(MediaStreamConstraints.of(audio, video))
                .get(10, TimeUnit.SECONDS);
    }

    private static RTCStats outboundVideo(RTCPeerConnection pc) {
        return pc.getStats().join().ofType("outbound-rtp").stream().filter(s -> "video".equals(s.get("kind")))
                .findFirst().orElseThrow();
    }

    private static int count(Map<Codec, AtomicInteger> decoded, Codec codec) {
        AtomicInteger n = decoded.get(codec);
        return n == null ? 0 : n.get();
    }

    private static long chromiumDecoded(BrowserPage page) {
        return ChromiumCodecsTest.number(ChromiumCodecsTest.inbound(page, "video"), "framesDecoded");
    }

    private static Object evaluate(BrowserPage page, String script) {
        try {
            return page.evaluate(script, T);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Double theirAudioLevel(BrowserPage page) {
        try {
            Map<String, Object> all = (Map<String, Object>) page.evaluate("sources()", T);
            List<Map<String, Object>> audio = (List<Map<String, Object>>) all.get("audio");
            if (audio == null || audio.isEmpty() || audio.get(0).get("audioLevel") == null) {
                return null;
            }
            return ((Number) audio.get(0).get("audioLevel")).doubleValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object inboundSsrc(RTCPeerConnection pc) {
        return pc.getStats().join().ofType("inbound-rtp").get(0).get("ssrc");
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }
}
