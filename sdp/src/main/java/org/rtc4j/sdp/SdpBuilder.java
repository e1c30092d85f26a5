package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a description line by line, in the order the lines will appear: the session level first, then
 * each media section from its {@code m=} line on. {@link #build()} checks the result with the parser's rules.
 */
public final class SdpBuilder {

    private final List<SdpLine> lines = new ArrayList<>();

    /** An empty description; start with {@code v=0}, {@code o=}, {@code s=} and {@code t=}. */
    public SdpBuilder() {
    }

    /** Appends a line as written. */
    public SdpBuilder line(SdpLine line) {
        lines.add(line);
        return this;
    }

    /** Appends {@code type=value}. */
    public SdpBuilder line(char type, String value) {
        return line(new SdpLine(type, value));
    }

    /** Appends {@code a=name:value}. */
    public SdpBuilder attribute(String name, String value) {
        return line(SdpLine.attribute(name, value));
    }

    /** Appends the property attribute {@code a=name}. */
    public SdpBuilder attribute(String name) {
        return line(SdpLine.attribute(name, null));
    }

    /** Appends the property attribute {@code a=name} when {@code condition} holds. */
    public SdpBuilder flag(String name, boolean condition) {
        return condition ? attribute(name) : this;
    }

    /**
     * The description.
     *
     * @throws IllegalArgumentException with the line number and reason when the lines break RFC 8866 or an
     *     attribute grammar
     */
    public SessionDescription build() {
        try {
            return SdpParser.assemble(lines, false);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
