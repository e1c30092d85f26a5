package org.rtc4j.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/** The simulated network's links and clock do what their settings say, the same way for the same seed. */
class SimNetworkTest {

    static TransportAddress udp(String text) {
        return TransportAddress.parse(Transport.UDP, text);
    }

    /** A payload that carries its send time, so the receiver can measure the one-way delay. */
    static byte[] stamped(SimNetwork net, int seq, int size) {
        return ByteBuffer.allocate(size).putLong(net.clock().nanos()).putInt(seq).array();
    }

    static long sentAt(Datagram d) {
        return ByteBuffer.wrap(d.data()).getLong();
    }

    static int seqOf(Datagram d) {
        return ByteBuffer.wrap(d.data()).getInt(8);
    }

    static long nanosOf(SimNetwork net, Instant t) {
        return Duration.between(net.clock().start(), t).toNanos();
    }

    /** Sends {@code n} stamped datagrams from a to b, one every {@code gap}, and runs until all have settled. */
    static void sendSeries(SimNetwork net, SimEndpoint a, SimEndpoint b, int n, Duration gap, int size) {
        for (int i = 0; i < n; i++) {
            int seq = i;
            net.schedule(gap.multipliedBy(i), () -> a.send(b.address(), stamped(net, seq, size)));
        }
        assertThat(net.runUntilIdle(Duration.ofHours(10))).isTrue();
    }

    @Test
    void timeJumpsToTheNextEventOnly() {
        SimNetwork net = new SimNetwork(1);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        net.link(a, b, LinkConfig.delay(Duration.ofMillis(50)));

        Instant start = net.now();
        a.send(b.address(), new byte[] {1, 2, 3});
        assertThat(net.nextEventTime()).isEqualTo(start.plusMillis(50));
        assertThat(net.runUntil(() -> !b.received().isEmpty(), Duration.ofSeconds(10))).isTrue();

        assertThat(net.now()).isEqualTo(start.plusMillis(50));
        assertThat(net.eventsProcessed()).isEqualTo(1);
        Datagram d = b.received().get(0);
        assertThat(d.source()).isEqualTo(a.address());
        assertThat(d.destination()).isEqualTo(b.address());
        assertThat(d.data()).containsExactly(1, 2, 3);
        assertThat(d.time()).isEqualTo(start.plusMillis(50));
    }

    @Test
    void runUntilStopsAtItsDeadlineWhenTheConditionNeverHolds() {
        SimNetwork net = new SimNetwork(1);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        net.link(a, b, LinkConfig.delay(Duration.ofSeconds(5)));
        a.send(b.address(), new byte[1]);

        assertThat(net.runUntil(() -> false, Duration.ofSeconds(2))).isFalse();
        assertThat(net.elapsed()).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.received()).isEmpty();
        net.runFor(Duration.ofSeconds(3));
        assertThat(b.received()).hasSize(1);
        assertThat(net.elapsed()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void lossMatchesItsProbability() {
        SimNetwork net = new SimNetwork(11);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        SimLink link = net.link(a, b, LinkConfig.builder().delayMillis(20).loss(0.2).build());
        int n = 20_000;
        sendSeries(net, a, b, n, Duration.ofMillis(1), 100);

        LinkStats s = link.stats(a);
        assertThat(s.sent()).isEqualTo(n);
        // 20% with sigma = sqrt(p(1-p)/n) = 0.0028: four sigmas.
        assertThat((double) s.droppedByLoss() / n).isCloseTo(0.2, within(0.012));
        assertThat(s.delivered()).isEqualTo(n - s.droppedByLoss());
        assertThat(b.received()).hasSize((int) s.delivered());
        assertThat(s.inFlight()).isZero();
        assertThat(link.stats(b).sent()).isZero();
    }

    @Test
    void burstLossKeepsItsRateAndLosesInRunsOfTheMeanLength() {
        SimNetwork net = new SimNetwork(22);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        SimLink link = net.link(a, b, LinkConfig.builder().delayMillis(20).loss(0.1).lossBurst(4).build());
        int n = 50_000;
        sendSeries(net, a, b, n, Duration.ofMillis(1), 64);

        boolean[] arrived = new boolean[n];
        b.received().forEach(d -> arrived[seqOf(d)] = true);
        int runs = 0;
        int lost = 0;
        for (int i = 0; i < n; i++) {
            if (!arrived[i]) {
                lost++;
                if (i == 0 || arrived[i - 1]) {
                    runs++;
                }
            }
        }
        assertThat(lost).isEqualTo((int) link.stats(a).droppedByLoss());
        // Bursty losses vary more than independent ones: a wider bound on the rate.
        assertThat((double) lost / n).isCloseTo(0.1, within(0.015));
        assertThat((double) lost / runs).isCloseTo(4.0, within(0.3));
    }

    @Test
    void anEngineSendingFromAnAddressItsHostLacksFailsTheTest() {
        SimNetwork net = new SimNetwork(23);
        TransportAddress wrong = udp("10.0.0.9:1000");
        ArqEngine sender = ArqEngine.sender(wrong, udp("10.0.0.2:2000"), 1);
        net.add(sender, udp("10.0.0.1:1000"));
        net.endpoint(udp("10.0.0.2:2000"));
        sender.start(net.now());
        assertThatThrownBy(() -> net.runFor(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("10.0.0.9:1000/udp, which is not an address of host 10.0.0.1");
    }

    @Test
    void delayAndJitterMatchTheirSettings() {
        SimNetwork net = new SimNetwork(12);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        net.link(a, b, LinkConfig.builder().delayMillis(100).jitter(Duration.ofMillis(20)).build());
        int n = 10_000;
        sendSeries(net, a, b, n, Duration.ofMillis(1), 64);

        List<Datagram> got = b.received();
        assertThat(got).hasSize(n);
        double sum = 0;
        double sumSq = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int outOfOrder = 0;
        int lastSeq = -1;
        for (Datagram d : got) {
            long delay = nanosOf(net, d.time()) - sentAt(d);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
            sum += delay;
            sumSq += (double) delay * delay;
            if (seqOf(d) < lastSeq) {
                outOfOrder++;
            }
            lastSeq = Math.max(lastSeq, seqOf(d));
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        assertThat(min).isGreaterThanOrEqualTo(80_000_000L);
        assertThat(max).isLessThanOrEqualTo(120_000_000L);
        // Uniform on [80, 120] ms: mean 100 ms (sigma of the mean 0.12 ms), sd 20/sqrt(3) = 11.55 ms.
        assertThat(mean / 1e6).isCloseTo(100.0, within(0.5));
        assertThat(sd / 1e6).isCloseTo(20 / Math.sqrt(3), within(0.4));
        // Jitter wider than the sending gap reorders, as netem's does.
        assertThat(outOfOrder).isGreaterThan(n / 4);
    }

    @Test
    void duplicationMatchesItsProbability() {
        SimNetwork net = new SimNetwork(13);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        SimLink link = net.link(a, b, LinkConfig.builder().delayMillis(5).duplicate(0.1).build());
        int n = 20_000;
        sendSeries(net, a, b, n, Duration.ofMillis(1), 64);

        LinkStats s = link.stats(a);
        assertThat((double) s.duplicated() / n).isCloseTo(0.1, within(0.009));
        assertThat(s.delivered()).isEqualTo(n + s.duplicated());
        assertThat(b.received()).hasSize(n + (int) s.duplicated());
        long distinct = b.received().stream().mapToInt(SimNetworkTest::seqOf).distinct().count();
        assertThat(distinct).isEqualTo(n);
    }

    @Test
    void reorderingHoldsBackTheConfiguredFraction() {
        SimNetwork net = new SimNetwork(14);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        SimLink link = net.link(a, b,
                LinkConfig.builder().delayMillis(10).reorder(0.05, Duration.ofMillis(30)).build());
        int n = 20_000;
        sendSeries(net, a, b, n, Duration.ofMillis(2), 64);

        LinkStats s = link.stats(a);
        assertThat((double) s.reordered() / n).isCloseTo(0.05, within(0.0062));
        int late = 0;
        int highest = -1;
        for (Datagram d : b.received()) {
            if (seqOf(d) < highest) {
                late++;
            }
            highest = Math.max(highest, seqOf(d));
            long delay = nanosOf(net, d.time()) - sentAt(d);
            assertThat(delay).isIn(10_000_000L, 40_000_000L);
        }
        // Each held-back datagram arrives after datagrams sent up to 30 ms after it: every one is late.
        assertThat(late).isEqualTo(s.reordered());
    }

    @Test
    void rateLimitSerialisesAndItsQueueDropsTheTail() {
        SimNetwork net = new SimNetwork(15);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        // 1 Mbit/s: a 1250-byte datagram takes 10 ms on the wire; the queue holds 10 of them.
        SimLink link = net.link(a, b, LinkConfig.builder().delayMillis(30).rate(1_000_000).queue(12_500).build());

        for (int i = 0; i < 30; i++) {
            a.send(b.address(), stamped(net, i, 1250));
        }
        assertThat(net.runUntilIdle(Duration.ofSeconds(10))).isTrue();
        LinkStats s = link.stats(a);
        assertThat(s.droppedByQueue()).isEqualTo(20);
        assertThat(b.received()).hasSize(10);
        for (int i = 0; i < 10; i++) {
            Datagram d = b.received().get(i);
            assertThat(seqOf(d)).isEqualTo(i);
            assertThat(nanosOf(net, d.time())).isEqualTo((i + 1) * 10_000_000L + 30_000_000L);
        }

        // Offered at twice the rate for 10 s: the link delivers its rate, the queue drops the rest.
        b.takeReceived();
        Instant start = net.now();
        sendSeries(net, a, b, 2000, Duration.ofMillis(5), 1250);
        List<Datagram> got = b.received();
        double seconds = Duration.between(start, got.get(got.size() - 1).time()).toNanos() / 1e9;
        double bitsPerSecond = got.size() * 1250 * 8 / seconds;
        assertThat(bitsPerSecond).isCloseTo(1_000_000, within(10_000.0));
        assertThat(link.stats(a).droppedByQueue() - 20).isCloseTo(1000, within(15L));
    }

    @Test
    void mtuAndOutagesDrop() {
        SimNetwork net = new SimNetwork(16);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"));
        SimLink link = net.link(a, b, LinkConfig.builder().mtu(1200).build());
        a.send(b.address(), new byte[1200]);
        a.send(b.address(), new byte[1201]);
        net.runFor(Duration.ofSeconds(1));
        assertThat(b.received()).hasSize(1);
        assertThat(link.stats(a).droppedByMtu()).isEqualTo(1);

        net.schedule(Duration.ofSeconds(1), () -> link.down(true));
        net.schedule(Duration.ofSeconds(2), () -> link.down(false));
        for (int i = 0; i < 30; i++) {
            net.schedule(Duration.ofMillis(100).multipliedBy(i), () -> a.send(b.address(), new byte[10]));
        }
        net.runFor(Duration.ofSeconds(5));
        assertThat(link.stats(a).droppedDown()).isEqualTo(10);
        assertThat(b.received()).hasSize(1 + 20);
    }

    @Test
    void eachDirectionHasItsOwnConfig() {
        SimNetwork net = new SimNetwork(17);
        SimEndpoint b = net.endpoint(udp("10.0.0.2:2000"), (self, d) -> self.send(d.source(), d.data()));
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        SimLink link = net.link(a, b, LinkConfig.delay(Duration.ofMillis(10)),
                LinkConfig.builder().delayMillis(30).build());
        a.send(b.address(), new byte[] {9});
        assertThat(net.runUntil(() -> !a.received().isEmpty(), Duration.ofSeconds(1))).isTrue();
        assertThat(net.elapsed()).isEqualTo(Duration.ofMillis(40));
        assertThat(link.from(a).config().delay()).isEqualTo(Duration.ofMillis(10));
        assertThat(link.from(b).config().delay()).isEqualTo(Duration.ofMillis(30));
        assertThat(link.stats(a).delivered()).isEqualTo(1);
        assertThat(link.stats(b).delivered()).isEqualTo(1);
    }

    @Test
    void timeoutsAreServedAtTheTimeTheEngineAsks() {
        SimNetwork net = new SimNetwork(18);
        Ticker ticker = new Ticker(Duration.ofSeconds(1));
        SimEngine<Instant> handle = net.add(ticker, udp("10.0.0.1:1000"));
        ticker.next = net.now().plusSeconds(1);

        net.runFor(Duration.ofMinutes(1));
        assertThat(handle.timeouts()).isEqualTo(60);
        List<Instant> times = handle.events();
        assertThat(times).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(times.get(i)).isEqualTo(net.clock().start().plusSeconds(i + 1));
        }
        // A minute of timers is 60 events, not 60 seconds of waiting.
        assertThat(net.eventsProcessed()).isEqualTo(60);
    }

    @Test
    void anEngineThatNeverLetsTimeMoveIsCalledALivelock() {
        SimNetwork net = new SimNetwork(19);
        Ticker stuck = new Ticker(Duration.ZERO);
        stuck.next = net.now();
        stuck.advance = false;
        net.add(stuck, udp("10.0.0.1:1000"));
        assertThatThrownBy(() -> net.runFor(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("livelock");
    }

    @Test
    void listenersMayDriveOtherEnginesAndTheNetworkDrainsThem() {
        SimNetwork net = new SimNetwork(20);
        TransportAddress aAddr = udp("10.0.0.1:1000");
        TransportAddress bAddr = udp("10.0.0.2:2000");
        ArqEngine sender = ArqEngine.sender(aAddr, bAddr, 50);
        ArqEngine receiver = ArqEngine.receiver(bAddr, aAddr, 50);
        SimEngine<String> a = net.add(sender, aAddr);
        SimEngine<String> b = net.add(receiver, bAddr);
        net.link(a, b, LinkConfig.delay(Duration.ofMillis(10)));
        List<String> order = new ArrayList<>();
        b.onEvent(e -> order.add("b: " + e));
        a.onEvent(e -> order.add("a: " + e));
        // Started from a scheduled action: the network drains the sender afterwards.
        net.schedule(Duration.ofSeconds(1), () -> sender.start(net.now()));

        assertThat(net.runUntil(sender::done, Duration.ofSeconds(30))).isTrue();
        assertThat(order).containsExactly("b: received 50", "a: all acknowledged");
        assertThat(b.timedEvents().get(0).time()).isAfter(net.clock().start().plusSeconds(1));
    }

    @Test
    void unknownDestinationsAreCountedNotThrown() {
        SimNetwork net = new SimNetwork(21);
        SimEndpoint a = net.endpoint(udp("10.0.0.1:1000"));
        net.host("10.0.0.2");
        a.send(udp("10.0.0.2:9"), new byte[1]);       // a host, but nothing bound there
        a.send(udp("10.9.9.9:9"), new byte[1]);       // no such host
        net.runFor(Duration.ofSeconds(1));
        assertThat(net.droppedNoListener()).isEqualTo(1);
        assertThat(net.droppedUnroutable()).isEqualTo(1);
    }

    @Test
    void theSameSeedGivesTheSameTraceAndAnotherSeedAnother() {
        Run first = lossyTransfer(7, 300, true);
        Run second = lossyTransfer(7, 300, true);
        Run other = lossyTransfer(8, 300, true);

        assertThat(first.trace).isNotEmpty();
        assertThat(second.trace).isEqualTo(first.trace);
        assertThat(second.digest).isEqualTo(first.digest);
        assertThat(second.elapsed).isEqualTo(first.elapsed);
        assertThat(other.digest).isNotEqualTo(first.digest);
        assertThat(other.trace).isNotEqualTo(first.trace);
    }

    @Test
    void aLossyMinuteRunsInMilliseconds() {
        lossyTransfer(3, 500, false); // warm-up, so the figure is the simulation, not class loading
        long start = System.nanoTime();
        Run run = lossyTransfer(42, 3000, false);
        long wallNanos = System.nanoTime() - start;

        // 3000 messages through a window of 16 at 200 ms RTT with 20% loss each way: over a simulated minute.
        assertThat(run.elapsed).isGreaterThan(Duration.ofSeconds(60));
        assertThat(run.retransmissions).isGreaterThan(1000);
        System.out.printf("20%% loss: %s of simulated time, %d retransmissions, %d events in %.1f ms of real time%n",
                run.elapsed, run.retransmissions, run.events, wallNanos / 1e6);
    }

    record Run(long digest, List<TraceEntry> trace, Duration elapsed, long retransmissions, long events) {
    }

    /** A sender and a receiver across 100 ms of delay, 10 ms of jitter and 20% loss each way. */
    static Run lossyTransfer(long seed, int messages, boolean record) {
        SimNetwork net = new SimNetwork(seed).recordTrace(record);
        TransportAddress aAddr = udp("10.0.0.1:1000");
        TransportAddress bAddr = udp("10.0.0.2:2000");
        ArqEngine sender = ArqEngine.sender(aAddr, bAddr, messages);
        ArqEngine receiver = ArqEngine.receiver(bAddr, aAddr, messages);
        SimEngine<String> a = net.add(sender, aAddr);
        SimEngine<String> b = net.add(receiver, bAddr);
        net.link(a, b, LinkConfig.builder().delayMillis(100).jitter(Duration.ofMillis(10)).loss(0.2).build());
        sender.start(net.now());
        assertThat(net.runUntil(() -> sender.done() && receiver.done(), Duration.ofHours(1))).isTrue();
        return new Run(net.traceDigest(), net.trace(), net.elapsed(), sender.retransmissions(),
                net.eventsProcessed());
    }

    /** Emits an event and asks for the next timeout {@code period} later; never sends. */
    static final class Ticker implements Engine<Instant> {
        private final Duration period;
        private final java.util.ArrayDeque<Instant> events = new java.util.ArrayDeque<>();
        Instant next;
        boolean advance = true;

        Ticker(Duration period) {
            this.period = period;
        }

        @Override
        public void handleInput(Instant now, TransportAddress source, TransportAddress destination,
                ByteBuffer data) {
        }

        @Override
        public void handleTimeout(Instant now) {
            if (next != null && !now.isBefore(next)) {
                events.add(now);
                if (advance) {
                    next = next.plus(period);
                }
            }
        }

        @Override
        public Transmit pollTransmit() {
            return null;
        }

        @Override
        public Instant pollEvent() {
            return events.poll();
        }

        @Override
        public Instant pollTimeout() {
            return next;
        }
    }
}
