package org.rtc4j.rtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.RtpPacket;
import org.rtc4j.rtp.TransportSequenceNumber;
import org.rtc4j.rtp.rtcp.TransportWideFeedback;
import org.rtc4j.rtp.session.internal.NtpTime;
import org.rtc4j.rtp.srtp.SrtpContext;
import org.rtc4j.rtp.srtp.SrtpMasterKey;
import org.rtc4j.rtp.srtp.SrtpProfile;

/**
 * A session that reads received packets' transport-wide sequence numbers sends transport-wide feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01) about all of them, audio, video and RTX alike, on the
 * virtual clock: every 50 to 100 ms while packets arrive, a lost packet reported lost and its retransmission
 * received, the arrival times as they were. A sender like Chromium's is played by a session that numbers its
 * packets; both sides run SRTP.
 */
class TransportFeedbackSessionTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int ID = 5;
    private static final int AUDIO = 0x1111;
    private static final int VIDEO = 0x2222;
    private static final int STEP_MS = 10;

    private static SrtpContext srtp(int keyByte) {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        byte[] k = new byte[p.keyLength()];
        java.util.Arrays.fill(k, (byte) keyByte);
        return new SrtpContext(new SrtpMasterKey(p, k, new byte[p.saltLength()]));
    }

    /** Chromium's part: numbers every packet it sends, audio, video and RTX, with one counter. */
    private static RtpSession sender() {
        RtpSessionConfig config = RtpSessionConfig.defaults(1, "a").withExtensions(new ExtensionIds(0, 0, 0, 0, ID));
        RtpSession a = new RtpSession(config, A, B, srtp(1), srtp(2));
        a.addSendStream(SendStreamConfig.of(AUDIO, Codec.OPUS, 111), new TestFormat(Codec.OPUS));
        a.addSendStream(new SendStreamConfig(VIDEO, Codec.VP8, 96, null, null, VIDEO + 1, 97),
                new TestFormat(Codec.VP8));
        return a;
    }

    private static RtpSession receiver(ExtensionIds ids) {
        RtpSession b = new RtpSession(RtpSessionConfig.defaults(2, "b").withExtensions(ids), B, A, srtp(2), srtp(1));
        b.addReceiveStream(ReceiveStreamConfig.of("a", Codec.OPUS, 111, -1)
                .withDepacketizer(() -> new TestFormat(Codec.OPUS)));
        b.addReceiveStream(ReceiveStreamConfig.of("v", Codec.VP8, 96, 97)
                .withDepacketizer(() -> new TestFormat(Codec.VP8)));
        return b;
    }

    /** What one call of {@code ticks} steps saw. */
    private static final class Run {
        final Map<Integer, Instant> delivered = new HashMap<>();
        final Set<Integer> dropped = new HashSet<>();
        final Set<Integer> rtxNumbers = new HashSet<>();
        final List<Instant> feedbackTimes = new ArrayList<>();
        final List<TransportWideFeedback> feedback = new ArrayList<>();
        int sent;
    }

    private static void timeouts(RtpSession s, Instant now) {
        Instant due = s.pollTimeout();
        if (due != null && !due.isAfter(now)) {
            s.handleTimeout(now);
        }
    }

    /**
     * Audio every 20 ms, a 3-packet video frame every 30 ms, for {@code steps} steps of 10 ms from step {@code from},
     * then 200 ms with nothing sent, for the last feedback; the fifth video packet is lost.
     */
    private static Run run(RtpSession a, RtpSession b, int from, int steps) throws ParseException {
        Run run = new Run();
        int video = 0;
        for (int step = from; step < from + steps + 20; step++) {
            Instant now = T0.plusMillis((long) step * STEP_MS);
            boolean sending = step < from + steps;
            if (sending && step % 2 == 0) {
                a.send(now, AUDIO, new EncodedFrame(Codec.OPUS, TestFormat.content(step, 80), step * 480L, true));
            }
            if (sending && step % 3 == 0) {
                a.send(now, VIDEO, new EncodedFrame(Codec.VP8, TestFormat.content(step, 3000), step * 900L,
                        step == 0));
            }
            timeouts(a, now);
            timeouts(b, now);
            for (Transmit t; (t = a.pollTransmit()) != null; ) {
                ByteBuffer d = t.payload();
                int b1 = d.get(d.position() + 1) & 0xFF;
                if (b1 < 192 || b1 > 223) {
                    RtpPacket p = RtpPacket.of(d.duplicate());
                    long at = p.findExtension(ID);
                    int number = TransportSequenceNumber.read(p.buffer(), (int) (at >>> 16), (int) (at & 0xFFFF));
                    run.sent++;
                    if (p.ssrc() == VIDEO + 1) {
                        run.rtxNumbers.add(number);
                    }
                    if (p.ssrc() == VIDEO && video++ == 4) {
                        run.dropped.add(number);
                        continue;
                    }
                    run.delivered.put(number, now);
                }
                b.handleInput(now, A, B, d);
            }
            for (Transmit t; (t = b.pollTransmit()) != null; ) {
                a.handleInput(now, B, A, t.payload());
            }
            for (RtpSessionEvent e; (e = a.pollEvent()) != null; ) {
                if (e instanceof RtpSessionEvent.CongestionFeedback(TransportWideFeedback f)) {
                    run.feedback.add(f);
                    run.feedbackTimes.add(now);
                }
            }
            while (b.pollEvent() != null) {
                // frames: not what this test is about
            }
        }
        return run;
    }

    @Test
    void acknowledgesEveryPacketOfTheTransportWithItsArrivalTime() throws Exception {
        RtpSession a = sender();
        RtpSession b = receiver(ExtensionIds.NONE.withReceivedTransportSequence(ID));
        Run run = run(a, b, 0, 100);

        assertThat(run.rtxNumbers).as("the lost packet was asked for and sent again through RTX").hasSize(1);
        Map<Integer, Long> received = new HashMap<>();
        Set<Integer> reportedLost = new HashSet<>();
        int expectedCount = 0;
        for (TransportWideFeedback f : run.feedback) {
            assertThat(f.senderSsrc()).isEqualTo(2);
            assertThat(f.feedbackCount()).isEqualTo(expectedCount++);
            long t = f.referenceTime() * 256L;
            for (int i = 0; i < f.deltas().length; i++) {
                int number = (f.baseSequence() + i) & 0xFFFF;
                if (f.deltas()[i] == TransportWideFeedback.NOT_RECEIVED) {
                    reportedLost.add(number);
                } else {
                    t += f.deltas()[i];
                    received.put(number, Math.floorMod(t, 256L << 24));
                }
            }
        }
        assertThat(received.keySet()).as("every delivered number, audio, video and RTX")
                .containsAll(run.delivered.keySet()).doesNotContainAnyElementsOf(run.dropped);
        assertThat(run.delivered.keySet()).containsAll(run.rtxNumbers);
        assertThat(reportedLost).isEqualTo(run.dropped);
        run.delivered.forEach((number, at) -> assertThat(received.get(number)).as("arrival of %d", number)
                .isEqualTo(Math.floorMod(NtpTime.nanos(at) / 250_000, 256L << 24)));
        assertThat(run.sent).isEqualTo(run.delivered.size() + run.dropped.size());
        assertThat(b.transportFeedbackCount()).isEqualTo(run.feedback.size());
        assertThat(b.transportSequenceDropCount()).isZero();

        // Packets arrive every 10 ms: feedback every 50 to 100 ms, from the first packet on.
        assertThat(run.feedbackTimes.get(0)).isBetween(T0.plusMillis(50), T0.plusMillis(100));
        for (int i = 1; i < run.feedbackTimes.size(); i++) {
            long gap = run.feedbackTimes.get(i).toEpochMilli() - run.feedbackTimes.get(i - 1).toEpochMilli();
            assertThat(gap).isBetween(50L, 100L);
        }
        assertThat(run.feedback.size()).isBetween(9, 20);
    }

    @Test
    void withoutTheExtensionNegotiatedNoFeedbackLeaves() throws ParseException {
        Run run = run(sender(), receiver(ExtensionIds.NONE), 0, 30);
        assertThat(run.sent).isGreaterThan(20);
        assertThat(run.feedback).isEmpty();
    }

    @Test
    void aRenegotiationThatDropsTheExtensionStopsTheFeedback() throws ParseException {
        RtpSession a = sender();
        RtpSession b = receiver(ExtensionIds.NONE.withReceivedTransportSequence(ID));
        assertThat(run(a, b, 0, 30).feedback).isNotEmpty();
        b.extensions(ExtensionIds.NONE);
        long before = b.transportFeedbackCount();
        assertThat(run(a, b, 60, 30).feedback).isEmpty();
        assertThat(b.transportFeedbackCount()).isEqualTo(before);
    }

    /**
     * Noting numbers and sending the feedback allocate nothing per packet once warm: the same packets received with
     * the extension negotiated and without (then no feedback) allocate the same, but for a few bytes per feedback
     * packet (the session's next timeout as an Instant). Packets of an SSRC no stream takes, so that frames allocate
     * nothing either. Counted with the JVM's per-thread allocation counter, as WarmPathAllocationTest does.
     */
    @Test
    void notingNumbersAndSendingFeedbackAllocateNothingPerPacket() throws ParseException {
        RtpSessionConfig config = RtpSessionConfig.defaults(1, "a").withExtensions(new ExtensionIds(0, 0, 0, 0, ID));
        RtpSession a = new RtpSession(config, A, B, null, null);
        a.addSendStream(SendStreamConfig.of(VIDEO, Codec.VP8, 96), new TestFormat(Codec.VP8));
        a.send(T0, VIDEO, new EncodedFrame(Codec.VP8, TestFormat.content(0, 1000), 0, true));
        byte[] packet = a.pollTransmit().bytes();
        int offset = (int) (RtpPacket.of(ByteBuffer.wrap(packet)).findExtension(ID) >>> 16);
        Instant[] times = new Instant[10_000];
        for (int i = 0; i < times.length; i++) {
            times[i] = T0.plusNanos(i * 1_000_000L);
        }
        RtpSession plain = new RtpSession(RtpSessionConfig.defaults(2, "b"), B, A, null, null);
        RtpSession withFeedback = new RtpSession(RtpSessionConfig.defaults(2, "b")
                .withExtensions(ExtensionIds.NONE.withReceivedTransportSequence(ID)), B, A, null, null);
        long[] bytes = new long[2];
        int packets = 0;
        for (int round = 0; round < 2; round++) {
            RtpSession b = round == 0 ? plain : withFeedback;
            ByteBuffer in = ByteBuffer.allocate(2048);
            ByteBuffer out = ByteBuffer.allocate(2048);
            packets = 0;
            for (int pass = 0; pass < 2; pass++) {
                // The first pass warms up; the second, on from where it stopped, is counted.
                long before = allocated();
                for (int ms = pass * 5_000; ms < (pass + 1) * 5_000; ms++) {
                    for (int k = 0; k < 4; k++, packets++) {
                        int n = 4 * ms + k;
                        in.clear().put(packet).flip();
                        in.putShort(2, (short) n);
                        in.putShort(offset, (short) n);
                        b.handleInput(times[ms], A, B, in);
                    }
                    if (!b.pollTimeout().isAfter(times[ms])) {
                        b.handleTimeout(times[ms]);
                    }
                    while (b.pollTransmit(out.clear())) {
                        // sent
                    }
                }
                bytes[round] = allocated() - before;
            }
        }
        assertThat(withFeedback.transportFeedbackCount()).isGreaterThan(150);
        assertThat(bytes[1] - bytes[0]).as("bytes beyond the same packets without feedback, %d packets", packets / 2)
                .isLessThan(packets / 2 / 4);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
