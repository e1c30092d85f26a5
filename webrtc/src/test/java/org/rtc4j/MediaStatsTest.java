package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.MediaPeersTest.await;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.internal.SyntheticFrames;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * getStats with media flowing between two connections over loopback (W3C webrtc-stats): inbound-rtp and
 * outbound-rtp count what was sent and received, each links to a codec object with the negotiated mime type and
 * payload type, and the RTCP reports make remote-inbound-rtp and remote-outbound-rtp that link back.
 */
@Timeout(90)
class MediaStatsTest {

    @Test
    void rtpStreamStatsCountTheMediaAndLinkTheirCodecs() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            PushSource mic = new PushSource(MediaKind.AUDIO, "tone");
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            MediaStreamTrack audioTrack = mic.createTrack();
            MediaStreamTrack videoTrack = camera.createTrack();
            MediaStream stream = new MediaStream(List.of(audioTrack, videoTrack));
            RTCRtpSender audioSender = pc1.addTrack(audioTrack, stream);
            RTCRtpSender videoSender = pc1.addTrack(videoTrack, stream);
            assertThat(pc1.getStats().join().ofType("outbound-rtp")).as("no stream before DTLS").isEmpty();
            PeerPair.connect(pc1, pc2);
            await(() -> pc1.connectionState() == RTCPeerConnectionState.CONNECTED
                    && pc2.connectionState() == RTCPeerConnectionState.CONNECTED);

            Random random = new Random(11);
            long audioBytes = 0;
            int videoFrames = 0;
            for (int i = 0; i < 120; i++) {
                byte[] a = SyntheticFrames.opus(random, 100);
                audioBytes += a.length;
                mic.push(new EncodedFrame(Codec.OPUS, a, i * 960L, true));
                if (i % 3 == 0) {
                    boolean key = i == 0;
                    camera.push(new EncodedFrame(Codec.VP8, SyntheticFrames.vp8(random, key, key ? 5000 : 1500),
                            i / 3 * 3000L, key));
                    videoFrames++;
                }
                Thread.sleep(2);
            }
            final int frames = videoFrames;
            await(() -> {
                RTCStats audio = inbound(pc2.getStats().join(), "audio");
                RTCStats video = inbound(pc2.getStats().join(), "video");
                return audio != null && video != null && (long) audio.get("packetsReceived") >= 120
                        && (long) video.get("framesReceived") >= frames;
            });

            RTCStatsReport received = pc2.getStats().join();
            RTCStatsReport sent = pc1.getStats().join();
            RTCStats audioIn = inbound(received, "audio");
            RTCStats videoIn = inbound(received, "video");
            assertThat(audioIn.get("packetsReceived")).isEqualTo(120L);
            assertThat(audioIn.get("bytesReceived")).isEqualTo(audioBytes);
            assertThat((long) audioIn.get("headerBytesReceived")).isGreaterThanOrEqualTo(120L * 12);
            assertThat(audioIn.get("packetsLost")).isEqualTo(0L);
            assertThat(audioIn.get("mid")).isEqualTo(pc2.getTransceivers().get(0).mid());
            assertThat(audioIn.get("transportId")).isEqualTo("T01");
            assertThat(received.get("T01")).isNotNull();
            assertThat(videoIn.get("framesReceived")).isEqualTo((long) frames);
            assertThat((long) videoIn.get("packetsReceived")).isGreaterThan(frames);

            RTCStats audioOut = outbound(sent, "audio");
            RTCStats videoOut = outbound(sent, "video");
            assertThat(audioOut.get("ssrc")).isEqualTo(audioIn.get("ssrc"));
            assertThat(videoOut.get("ssrc")).isEqualTo(videoIn.get("ssrc"));
            assertThat(audioOut.get("packetsSent")).isEqualTo(120L);
            assertThat(audioOut.get("bytesSent")).isEqualTo(audioBytes);
            assertThat(videoOut.get("bytesSent")).isEqualTo(videoIn.get("bytesReceived"));
            assertThat(videoOut.get("framesSent")).isEqualTo((long) frames);
            assertThat(audioOut.get("active")).isEqualTo(true);

            int opusPt = audioSender.getParameters().codecs().get(0).payloadType();
            int vp8Pt = videoSender.getParameters().codecs().get(0).payloadType();
            for (var report : List.of(received, sent)) {
                RTCStats opus = report.get((String) (report == received ? audioIn : audioOut).get("codecId"));
                assertThat(opus.type()).isEqualTo("codec");
                assertThat(opus.get("mimeType")).isEqualTo("audio/opus");
                assertThat(opus.get("payloadType")).isEqualTo((long) opusPt);
                assertThat(opus.get("clockRate")).isEqualTo(48000L);
                assertThat(opus.get("channels")).isEqualTo(2L);
                RTCStats vp8 = report.get((String) (report == received ? videoIn : videoOut).get("codecId"));
                assertThat(vp8.get("mimeType")).isEqualTo("video/VP8");
                assertThat(vp8.get("payloadType")).isEqualTo((long) vp8Pt);
                assertThat(vp8.get("clockRate")).isEqualTo(90000L);
            }

            // RTCP (RFC 3550 section 6.4): pc1's sender reports and pc2's receiver reports, a few seconds apart;
            // audio keeps flowing so that pc1 stays a sender.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            RTCStats remoteIn = null;
            RTCStats remoteOut = null;
            // The first receiver report may come before pc2 has a sender report to answer: no round-trip time yet.
            for (int i = 120; (remoteIn == null || remoteIn.get("roundTripTime") == null || remoteOut == null)
                    && System.nanoTime() < deadline; i++) {
                mic.push(new EncodedFrame(Codec.OPUS, SyntheticFrames.opus(random, 100), i * 960L, true));
                Thread.sleep(20);
                remoteIn = byLink(pc1.getStats().join(), "remote-inbound-rtp", audioOut.id());
                remoteOut = byLink(pc2.getStats().join(), "remote-outbound-rtp", audioIn.id());
            }
            assertThat(remoteIn).as("remote-inbound-rtp from pc2's receiver reports").isNotNull();
            assertThat(remoteIn.get("roundTripTime")).as("round-trip time (RFC 3550 section 6.4.1)").isNotNull();
            assertThat(remoteOut).as("remote-outbound-rtp from pc1's sender reports").isNotNull();
            assertThat(remoteIn.get("ssrc")).isEqualTo(audioOut.get("ssrc"));
            assertThat(remoteIn.get("codecId")).isEqualTo(audioOut.get("codecId"));
            assertThat(remoteIn.get("packetsLost")).isEqualTo(0L);
            assertThat((double) remoteIn.get("roundTripTime")).isBetween(0.0, 1.0);
            assertThat((long) remoteIn.get("roundTripTimeMeasurements")).isPositive();
            // The sender report counts what was sent when it was written: some, at most what pc1 counts now.
            RTCStats audioOutNow = pc1.getStats().join().get(audioOut.id());
            assertThat((long) remoteOut.get("packetsSent")).isPositive()
                    .isLessThanOrEqualTo((long) audioOutNow.get("packetsSent"));
            assertThat((long) remoteOut.get("bytesSent")).isPositive()
                    .isLessThanOrEqualTo((long) audioOutNow.get("bytesSent"));
            assertThat((double) remoteOut.get("remoteTimestamp")).isPositive();
            assertThat((long) remoteOut.get("reportsSent")).isPositive();
            assertThat(remoteOut.get("codecId")).isEqualTo(audioIn.get("codecId"));
            assertThat(audioOutNow.get("remoteId")).isEqualTo(remoteIn.id());
        }
    }

    private static RTCStats inbound(RTCStatsReport report, String kind) {
        return report.ofType("inbound-rtp").stream().filter(s -> kind.equals(s.get("kind"))).findFirst().orElse(null);
    }

    private static RTCStats outbound(RTCStatsReport report, String kind) {
        return report.ofType("outbound-rtp").stream().filter(s -> kind.equals(s.get("kind"))).findFirst().orElseThrow();
    }

    private static RTCStats byLink(RTCStatsReport report, String type, String localId) {
        return report.ofType(type).stream().filter(s -> localId.equals(s.get("localId"))).findFirst().orElse(null);
    }
}
