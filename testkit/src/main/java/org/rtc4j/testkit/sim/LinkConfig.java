package org.rtc4j.testkit.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * What one direction of a simulated link does to a datagram, in the order it happens: an outage drops it;
 * a datagram larger than the MTU is dropped; it is lost with probability {@code loss}; a rate limit
 * serialises it behind the datagrams before it, and drops it when the queue (drop-tail, counted in bytes)
 * has no room; it then travels {@code delay} plus a jitter drawn uniformly from {@code [-jitter, +jitter]}
 * (never below zero, and jitter alone may reorder, as with netem); with probability {@code reorder} it is
 * held back a further {@code reorderDelay}, so later datagrams overtake it; with probability
 * {@code duplicate} a second copy arrives too, with its own jitter. Losses are independent unless a mean
 * {@code lossBurst} length above 1 is set: then a two-state (Gilbert) model loses every datagram while
 * "bad", with the same long-run loss rate and bursts of that mean length. Every random draw comes from the seeded
 * source of the link's direction.
 *
 * <p>Immutable. {@code LinkConfig.builder().delay(Duration.ofMillis(50)).loss(0.2).build()}.
 */
public final class LinkConfig {

    private static final LinkConfig IDEAL = builder().build();

    private final Duration delay;
    private final Duration jitter;
    private final double loss;
    private final double lossBurst;
    private final double duplicate;
    private final double reorder;
    private final Duration reorderDelay;
    private final long rateBitsPerSecond;
    private final int queueBytes;
    private final int mtu;

    private LinkConfig(Builder b) {
        this.delay = b.delay;
        this.jitter = b.jitter;
        this.loss = b.loss;
        this.lossBurst = b.lossBurst;
        this.duplicate = b.duplicate;
        this.reorder = b.reorder;
        this.reorderDelay = b.reorderDelay;
        this.rateBitsPerSecond = b.rateBitsPerSecond;
        this.queueBytes = b.queueBytes;
        this.mtu = b.mtu;
    }

    /** No delay, no loss, no limit. */
    public static LinkConfig ideal() {
        return IDEAL;
    }

    /** Only a fixed delay. */
    public static LinkConfig delay(Duration delay) {
        return builder().delay(delay).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.delay = delay;
        b.jitter = jitter;
        b.loss = loss;
        b.lossBurst = lossBurst;
        b.duplicate = duplicate;
        b.reorder = reorder;
        b.reorderDelay = reorderDelay;
        b.rateBitsPerSecond = rateBitsPerSecond;
        b.queueBytes = queueBytes;
        b.mtu = mtu;
        return b;
    }

    public Duration delay() {
        return delay;
    }

    public Duration jitter() {
        return jitter;
    }

    public double loss() {
        return loss;
    }

    /** Mean length of a run of losses (1: independent losses). */
    public double lossBurst() {
        return lossBurst;
    }

    public double duplicate() {
        return duplicate;
    }

    public double reorder() {
        return reorder;
    }

    public Duration reorderDelay() {
        return reorderDelay;
    }

    /** Bits per second, or 0 for no limit. */
    public long rateBitsPerSecond() {
        return rateBitsPerSecond;
    }

    /** Room in the drop-tail queue in front of the rate limit, in bytes (the datagram on the wire included). */
    public int queueBytes() {
        return queueBytes;
    }

    /** Largest datagram carried, or 0 for no limit. */
    public int mtu() {
        return mtu;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("LinkConfig[delay=").append(delay.toMillis()).append("ms");
        if (!jitter.isZero()) {
            s.append(", jitter=").append(jitter.toMillis()).append("ms");
        }
        if (loss > 0) {
            s.append(", loss=").append(loss);
            if (lossBurst > 1) {
                s.append(" in bursts of ").append(lossBurst);
            }
        }
        if (duplicate > 0) {
            s.append(", duplicate=").append(duplicate);
        }
        if (reorder > 0) {
            s.append(", reorder=").append(reorder).append("/+").append(reorderDelay.toMillis()).append("ms");
        }
        if (rateBitsPerSecond > 0) {
            s.append(", rate=").append(rateBitsPerSecond).append("bit/s, queue=").append(queueBytes).append('B');
        }
        if (mtu > 0) {
            s.append(", mtu=").append(mtu);
        }
        return s.append(']').toString();
    }

    /** Builds a {@link LinkConfig}; every setting starts at "ideal". */
    public static final class Builder {
        private Duration delay = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private double loss;
        private double lossBurst = 1;
        private double duplicate;
        private double reorder;
        private Duration reorderDelay = Duration.ofMillis(20);
        private long rateBitsPerSecond;
        private int queueBytes = 64 * 1024;
        private int mtu;

        private Builder() {
        }

        public Builder delay(Duration value) {
            this.delay = nonNegative(value, "delay");
            return this;
        }

        public Builder delayMillis(long millis) {
            return delay(Duration.ofMillis(millis));
        }

        /** Half-width of the uniform jitter around the delay. */
        public Builder jitter(Duration value) {
            this.jitter = nonNegative(value, "jitter");
            return this;
        }

        public Builder loss(double probability) {
            this.loss = probability(probability, "loss");
            return this;
        }

        /**
         * Makes losses come in runs of this mean length (Gilbert model), at the same long-run rate;
         * 1 (the default) keeps them independent.
         */
        public Builder lossBurst(double meanLength) {
            if (!(meanLength >= 1)) {
                throw new IllegalArgumentException("mean loss burst length must be >= 1: " + meanLength);
            }
            this.lossBurst = meanLength;
            return this;
        }

        public Builder duplicate(double probability) {
            this.duplicate = probability(probability, "duplicate");
            return this;
        }

        /** Holds back a fraction of datagrams by a further {@code extraDelay}. */
        public Builder reorder(double probability, Duration extraDelay) {
            this.reorder = probability(probability, "reorder");
            this.reorderDelay = nonNegative(extraDelay, "reorder delay");
            return this;
        }

        /** A rate limit in bits per second (0: none). */
        public Builder rate(long bitsPerSecond) {
            if (bitsPerSecond < 0) {
                throw new IllegalArgumentException("rate must be >= 0: " + bitsPerSecond);
            }
            this.rateBitsPerSecond = bitsPerSecond;
            return this;
        }

        /** Size of the drop-tail queue of the rate limit, in bytes. */
        public Builder queue(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("queue must be > 0 bytes: " + bytes);
            }
            this.queueBytes = bytes;
            return this;
        }

        /** Largest datagram carried (0: no limit). */
        public Builder mtu(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("mtu must be >= 0: " + bytes);
            }
            this.mtu = bytes;
            return this;
        }

        public LinkConfig build() {
            if (lossBurst > 1 && loss >= 1) {
                throw new IllegalArgumentException("loss bursts need a loss rate below 1");
            }
            return new LinkConfig(this);
        }

        private static Duration nonNegative(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + value);
            }
            return value;
        }

        private static double probability(double p, String what) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(what + " must be a probability in [0, 1]: " + p);
            }
            return p;
        }
    }
}
