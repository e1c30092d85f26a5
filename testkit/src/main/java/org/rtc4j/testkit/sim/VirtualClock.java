package org.rtc4j.testkit.sim;

import java.time.Duration;
import java.time.Instant;
import org.rtc4j.core.Clock;

/**
 * A clock that moves only when told to. A {@link SimNetwork} owns one and moves it from event to event, so a
 * simulated minute costs only the work done in it. Time is kept as nanoseconds since {@link #start()}.
 */
public final class VirtualClock implements Clock {

    /** Where every simulation starts unless told otherwise: a fixed instant, so traces repeat exactly. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant start;
    private long nanos;

    public VirtualClock() {
        this(DEFAULT_START);
    }

    public VirtualClock(Instant start) {
        this.start = start;
    }

    @Override
    public Instant now() {
        return start.plusNanos(nanos);
    }

    public Instant start() {
        return start;
    }

    /** Nanoseconds since {@link #start()}. */
    public long nanos() {
        return nanos;
    }

    public Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    /** Moves to {@code time}; never backwards. */
    public void advanceTo(Instant time) {
        advanceToNanos(toNanos(time));
    }

    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go backwards: " + duration);
        }
        advanceToNanos(Math.addExact(nanos, duration.toNanos()));
    }

    void advanceToNanos(long target) {
        if (target < nanos) {
            throw new IllegalArgumentException("time does not go backwards: " + target + " < " + nanos + " ns");
        }
        nanos = target;
    }

    /** Nanoseconds since the start for an instant (saturating, so a far-off timeout cannot overflow). */
    long toNanos(Instant time) {
        Duration d = Duration.between(start, time);
        if (d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.MAX_VALUE;
        }
        if (d.getSeconds() <= Long.MIN_VALUE / 1_000_000_000L + 1) {
            return Long.MIN_VALUE;
        }
        return d.toNanos();
    }

    Instant toInstant(long atNanos) {
        return start.plusNanos(atNanos);
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now() + ", +" + elapsed() + "]";
    }
}
