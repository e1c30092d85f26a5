package org.rtc4j.bench.sctp;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import org.rtc4j.sctp.SctpAssociation;

/**
 * Two packet engines joined by a simulated path on a virtual clock: each direction a link of a given rate
 * with a drop-tail queue of a given size in front of it, then a fixed propagation delay. What a bottleneck
 * router does, and nothing more (no random loss, no reordering).
 */
public final class SimulatedLink {

    /** A packet on its way: arrives at {@code at} at engine {@code to}. */
    private record Hop(long at, long seq, int to, byte[] bytes) {
    }

    /** One direction: serialization at {@code bitsPerSecond} behind a queue of {@code queueBytes}. */
    private static final class Direction {
        final long bitsPerSecond;
        final long queueBytes;
        final ArrayDeque<long[]> queued = new ArrayDeque<>(); // {departure time, size}
        long queuedBytes;
        long lastDeparture;
        long drops;

        Direction(long bitsPerSecond, long queueBytes) {
            this.bitsPerSecond = bitsPerSecond;
            this.queueBytes = queueBytes;
        }

        /** The departure time of a packet of {@code size} offered at {@code now}, or -1 when the queue drops it. */
        long offer(long now, int size) {
            while (!queued.isEmpty() && queued.peek()[0] <= now) {
                queuedBytes -= queued.poll()[1];
            }
            if (queuedBytes + size > queueBytes) {
                drops++;
                return -1;
            }
            long start = Math.max(now, lastDeparture);
            long departure = start + size * 8L * 1_000_000_000L / bitsPerSecond;
            lastDeparture = departure;
            queued.add(new long[] {departure, size});
            queuedBytes += size;
            return departure;
        }
    }

    private final SctpAssociation[] ends;
    private final Direction[] dirs;
    private final long delayNanos;
    private final PriorityQueue<Hop> wire = new PriorityQueue<>(
            (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
    private final ByteBuffer buf = ByteBuffer.allocate(65536);
    private long seq;
    private long now = 1_000_000_000L;

    /** Every event each end produces goes here: (side, event). */
    public interface Events {
        void on(int side, Object event);
    }

    public SimulatedLink(SctpAssociation a, SctpAssociation b, long bitsPerSecond, long rttMillis, long queueBytes) {
        ends = new SctpAssociation[] {a, b};
        dirs = new Direction[] {new Direction(bitsPerSecond, queueBytes), new Direction(bitsPerSecond, queueBytes)};
        delayNanos = rttMillis * 1_000_000L / 2;
    }

    public long nowNanos() {
        return now;
    }

    public Instant instant() {
        return Instant.ofEpochSecond(now / 1_000_000_000L, now % 1_000_000_000L);
    }

    public long drops() {
        return dirs[0].drops + dirs[1].drops;
    }

    private void drain(Events events, Runnable onStep) {
        Instant at = instant();
        boolean again = true;
        while (again) {
            again = false;
            for (int side = 0; side < 2; side++) {
                int n;
                while ((n = ends[side].pollPacket(at, buf.clear())) > 0) {
                    again = true;
                    long departure = dirs[side].offer(now, n);
                    if (departure >= 0) {
                        byte[] bytes = new byte[n];
                        buf.flip().get(bytes);
                        wire.add(new Hop(departure + delayNanos, seq++, 1 - side, bytes));
                    }
                }
                Object e;
                while ((e = ends[side].pollEvent()) != null) {
                    again = true;
                    events.on(side, e);
                }
            }
            onStep.run();
        }
    }

    /** Runs the simulation for {@code nanos} of virtual time. */
    public void run(long nanos, Events events, Runnable onStep) {
        long end = now + nanos;
        while (true) {
            drain(events, onStep);
            long next = wire.isEmpty() ? Long.MAX_VALUE : wire.peek().at;
            for (SctpAssociation e : ends) {
                Instant t = e.pollTimeout();
                if (t != null) {
                    next = Math.min(next, t.getEpochSecond() * 1_000_000_000L + t.getNano());
                }
            }
            if (next > end) {
                now = end;
                return;
            }
            now = Math.max(now, next);
            Instant at = instant();
            while (!wire.isEmpty() && wire.peek().at <= now) {
                Hop h = wire.poll();
                ends[h.to].handlePacket(at, ByteBuffer.wrap(h.bytes));
            }
            for (SctpAssociation e : ends) {
                Instant t = e.pollTimeout();
                if (t != null && !t.isAfter(at)) {
                    e.handleTimeout(at);
                }
            }
        }
    }
}
