package org.rtc4j.sdp;

import java.util.Objects;

/**
 * An {@code a=} line split at its first colon (RFC 8866 section 5.13): a property attribute
 * ({@code a=rtcp-mux}) has a {@code null} value; {@code a=name:} has an empty one. The value is kept exactly
 * as written, leading spaces included ({@code a=msid-semantic: WMS}).
 */
public record Attribute(String name, String value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
    }

    /** Splits the text after {@code a=}. */
    static Attribute parse(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? new Attribute(text, null) : new Attribute(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Whether the attribute has no value part (no colon). */
    public boolean isProperty() {
        return value == null;
    }

    /** The value, or the empty string for a property attribute. */
    public String valueOrEmpty() {
        return value == null ? "" : value;
    }

    /** The text after {@code a=}. */
    @Override
    public String toString() {
        return value == null ? name : name + ":" + value;
    }
}
