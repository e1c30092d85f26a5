package org.rtc4j;

/** The specification's {@code SyntaxError}: A string argument does not parse (an SDP, a URL, a candidate line). */
public class SyntaxError extends DOMException {

    public SyntaxError(String message) {
        super("SyntaxError", message);
    }

    public SyntaxError(String message, Throwable cause) {
        super("SyntaxError", message, cause);
    }
}
