package org.rtc4j.media;

/** A constraint on a flag such as {@code echoCancellation} (the spec's {@code ConstrainBoolean}); nulls absent. */
public record ConstrainBoolean(Boolean exact, Boolean ideal) {

    public static ConstrainBoolean exact(boolean v) {
        return new ConstrainBoolean(v, null);
    }

    public static ConstrainBoolean ideal(boolean v) {
        return new ConstrainBoolean(null, v);
    }

    public boolean isRequired() {
        return exact != null;
    }
}
