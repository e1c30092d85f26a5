package org.rtc4j.sctp;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * A minimal in-test network for two packet engines on a virtual clock: one-way delay with jitter (which
 * reorders), seeded loss and duplication. Until the test kit's simulated network lands, this is enough.
 */
final class Pump {

    interface Listener {
        void event(int side, Object e);
    }

    private record InFlight(long at, long seq, int to, byte[] bytes) {
    }

    final Object[] ends;
    private final PriorityQueue<InFlight> wire = new PriorityQueue<>(
            (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
    private final Random random;
    private final ByteBuffer buf = ByteBuffer.allocate(65536);
    long now = 1_000_000_000L;
    long delayNanos = 10_000_000L;
    long jitterNanos;
    double loss;
    /** A bottleneck each way when set: serialization at this rate behind a drop-tail queue of queueBytes. */
    long rateBitsPerSecond;
    long queueBytes;
    long queueDrops;
    private final long[] lastDeparture = new long[2];
    private final java.util.ArrayDeque<long[]>[] queued = newQueues();
    double duplicate;
    long seq;
    long packets;
    long dropped;
    Listener listener = (side, e) -> { };
    /** Runs at every step of the simulation, after output was drained (for senders that refill). */
    Runnable onStep = () -> { };
    final List<List<Object>> events = List.of(new ArrayList<>(), new ArrayList<>());
    boolean keepEvents = true;
    /** Sides whose application does not read: their events (and so their receive window) stay put. */
    final boolean[] holdEvents = new boolean[2];
    /** Every packet each side sent: (virtual time, bytes), when recording. */
    final List<List<Object[]>> sent = List.of(new ArrayList<>(), new ArrayList<>());
    boolean record;
    /** A filter that may drop a packet on purpose: (from side, bytes) -> keep. */
    java.util.function.BiPredicate<Integer, byte[]> filter = (s, b) -> true;

    /** Each an {@link SctpAssociation} or a {@link org.rtc4j.sctp.datachannel.DataChannels}. */
    Pump(Object a, Object b, long seed) {
        ends = new Object[] {a, b};
        random = new Random(seed);
    }

    @SuppressWarnings("unchecked")
    private static java.util.ArrayDeque<long[]>[] newQueues() {
        return new java.util.ArrayDeque[] {new java.util.ArrayDeque<long[]>(), new java.util.ArrayDeque<long[]>()};
    }

    Instant instant() {
        return Instant.ofEpochSecond(now / 1_000_000_000L, now % 1_000_000_000L);
    }

    private void drain() {
        boolean again = true;
        while (again) {
            again = false;
            for (int side = 0; side < 2; side++) {
                PacketPath<?> e = path(ends[side]);
                int n;
                while ((n = e.pollPacket(instant(), buf.clear())) > 0) {
                    again = true;
                    byte[] bytes = new byte[n];
                    buf.flip().get(bytes);
                    send(side, bytes);
                }
                Object ev;
                while (!holdEvents[side] && (ev = e.pollEvent()) != null) {
                    again = true;
                    if (keepEvents) {
                        events.get(side).add(ev);
                    }
                    listener.event(side, ev);
                }
            }
        }
    }

    private void send(int from, byte[] bytes) {
        packets++;
        if (record) {
            sent.get(from).add(new Object[] {now, bytes});
        }
        if (!filter.test(from, bytes)) {
            dropped++;
            return;
        }
        if (loss > 0 && random.nextDouble() < loss) {
            dropped++;
            return;
        }
        long departure = now;
        if (rateBitsPerSecond > 0) {
            java.util.ArrayDeque<long[]> q = queued[from];
            long bytesQueued = 0;
            while (!q.isEmpty() && q.peek()[0] <= now) {
                q.poll();
            }
            for (long[] x : q) {
                bytesQueued += x[1];
            }
            if (bytesQueued + bytes.length > queueBytes) {
                queueDrops++;
                return;
            }
            departure = Math.max(now, lastDeparture[from]) + bytes.length * 8L * 1_000_000_000L / rateBitsPerSecond;
            lastDeparture[from] = departure;
            q.add(new long[] {departure, bytes.length});
        }
        int copies = duplicate > 0 && random.nextDouble() < duplicate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long jitter = jitterNanos > 0 ? (long) (random.nextDouble() * jitterNanos) : 0;
            wire.add(new InFlight(departure + delayNanos + jitter, seq++, 1 - from, bytes));
        }
    }

    /** Runs until {@code done} holds or nothing is left to happen or {@code maxNanos} of virtual time pass. */
    boolean runUntil(BooleanSupplier done, long maxNanos) {
        long end = now + maxNanos;
        while (true) {
            drain();
            onStep.run();
            drain();
            if (done.getAsBoolean()) {
                return true;
            }
            long next = Long.MAX_VALUE;
            if (!wire.isEmpty()) {
                next = wire.peek().at;
            }
            for (Object x : ends) {
                PacketPath<?> e = path(x);
                Instant t = e.pollTimeout();
                if (t != null) {
                    next = Math.min(next, t.getEpochSecond() * 1_000_000_000L + t.getNano());
                }
            }
            if (next == Long.MAX_VALUE || next > end) {
                now = Math.max(now, Math.min(next, end));
                return done.getAsBoolean();
            }
            now = Math.max(now, next);
            Instant at = instant();
            while (!wire.isEmpty() && wire.peek().at <= now) {
                InFlight p = wire.poll();
                path(ends[p.to]).handlePacket(at, ByteBuffer.wrap(p.bytes));
            }
            for (Object x : ends) {
                PacketPath<?> e = path(x);
                Instant t = e.pollTimeout();
                if (t != null && !t.isAfter(at)) {
                    e.handleTimeout(at);
                }
            }
        }
    }

    void run(long nanos) {
        runUntil(() -> false, nanos);
    }

    static PacketPath<?> path(Object end) {
        return end instanceof SctpAssociation a ? PacketPath.of(a)
                : PacketPath.of((org.rtc4j.sctp.datachannel.DataChannels) end);
    }

    static long ms(long millis) {
        return millis * 1_000_000L;
    }
}
