package org.rtc4j.media;

/**
 * A constraint on a number (the spec's {@code ConstrainDouble}, also used where it says {@code ConstrainULong}):
 * any of {@code exact}, {@code ideal}, {@code min}, {@code max}, each {@code null} when absent. {@code exact},
 * {@code min} and {@code max} are required (a device that cannot meet them is not chosen); {@code ideal} only
 * ranks the devices and settings that can. Media Capture and Streams, section "ConstrainDouble".
 */
public record ConstrainDouble(Double exact, Double ideal, Double min, Double max) {

    public ConstrainDouble {
        for (Double d : new Double[] {exact, ideal, min, max}) {
            if (d != null && !Double.isFinite(d)) {
                throw new TypeError("constraint value not finite: " + d);
            }
        }
    }

    public static ConstrainDouble exact(double v) {
        return new ConstrainDouble(v, null, null, null);
    }

    public static ConstrainDouble ideal(double v) {
        return new ConstrainDouble(null, v, null, null);
    }

    public static ConstrainDouble min(double v) {
        return new ConstrainDouble(null, null, v, null);
    }

    public static ConstrainDouble max(double v) {
        return new ConstrainDouble(null, null, null, v);
    }

    public static ConstrainDouble range(double min, double max) {
        return new ConstrainDouble(null, null, min, max);
    }

    public ConstrainDouble withIdeal(double v) {
        return new ConstrainDouble(exact, v, min, max);
    }

    public ConstrainDouble withMin(double v) {
        return new ConstrainDouble(exact, ideal, v, max);
    }

    public ConstrainDouble withMax(double v) {
        return new ConstrainDouble(exact, ideal, min, v);
    }

    /** Has {@code exact}, {@code min} or {@code max}. */
    public boolean isRequired() {
        return exact != null || min != null || max != null;
    }
}
