package org.rtc4j.media;

/** A capability's range of values (the spec's {@code DoubleRange} and {@code ULongRange}), inclusive. */
public record DoubleRange(double min, double max) {

    public DoubleRange {
        if (!(min <= max)) {
            throw new IllegalArgumentException("empty range " + min + ".." + max);
        }
    }

    /** Exactly one value. */
    public static DoubleRange of(double value) {
        return new DoubleRange(value, value);
    }

    public boolean contains(double v) {
        return v >= min && v <= max;
    }

    public double clamp(double v) {
        return Math.max(min, Math.min(max, v));
    }
}
