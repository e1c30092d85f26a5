package org.rtc4j.testkit.sim;

import java.util.SplittableRandom;

/**
 * A link between two nodes of one realm: two independent directions, each with its own {@link LinkConfig},
 * its own seeded random source, its own queue and its own {@link LinkStats}. Reconfigure it or take it down
 * at any time; datagrams already in flight still arrive.
 */
public final class SimLink {

    private final SimNetwork net;
    final Realm realm;
    final Node a;
    final Node b;
    private final Direction ab;
    private final Direction ba;

    SimLink(SimNetwork net, Realm realm, Node a, Node b, LinkConfig ab, LinkConfig ba) {
        this.net = net;
        this.realm = realm;
        this.a = a;
        this.b = b;
        this.ab = new Direction(a, b, ab, net.newRandom());
        this.ba = new Direction(b, a, ba, net.newRandom());
    }

    /** The direction that carries datagrams sent by {@code from}. */
    public Direction from(SimNode from) {
        return direction(SimNetwork.nodeOf(from));
    }

    Direction direction(Node from) {
        if (from == a) {
            return ab;
        }
        if (from == b) {
            return ba;
        }
        throw new IllegalArgumentException(from.nodeName() + " is not an end of " + this);
    }

    /** Statistics of the direction from {@code from}. */
    public LinkStats stats(SimNode from) {
        return from(from).stats();
    }

    /** Sets both directions. */
    public SimLink configure(LinkConfig both) {
        ab.configure(both);
        ba.configure(both);
        return this;
    }

    /** Takes both directions down (every datagram dropped) or up again. */
    public SimLink down(boolean down) {
        ab.down(down);
        ba.down(down);
        return this;
    }

    public String name() {
        return a.nodeName() + "<->" + b.nodeName();
    }

    @Override
    public String toString() {
        return "SimLink[" + name() + " in " + realm + ", " + ab.config + " / " + ba.config + "]";
    }

    /** One direction of the link. */
    public final class Direction {
        private final Node from;
        private final Node to;
        private final String name;
        private final SplittableRandom random;
        private LinkConfig config;
        private boolean down;
        private boolean lossBurstBad;
        private long busyUntil;
        private long sent;
        private long sentBytes;
        private long droppedDown;
        private long droppedByMtu;
        private long droppedByLoss;
        private long droppedByQueue;
        private long duplicated;
        private long reordered;
        private long delivered;
        private long deliveredBytes;

        private Direction(Node from, Node to, LinkConfig config, SplittableRandom random) {
            this.from = from;
            this.to = to;
            this.name = from.nodeName() + "->" + to.nodeName();
            this.config = config;
            this.random = random;
        }

        public LinkConfig config() {
            return config;
        }

        public Direction configure(LinkConfig newConfig) {
            this.config = java.util.Objects.requireNonNull(newConfig, "config");
            return this;
        }

        public Direction down(boolean isDown) {
            this.down = isDown;
            return this;
        }

        public boolean isDown() {
            return down;
        }

        public String name() {
            return name;
        }

        public LinkStats stats() {
            return new LinkStats(sent, sentBytes, droppedDown, droppedByMtu, droppedByLoss, droppedByQueue,
                    duplicated, reordered, delivered, deliveredBytes);
        }

        /** Runs the link model on a datagram sent now (see {@link LinkConfig} for the order of steps). */
        void send(Packet p) {
            LinkConfig c = config;
            long now = net.clock().nanos();
            int length = p.data().length;
            sent++;
            sentBytes += length;
            net.trace(TraceKind.SEND, name, p);
            if (down) {
                droppedDown++;
                net.trace(TraceKind.DROP_DOWN, name, p);
                return;
            }
            if (c.mtu() > 0 && length > c.mtu()) {
                droppedByMtu++;
                net.trace(TraceKind.DROP_MTU, name, p);
                return;
            }
            if (c.loss() > 0 && lost(c)) {
                droppedByLoss++;
                net.trace(TraceKind.DROP_LOSS, name, p);
                return;
            }
            long departure = now;
            long rate = c.rateBitsPerSecond();
            if (rate > 0) {
                // Drop-tail: the backlog is what the wire has yet to serialise, in bytes.
                long backlogNanos = Math.max(0, busyUntil - now);
                double backlogBytes = backlogNanos * (rate / 8e9);
                if (backlogBytes + length > c.queueBytes()) {
                    droppedByQueue++;
                    net.trace(TraceKind.DROP_QUEUE, name, p);
                    return;
                }
                long wireNanos = (long) Math.ceil(length * 8e9 / rate);
                busyUntil = Math.max(now, busyUntil) + wireNanos;
                departure = busyUntil;
            }
            scheduleCopy(p, departure, c);
            if (c.duplicate() > 0 && random.nextDouble() < c.duplicate()) {
                duplicated++;
                net.trace(TraceKind.DUPLICATE, name, p);
                scheduleCopy(p, departure, c);
            }
        }

        private boolean lost(LinkConfig c) {
            if (c.lossBurst() <= 1) {
                return random.nextDouble() < c.loss();
            }
            // Gilbert model: leave "bad" with r = 1/burst, enter it with q = p r / (1 - p), so that the
            // stationary share of "bad" is p and a run of losses lasts 1/r on average.
            double r = 1 / c.lossBurst();
            double q = c.loss() * r / (1 - c.loss());
            lossBurstBad = lossBurstBad ? random.nextDouble() >= r : random.nextDouble() < Math.min(1, q);
            return lossBurstBad;
        }

        private void scheduleCopy(Packet p, long departure, LinkConfig c) {
            long travel = c.delay().toNanos();
            long jitter = c.jitter().toNanos();
            if (jitter > 0) {
                travel = Math.max(0, travel + random.nextLong(-jitter, jitter + 1));
            }
            if (c.reorder() > 0 && random.nextDouble() < c.reorder()) {
                reordered++;
                net.trace(TraceKind.REORDER, name, p);
                travel += c.reorderDelay().toNanos();
            }
            net.schedule(departure + travel, () -> arrive(p));
        }

        private void arrive(Packet p) {
            delivered++;
            deliveredBytes += p.data().length;
            net.trace(TraceKind.ARRIVE, name, p);
            to.receive(SimLink.this, p);
        }
    }
}
