package org.rtc4j;

/** The specification's {@code InvalidCharacterError}: a string holds a character the call does not take. */
public class InvalidCharacterError extends DOMException {

    public InvalidCharacterError(String message) {
        super("InvalidCharacterError", message);
    }
}
