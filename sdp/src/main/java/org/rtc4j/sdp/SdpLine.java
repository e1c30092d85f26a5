package org.rtc4j.sdp;

import java.util.Objects;

/**
 * One line of a session description as written: its type letter and the text after {@code =}, without the
 * line ending (RFC 8866 section 5). Lines of every type, known or not, are kept in their order so that a
 * description is written back as it was read.
 */
public record SdpLine(char type, String value) {

    public SdpLine {
        Objects.requireNonNull(value, "value");
    }

    /** An attribute line: {@code a=name:value}, or {@code a=name} when {@code value} is {@code null}. */
    public static SdpLine attribute(String name, String value) {
        return new SdpLine('a', value == null ? name : name + ":" + value);
    }

    /** Whether this is an {@code a=} line. */
    public boolean isAttribute() {
        return type == 'a';
    }

    /** The line as written, without its line ending. */
    @Override
    public String toString() {
        return type + "=" + value;
    }
}
