package org.rtc4j.bench.sctp;

import java.time.Duration;
import java.util.Random;
import org.rtc4j.sctp.SctpAssociation;
import org.rtc4j.sctp.SctpEvent;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.sctp.SendOptions;
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.SimPump;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimLink;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * Goodput of one reliable ordered stream over a simulated bottleneck (rate, round trip, drop-tail queue of
 * one bandwidth-delay product, no random loss), as a share of the link rate, measured after a warm-up. The
 * two associations run on the test kit's pump over its simulated network, on a virtual clock, so the figures
 * do not depend on the machine.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.rtc4j.bench.sctp.LinkGoodput [mbit rttMs ...]};
 * {@code -DnoInterleaving=true} uses plain DATA instead of I-DATA.
 */
public final class LinkGoodput {

    public record Result(long mbit, long rttMs, double share, long drops, long timeouts, long fastRetransmits) {
    }

    public static Result measure(long mbit, long rttMs, long warmupMs, long measureMs) {
        long bps = mbit * 1_000_000L;
        long bdp = bps / 8 * rttMs / 1000;
        // Windows of several BDPs: the queue holds one more BDP, and recovery needs room above that.
        int window = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(4L << 20, 4 * bdp));
        SctpSettings s = SctpSettings.defaults().withBuffers(window, 2L * window)
                .withInterleaving(!Boolean.getBoolean("noInterleaving"));
        SctpAssociation a = new SctpAssociation(s.withRandom(new Random(1)));
        SctpAssociation b = new SctpAssociation(s.withRandom(new Random(2)));
        SimPump pump = EnginePump.simulated(new SimNetwork(1));
        EnginePump.Pair<SctpEvent> pair = pump.pair(a, b);
        // What a bottleneck router does, and nothing more: serialization behind a drop-tail queue, then the delay.
        SimLink link = pump.link(pair).configure(LinkConfig.builder().delay(Duration.ofMillis(rttMs).dividedBy(2))
                .rate(bps).queue((int) Math.min(Integer.MAX_VALUE, bdp)).build());
        long[] delivered = new long[1];
        byte[] message = new byte[64 * 1024];
        pair.a().keepEvents(false).beforePoll(() -> {
            if (a.state() != SctpState.ESTABLISHED) {
                return;
            }
            while (a.sendBufferUsed() + message.length <= s.sendBuffer()) {
                a.send(0, 53, message, SendOptions.RELIABLE);
            }
        });
        pair.b().keepEvents(false).onEvent(e -> {
            if (e instanceof SctpEvent.Message m) {
                delivered[0] += m.data().length;
            }
        });
        a.connect(pump.now());
        pump.runFor(Duration.ofMillis(warmupMs));
        long before = delivered[0];
        pump.runFor(Duration.ofMillis(measureMs));
        double goodputBits = (delivered[0] - before) * 8.0 / (measureMs / 1000.0);
        long drops = link.stats(pump.node(pair.a())).dropped() + link.stats(pump.node(pair.b())).dropped();
        return new Result(mbit, rttMs, goodputBits / bps, drops, a.stats().timeouts(), a.stats().fastRetransmits());
    }

    public static void main(String[] args) {
        long[][] cases = {{100, 20}, {100, 50}, {100, 100}, {1000, 50}};
        if (args.length >= 2) {
            cases = new long[args.length / 2][];
            for (int i = 0; i + 1 < args.length; i += 2) {
                cases[i / 2] = new long[] {Long.parseLong(args[i]), Long.parseLong(args[i + 1])};
            }
        }
        System.out.println("link      rtt    goodput share  queue drops  T3 timeouts  fast retransmits  (wall)");
        for (long[] c : cases) {
            long t0 = System.nanoTime();
            Result r = measure(c[0], c[1], 5_000, 20_000);
            System.out.printf("%4d Mbit %4d ms   %6.1f %%      %8d     %8d       %8d        %.1f s%n", r.mbit(),
                    r.rttMs(), 100 * r.share(), r.drops(), r.timeouts(), r.fastRetransmits(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
