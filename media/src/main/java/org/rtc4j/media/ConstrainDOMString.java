package org.rtc4j.media;

import java.util.List;

/**
 * A constraint on a string such as {@code deviceId} (the spec's {@code ConstrainDOMString}): the value must be
 * one of {@code exact} (required), and preferably one of {@code ideal}; each list empty when absent.
 */
public record ConstrainDOMString(List<String> exact, List<String> ideal) {

    public ConstrainDOMString {
        exact = List.copyOf(exact);
        ideal = List.copyOf(ideal);
    }

    public static ConstrainDOMString exact(String... values) {
        return new ConstrainDOMString(List.of(values), List.of());
    }

    public static ConstrainDOMString ideal(String... values) {
        return new ConstrainDOMString(List.of(), List.of(values));
    }

    public boolean isRequired() {
        return !exact.isEmpty();
    }
}
