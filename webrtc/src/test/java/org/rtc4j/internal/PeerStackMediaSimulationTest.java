package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.RTCSettings;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.session.ExtensionIds;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.RtpSessionConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.rtp.session.SendStreamConfig;

/**
 * Media through two whole {@link PeerStack}s on the simulated network: SRTP keyed by the real DTLS handshake,
 * the RTP session with the real Opus and VP8 payload formats, BUNDLEd by MID on one ICE pair beside SCTP. Each
 * side sends an Opus-like audio stream (20 ms frames) and a VP8 stream (30 frames a second, a key frame each
 * second, frames of several packets) with RTX; every frame must arrive whole and in order, also through loss.
 */
class PeerStackMediaSimulationTest {

    private static final int MID_EXTENSION = 9;
    private static final int OPUS_PT = 111;
    private static final int VP8_PT = 96;
    private static final int RTX_PT = 97;
    private static final int AUDIO_RTX_PT = 112;
    private static final Duration SENDING = Duration.ofSeconds(10);

    /** What one side sends: its streams' SSRCs and the frames, kept to compare with what the other side got. */
    private static final class Sender {

        final int audioSsrc;
        final int videoSsrc;
        final List<byte[]> audio = new ArrayList<>();
        final List<byte[]> video = new ArrayList<>();
        final List<byte[]> audioReceived = new ArrayList<>();
        final List<byte[]> videoReceived = new ArrayList<>();
        final Random random;

        Sender(int ssrcBase, long seed) {
            audioSsrc = ssrcBase;
            videoSsrc = ssrcBase + 1;
            random = new Random(seed);
        }

        /** The negotiated streams, as the negotiation configures them: mid 0 audio, mid 1 video with RTX. */
        void configure(PeerStack stack) {
            MediaTransport m = stack.media();
            m.configure(RtpSessionConfig.defaults(audioSsrc + 100, "cname-" + audioSsrc)
                    .withExtensions(new ExtensionIds(MID_EXTENSION, 0, 0, 0, 0)));
            // RTX for audio too: under SRTP a stream without it is not retransmitted (RFC 3711 section 9.1).
            m.addSendStream(new SendStreamConfig(audioSsrc, Codec.OPUS, OPUS_PT, "0", null, audioSsrc + 1000, AUDIO_RTX_PT));
            m.addSendStream(new SendStreamConfig(videoSsrc, Codec.VP8, VP8_PT, "1", null, videoSsrc + 1000, RTX_PT));
            m.addReceiveStream(ReceiveStreamConfig.of("0", Codec.OPUS, OPUS_PT, AUDIO_RTX_PT));
            m.addReceiveStream(ReceiveStreamConfig.of("1", Codec.VP8, VP8_PT, RTX_PT));
        }

        /** Frame {@code i} of the audio (every 20 ms) and, every third, video (30 a second). */
        void sendFrame(PeerStack stack, Instant now, int i) {
            byte[] a = SyntheticFrames.opus(random, 60 + random.nextInt(100));
            audio.add(a);
            stack.media().send(now, audioSsrc, new EncodedFrame(Codec.OPUS, a, i * 960L, true));
            if (i % 3 == 0) {
                int v = i / 3;
                boolean key = v % 30 == 0;
                byte[] f = SyntheticFrames.vp8(random, key, key ? 9000 : 800 + random.nextInt(3000));
                video.add(f);
                stack.media().send(now, videoSsrc, new EncodedFrame(Codec.VP8, f, v * 3000L, key));
            }
            stack.drive(now);
        }

        /** Records the frames the other side's streams delivered. */
        void receive(PeerEvent e) {
            if (e instanceof PeerEvent.Media(RtpSessionEvent.FrameReceived f)) {
                (f.frame().codec() == Codec.OPUS ? audioReceived : videoReceived).add(f.frame().data());
            }
        }
    }

    @ParameterizedTest(name = "{0} % loss")
    @ValueSource(ints = {0, 5})
    void everyFrameArrivesWholeBothWays(int lossPercent) throws Exception {
        PeerStackSimulationTest.Call call = new PeerStackSimulationTest.Call(1700 + lossPercent,
                RTCSettings.defaults());
        Sender a = new Sender(0x1000_0000, 1);
        Sender b = new Sender(0x2000_0000, 2);
        a.configure(call.a);
        b.configure(call.b);
        call.pa.onEvent(a::receive);
        call.pb.onEvent(b::receive);
        call.connect();
        assertThat(call.a.media().running() && call.b.media().running()).as("SRTP keyed on both sides").isTrue();
        // A receiver cannot ask for what it never knew existed: the streams' first packets, and a lost last packet
        // that no later one reveals (RFC 4585 NACKs gaps). So the loss starts after the first frames, and a
        // second of frames follows those counted.
        int counted = (int) (SENDING.toMillis() / 20);
        int tail = 50;
        for (int i = 0; i < counted + tail; i++) {
            if (i == 3) {
                call.impair(lossPercent / 100.0);
            }
            a.sendFrame(call.a, call.pump.now(), i);
            b.sendFrame(call.b, call.pump.now(), i);
            call.pump.runFor(Duration.ofMillis(20));
        }
        call.pump.runUntil(() -> complete(a, b, counted) && complete(b, a, counted), Duration.ofSeconds(5));

        assertReceived(a, b, counted);
        assertReceived(b, a, counted);
        for (PeerStack stack : List.of(call.a, call.b)) {
            var session = stack.media().session();
            assertThat(session.malformedCount() + session.unknownSsrcCount())
                    .as("every packet taken: %s", stack.describe()).isZero();
            assertThat(session.srtpDropCount()).as("SRTP drops: %s", stack.describe()).isZero();
            assertThat(session.unansweredNackCount()).as("NACKs left unanswered: %s", stack.describe()).isZero();
        }
        var rtx = call.b.media().session().inboundRtpStats();
        if (lossPercent > 0) {
            assertThat(call.a.media().session().outboundRtpStats()).as("video repaired through RTX")
                    .anyMatch(s -> s.retransmittedPacketsSent() > 0);
        }
        assertThat(rtx).isNotEmpty();
    }

    /** Whether the first {@code counted} audio frames (and the video frames sent with them) arrived. */
    private static boolean complete(Sender from, Sender to, int counted) {
        return to.audioReceived.size() >= counted && to.videoReceived.size() >= videoFrames(counted);
    }

    private static int videoFrames(int audioFrames) {
        return (audioFrames + 2) / 3;
    }

    /** The first frames arrived whole, in order, none missing: the receiver's list starts with the sender's. */
    private static void assertReceived(Sender from, Sender to, int counted) {
        assertSamePrefix("audio", from.audio, to.audioReceived, counted);
        assertSamePrefix("video", from.video, to.videoReceived, videoFrames(counted));
    }

    private static void assertSamePrefix(String kind, List<byte[]> sent, List<byte[]> received, int count) {
        assertThat(received.size()).as("%s frames received", kind).isGreaterThanOrEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(Arrays.equals(received.get(i), sent.get(i))).as("%s frame %d of %d", kind, i, count).isTrue();
        }
    }
}
