package org.rtc4j.rtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.AudioLevel;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.CsrcAudioLevels;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.RtpHeaderWriter;
import org.rtc4j.rtp.RtpPacket;

/**
 * The sources of received frames (RFC 3550 CSRCs, RFC 6464 and RFC 6465 audio levels) go with the frame their
 * packets make, also when packets are reordered; our audio packets carry the level given with their frame.
 */
class FrameSourcesTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ExtensionIds IDS = ExtensionIds.NONE.withAudioLevels(1, 5);

    private static RtpSession receiver() {
        RtpSession r = new RtpSession(RtpSessionConfig.defaults(2, "b").withExtensions(IDS), B, A, null, null);
        r.addReceiveStream(ReceiveStreamConfig.of(null, Codec.OPUS, 111, -1).withSsrc(0x1111));
        return r;
    }

    /** A mixer's packet: SSRC 0x1111, the given CSRCs with their RFC 6465 levels, its own RFC 6464 level. */
    private static byte[] mixed(int seq, long ts, int ssrcLevel, int[] csrcs, int[] levels) {
        RtpHeaderWriter w = new RtpHeaderWriter().reset().payloadType(111).sequenceNumber(seq).timestamp(ts)
                .ssrc(0x1111);
        for (int c : csrcs) {
            w.addCsrc(c);
        }
        AudioLevel.write(w, 1, true, ssrcLevel);
        if (csrcs.length > 0) {
            CsrcAudioLevels.write(w, 5, levels, levels.length);
        }
        ByteBuffer b = ByteBuffer.allocate(w.length() + 3);
        int n = w.write(b, 0);
        b.put(n, new byte[] {(byte) 0xF8, 1, 2});   // an Opus packet of one CELT frame
        return b.array();
    }

    private static List<RtpSessionEvent.FrameReceived> frames(RtpSession s) {
        List<RtpSessionEvent.FrameReceived> out = new ArrayList<>();
        for (RtpSessionEvent e; (e = s.pollEvent()) != null; ) {
            if (e instanceof RtpSessionEvent.FrameReceived f) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void csrcsAndLevelsOfEachPacketGoWithItsFrameInOrder() {
        RtpSession r = receiver();
        byte[] p0 = mixed(100, 960, 30, new int[] {7, 8}, new int[] {10, 127});
        byte[] p1 = mixed(101, 1920, 40, new int[] {9}, new int[] {20});
        byte[] p2 = mixed(102, 2880, 50, new int[] {}, new int[] {});
        r.handleInput(T0, A, B, ByteBuffer.wrap(p0));
        // reordered: the third before the second; each frame keeps its own packet's sources
        r.handleInput(T0, A, B, ByteBuffer.wrap(p2));
        r.handleInput(T0, A, B, ByteBuffer.wrap(p1));
        List<RtpSessionEvent.FrameReceived> got = frames(r);
        assertThat(got).extracting(f -> f.frame().timestamp()).containsExactly(960L, 1920L, 2880L);
        assertThat(got.get(0).sources()).isEqualTo(new FrameSources(new int[] {7, 8}, 30, new int[] {10, 127}));
        assertThat(got.get(1).sources()).isEqualTo(new FrameSources(new int[] {9}, 40, new int[] {20}));
        assertThat(got.get(2).sources()).isEqualTo(new FrameSources(new int[0], 50, new int[0]));
    }

    @Test
    void aLevelsElementShorterOrLongerThanTheCsrcListIsReadOnlyWhereBothAre() {
        RtpSession r = receiver();
        // two CSRCs but one level; then one CSRC with a padded element of three bytes
        r.handleInput(T0, A, B, ByteBuffer.wrap(mixed(1, 0, 0, new int[] {7, 8}, new int[] {12})));
        r.handleInput(T0, A, B, ByteBuffer.wrap(mixed(2, 960, 0, new int[] {9}, new int[] {33, 44, 55})));
        List<RtpSessionEvent.FrameReceived> got = frames(r);
        assertThat(got.get(0).sources().csrcLevels()).containsExactly(12, -1);
        assertThat(got.get(1).sources().csrcLevels()).containsExactly(33);
    }

    @Test
    void ourAudioPacketsCarryTheLevelGivenWithTheFrameAndVideoNone() throws Exception {
        RtpSession a = new RtpSession(RtpSessionConfig.defaults(1, "a").withExtensions(IDS), A, B, null, null);
        a.addSendStream(SendStreamConfig.of(0x1111, Codec.OPUS, 111));
        a.send(T0, 0x1111, new EncodedFrame(Codec.OPUS, new byte[] {(byte) 0xF8, 1}, 0, true), AudioLevel.of(true, 42));
        a.send(T0, 0x1111, new EncodedFrame(Codec.OPUS, new byte[] {(byte) 0xF8, 1}, 960, true));
        List<byte[]> sent = new ArrayList<>();
        for (Transmit t; (t = a.pollTransmit()) != null; ) {
            sent.add(t.bytes());
        }
        RtpPacket p = RtpPacket.of(ByteBuffer.wrap(sent.get(0)));
        long at = p.findExtension(1);
        assertThat(at).isNotNegative();
        assertThat(AudioLevel.read(p.buffer(), (int) (at >>> 16), (int) (at & 0xFFFF)))
                .isEqualTo(new AudioLevel(true, 42));
        assertThat(RtpPacket.of(ByteBuffer.wrap(sent.get(1))).findExtension(1)).isNegative();

        RtpSession r = receiver();
        sent.forEach(d -> r.handleInput(T0, A, B, ByteBuffer.wrap(d)));
        List<RtpSessionEvent.FrameReceived> got = frames(r);
        assertThat(got.get(0).sources()).isEqualTo(new FrameSources(new int[0], 42, new int[0]));
        assertThat(got.get(1).sources()).isNull();
    }

    /**
     * A session started without the audio level extension (a video-only call) takes it when a renegotiation adds
     * it (RFC 8285 section 6): from then on our packets carry the level and the receiver reads it.
     */
    @Test
    void extensionsAddedByARenegotiationApplyToTheNextPackets() throws Exception {
        RtpSession a = new RtpSession(RtpSessionConfig.defaults(1, "a"), A, B, null, null);
        a.addSendStream(SendStreamConfig.of(0x1111, Codec.OPUS, 111));
        RtpSession r = new RtpSession(RtpSessionConfig.defaults(2, "b"), B, A, null, null);
        r.addReceiveStream(ReceiveStreamConfig.of(null, Codec.OPUS, 111, -1).withSsrc(0x1111));
        byte[] opus = {(byte) 0xF8, 1};
        a.send(T0, 0x1111, new EncodedFrame(Codec.OPUS, opus, 0, true), AudioLevel.of(true, 42));
        a.extensions(IDS);
        r.extensions(IDS);
        a.send(T0, 0x1111, new EncodedFrame(Codec.OPUS, opus, 960, true), AudioLevel.of(true, 42));
        List<byte[]> sent = new ArrayList<>();
        for (Transmit t; (t = a.pollTransmit()) != null; ) {
            sent.add(t.bytes());
        }
        assertThat(RtpPacket.of(ByteBuffer.wrap(sent.get(0))).findExtension(1)).isNegative();
        assertThat(RtpPacket.of(ByteBuffer.wrap(sent.get(1))).findExtension(1)).isNotNegative();
        sent.forEach(d -> r.handleInput(T0, A, B, ByteBuffer.wrap(d)));
        List<RtpSessionEvent.FrameReceived> got = frames(r);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).sources()).isNull();
        assertThat(got.get(1).sources()).isEqualTo(new FrameSources(new int[0], 42, new int[0]));
        assertThat(a.extensions()).isEqualTo(IDS);
    }

    @Test
    void levelsFromSamplesAndToTheW3cScale() {
        assertThat(AudioLevel.fromEnergy(0, 480)).isEqualTo(127);
        // a full-scale square wave is 0 dBov; half its amplitude about -6 dBov
        assertThat(AudioLevel.fromEnergy(480 * 32768.0 * 32768.0, 480)).isZero();
        assertThat(AudioLevel.fromEnergy(480 * 16384.0 * 16384.0, 480)).isEqualTo(6);
        assertThat(AudioLevel.toLinear(127)).isZero();
        assertThat(AudioLevel.toLinear(0)).isEqualTo(1.0);
        assertThat(AudioLevel.toLinear(20)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    }
}
