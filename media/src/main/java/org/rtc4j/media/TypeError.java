package org.rtc4j.media;

/** The spec's (ECMAScript) {@code TypeError}: an argument of the wrong kind, such as constraints asking nothing. */
public class TypeError extends MediaException {

    public TypeError(String message) {
        super("TypeError", message, null);
    }
}
