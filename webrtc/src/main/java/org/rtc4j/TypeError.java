package org.rtc4j;

/** The specification's (ECMAScript) {@code TypeError}: an argument of the wrong kind or out of range. */
public class TypeError extends DOMException {

    public TypeError(String message) {
        super("TypeError", message);
    }
}
