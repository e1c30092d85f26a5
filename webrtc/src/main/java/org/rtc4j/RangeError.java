package org.rtc4j;

/** The specification's (ECMAScript) {@code RangeError}: a number out of its allowed range. */
public class RangeError extends DOMException {

    public RangeError(String message) {
        super("RangeError", message);
    }
}
