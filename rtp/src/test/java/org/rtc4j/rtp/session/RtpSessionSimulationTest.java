package org.rtc4j.rtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimEngine;
import org.rtc4j.testkit.sim.SimLink;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * A 2 Mbit/s, 30 frame/s video stream with RTX between two sessions on the simulated network, 50 ms round trip,
 * 20 simulated seconds per run.
 */
class RtpSessionSimulationTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final int SSRC = 0x1111;
    private static final int FRAMES = 600;
    private static final long FRAME_NANOS = 1_000_000_000L / 30;
    private static final int BITRATE = 2_000_000;

    /** Wraps the receiving session to note when each frame's packets arrive (by RTP timestamp). */
    static final class Recorder implements Engine<RtpSessionEvent> {
        final RtpSession session;
        final Map<Long, Instant> lastArrival = new HashMap<>();
        final List<Instant> releases = new ArrayList<>();
        final List<Duration> releaseDelays = new ArrayList<>();
        final List<EncodedFrame> frames = new ArrayList<>();
        Instant now;
        Instant previousRelease = Instant.EPOCH;

        Recorder(RtpSession session) {
            this.session = session;
        }

        @Override
        public void handleInput(Instant t, TransportAddress from, TransportAddress to, ByteBuffer data) {
            now = t;
            int pt = data.get(data.position() + 1) & 0x7F;
            if (pt == 96 || pt == 97) {
                lastArrival.put(data.getInt(data.position() + 4) & 0xFFFF_FFFFL, t);
            }
            session.handleInput(t, from, to, data);
        }

        @Override
        public void handleTimeout(Instant t) {
            now = t;
            session.handleTimeout(t);
        }

        @Override
        public Transmit pollTransmit() {
            return session.pollTransmit();
        }

        @Override
        public RtpSessionEvent pollEvent() {
            RtpSessionEvent e = session.pollEvent();
            if (e instanceof RtpSessionEvent.FrameReceived f) {
                // From the later of the frame's last packet and the release before it (in-order release).
                Instant ready = lastArrival.get(f.frame().timestamp());
                if (ready.isBefore(previousRelease)) {
                    ready = previousRelease;
                }
                releaseDelays.add(Duration.between(ready, now));
                previousRelease = now;
                frames.add(f.frame());
            }
            return e;
        }

        @Override
        public Instant pollTimeout() {
            return session.pollTimeout();
        }
    }

    record Outcome(List<Integer> indexes, Recorder recorder, RtpSession sender, int keyRequestsSeen) {
        long pli() {
            return recorder.session.inboundRtpStats().get(0).pliCount();
        }

        long dropped() {
            return recorder.session.inboundRtpStats().get(0).framesDropped();
        }
    }

    private static Outcome run(long seed, LinkConfig link) {
        return run(seed, link, Duration.ZERO, Duration.ZERO);
    }

    /** With the link down both ways from {@code downAt} for {@code downFor}. */
    private static Outcome run(long seed, LinkConfig link, Duration downAt, Duration downFor) {
        SimNetwork net = new SimNetwork(seed);
        RtpSessionConfig base = RtpSessionConfig.defaults(0x2222, "sim").withExtensions(
                new ExtensionIds(1, 0, 0, 0, 0)).withSeed(seed);
        RtpSession sender = new RtpSession(base, A, B, null, null);
        sender.addSendStream(new SendStreamConfig(SSRC, Codec.VP8, 96, "0", null, 0x3333, 97),
                new TestFormat(Codec.VP8));
        RtpSession receiver = new RtpSession(RtpSessionConfig.defaults(0x4444, "sim-rx").withExtensions(
                new ExtensionIds(1, 0, 0, 0, 0)).withSeed(seed + 1), B, A, null, null);
        receiver.addReceiveStream(ReceiveStreamConfig.of("0", Codec.VP8, 96, 97)
                .withDepacketizer(() -> new TestFormat(Codec.VP8)));
        Recorder recorder = new Recorder(receiver);
        SimEngine<RtpSessionEvent> a = net.add(sender, A);
        SimEngine<RtpSessionEvent> b = net.add(recorder, B);
        SimLink wire = net.link(a, b, link);
        if (downFor.isPositive()) {
            net.schedule(downAt, () -> wire.down(true));
            net.schedule(downAt.plus(downFor), () -> wire.down(false));
        }
        boolean[] keyNext = {true};
        int[] requests = {0};
        a.onEvent(e -> {
            if (e instanceof RtpSessionEvent.KeyFrameRequested) {
                keyNext[0] = true;
                requests[0]++;
            }
        });
        SplittableRandom sizes = new SplittableRandom(seed);
        for (int i = 0; i < FRAMES; i++) {
            int index = i;
            net.schedule(Duration.ofNanos(i * FRAME_NANOS), () -> {
                boolean key = keyNext[0];
                keyNext[0] = false;
                int mean = BITRATE / 8 / 30;
                int size = key ? 3 * mean : (int) (mean * (0.6 + 0.6 * sizes.nextDouble()));
                EncodedFrame f = new EncodedFrame(Codec.VP8, TestFormat.content(index, size), index * 3000L, key);
                sender.send(net.now(), SSRC, f);
            });
        }
        net.runFor(Duration.ofNanos(FRAMES * FRAME_NANOS).plusSeconds(3));
        List<Integer> indexes = recorder.frames.stream().map(TestFormat::index).toList();
        for (EncodedFrame f : recorder.frames) {
            assertThat(f.data()).isEqualTo(TestFormat.content(TestFormat.index(f), f.data().length));
        }
        System.out.printf("seed %d %s: %d/%d frames, max release delay %s, %s, %s%n", seed, link, indexes.size(),
                FRAMES, recorder.releaseDelays.stream().max(Duration::compareTo).orElse(Duration.ZERO),
                sender.outboundRtpStats().get(0), receiver.inboundRtpStats().get(0));
        return new Outcome(indexes, recorder, sender, requests[0]);
    }

    private static LinkConfig.Builder rtt50() {
        return LinkConfig.builder().delay(Duration.ofMillis(25));
    }

    private static void assertInOrder(List<Integer> indexes) {
        for (int i = 1; i < indexes.size(); i++) {
            assertThat(indexes.get(i)).isGreaterThan(indexes.get(i - 1));
        }
    }

    @Test
    void withoutLossEveryFrameIsReleasedWithinOneFrameIntervalOfItsLastPacket() {
        Outcome o = run(1, rtt50().build());
        assertThat(o.indexes()).hasSize(FRAMES);
        assertInOrder(o.indexes());
        assertThat(o.recorder().releaseDelays).allMatch(d -> d.toNanos() <= FRAME_NANOS);
        assertThat(o.pli()).isZero();
        assertThat(o.sender().outboundRtpStats().get(0).retransmittedPacketsSent()).isZero();
        // Reports went both ways: the sender knows the round trip from the receiver's RRs.
        RemoteInboundRtpStats remote = o.sender().remoteInboundRtpStats().get(0);
        assertThat(remote.roundTripTime()).isBetween(0.049, 0.051);
        assertThat(o.recorder().session.remoteOutboundRtpStats().get(0).roundTripTime()).isBetween(0.049, 0.051);
    }

    @Test
    void atFivePercentLossEveryFrameArrives() {
        Outcome o = run(2, rtt50().loss(0.05).build());
        assertThat(o.indexes()).hasSize(FRAMES);
        assertInOrder(o.indexes());
        assertThat(o.recorder().releaseDelays).allMatch(d -> d.toMillis() <= 5);
        assertThat(o.pli()).isZero();
        OutboundRtpStats out = o.sender().outboundRtpStats().get(0);
        assertThat(out.retransmittedPacketsSent()).isPositive();
        assertThat(out.nackCount()).isPositive();
    }

    @Test
    void atTwentyPercentLossNinetyNinePercentArriveInOrder() {
        Outcome o = run(3, rtt50().loss(0.20).build());
        assertThat(o.indexes().size()).isGreaterThanOrEqualTo(FRAMES * 99 / 100);
        assertInOrder(o.indexes());
        assertThat(o.recorder().releaseDelays).allMatch(d -> d.toMillis() <= 5);
        assertThat(o.pli()).isLessThanOrEqualTo(o.dropped());
    }

    @Test
    void burstyLossAndReorderingAreRepaired() {
        Outcome o = run(4, rtt50().loss(0.05).lossBurst(3).reorder(0.05, Duration.ofMillis(15)).build());
        assertThat(o.indexes().size()).isGreaterThanOrEqualTo(FRAMES * 99 / 100);
        assertInOrder(o.indexes());
        assertThat(o.recorder().releaseDelays).allMatch(d -> d.toMillis() <= 5);
        assertThat(o.pli()).isLessThanOrEqualTo(o.dropped());
        // Packets that were only late are seldom asked for: the NACK generator learns how far the path reorders
        // (asking at the first gap, 5 % reordering drew 1.8 retransmissions per lost packet; retransmissions are
        // lost too, at the same 5 %).
        long lost = o.recorder().session.inboundRtpStats().get(0).packetsLost();
        assertThat(lost).isPositive();
        assertThat(o.sender().outboundRtpStats().get(0).retransmittedPacketsSent()).isLessThan(lost * 3 / 2);
    }

    /**
     * An outage longer than the sender's history (1 s) leaves a gap no retransmission can fill: the receiver
     * drops the broken frames, asks for a key frame (PLI) once, and every frame from the key frame on arrives, in
     * order; before the outage, no key frame was asked for.
     */
    @Test
    void anUnrepairableGapAsksForAKeyFrameOnceAndTheStreamRecovers() {
        Outcome o = run(5, rtt50().build(), Duration.ofSeconds(5), Duration.ofMillis(1500));
        assertThat(o.dropped()).isPositive();
        assertThat(o.pli()).isBetween(1L, 2L);
        assertThat(o.keyRequestsSeen()).isEqualTo((int) o.pli());
        assertInOrder(o.indexes());
        // The receiver asks for the missing packets until its give-up time (1 s), then for a key frame: every frame
        // sent from a quarter of a second after that arrives (the key frame and those after it).
        int back = (int) ((5_000_000_000L + 1_500_000_000L + 1_000_000_000L + 250_000_000L) / FRAME_NANOS);
        assertThat(o.indexes()).containsAll(java.util.stream.IntStream.range(back, FRAMES).boxed().toList());
        // Before the outage, everything arrived: the key frame request was for the gap only.
        int down = (int) (5_000_000_000L / FRAME_NANOS);
        assertThat(o.indexes()).containsAll(java.util.stream.IntStream.range(0, down - 2).boxed().toList());
    }
}
