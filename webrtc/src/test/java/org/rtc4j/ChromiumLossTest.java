package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.ChromiumCodecsTest.T;
import static org.rtc4j.ChromiumCodecsTest.number;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.media.MediaDevices;
import org.rtc4j.media.MediaSettings;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamConstraints;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.SyntheticDevices;
import org.rtc4j.rtp.Codec;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.LossyUdpRelay;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;
import org.rtc4j.testkit.browser.PageServer;

/**
 * A lossy call between Chromium and rtc4j: every datagram between them crosses a relay that drops 5 % of them
 * (seeded), both ways, ICE candidates rewritten to go through it. Video flows both ways in H.264 with RTX:
 * Chromium's fake camera to us keeps at least 99 % of its frames, repaired by our NACKs; our encoded synthetic
 * camera to Chromium is repaired by our answers to its NACKs, so that it drops under 1 % of the frames it gets.
 */
@Timeout(150)
class ChromiumLossTest {

    private static final double LOSS = 0.05;
    private static PageServer server;
    private static Chromium chromium;

    @BeforeAll
    static void launch() throws Exception {
        LoopbackNamespace.require();
        server = PageServer.start();
        server.classpath("/media-codecs.html", ChromiumLossTest.class, "media-codecs.html");
        chromium = Chromium.launch();
    }

    @AfterAll
    static void shutdown() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void nackAndRtxRepairFivePercentLossBothWays() throws Exception {
        MediaDevices devices = new MediaDevices(MediaSettings.defaults().withSyntheticDevices(SyntheticDevices.ONLY)
                .withSyntheticVideo(ChromiumCodecsTest.W, ChromiumCodecsTest.H, 30));
        MediaStream local = devices.getUserMedia(MediaStreamConstraints.of(false, true)).get(10, TimeUnit.SECONDS);
        MediaStreamTrack camera = local.getTracks().get(0);
        BrowserPage page = chromium.open(server.uri("/media-codecs.html"));
        String offer = (String) page.evaluate("offerCamera('video/H264')", T);
        try (var relay = LossyUdpRelay.start(LossyUdpRelay.firstUdpCandidate(offer), LOSS, 20261202);
             var pc = new RTCPeerConnection(RTCConfiguration.defaults(),
                     RTCSettings.defaults().withLoopbackCandidates(true))) {
            AtomicInteger received = new AtomicInteger();
            pc.onTrack(e -> e.track().addSink(MediaSink.encoded(f -> {
                if (f.codec() == Codec.H264) {
                    received.incrementAndGet();
                }
            })));
            pc.setRemoteDescription(RTCSessionDescription.offer(LossyUdpRelay.rewriteCandidates(offer,
                    relay.leftFacing()))).join();
            RTCRtpSender sender = pc.addTrack(camera, local);
            ChromiumMediaTest.setLocalAndGather(pc);
            String answer = LossyUdpRelay.rewriteCandidates(pc.localDescription().sdp(), relay.rightFacing());
            assertThat(page.evaluate("accept(" + Json.quote(answer) + ")", T)).isEqualTo("stable");
            assertThat(sender.getParameters().codecs()).extracting(c -> c.codec().mimeType())
                    .containsExactly("video/H264", "video/rtx");

            ChromiumCodecsTest.await(() -> received.get() >= 150, 60);
            page.evaluate("stopSending()", T);
            camera.stop();
            Thread.sleep(2000);   // the last repairs
            long encoded = number(ChromiumCodecsTest.outbound(page, "video"), "framesEncoded");
            Map<String, Object> theirs = ChromiumCodecsTest.inbound(page, "video");
            RTCStatsReport ours = pc.getStats().join();
            RTCStats in = ours.ofType("inbound-rtp").stream().filter(s -> "video".equals(s.get("kind")))
                    .findFirst().orElseThrow();
            RTCStats out = ours.ofType("outbound-rtp").stream().filter(s -> "video".equals(s.get("kind")))
                    .findFirst().orElseThrow();
            System.out.printf("relay dropped %d of %d datagrams; Chromium encoded %d, we received %d (%s); "
                            + "we sent %s; Chromium received %s%n", relay.dropped(),
                    relay.dropped() + relay.forwarded(), encoded, received.get(), in.members(), out.members(), theirs);

            assertThat(relay.dropped()).isGreaterThan((relay.dropped() + relay.forwarded()) / 50);
            // Chromium to us: at least 99 % of its frames whole, repaired by our NACKs and its RTX.
            assertThat((long) received.get()).as("frames received whole of %d encoded", encoded)
                    .isGreaterThanOrEqualTo(encoded * 99 / 100);
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
}
