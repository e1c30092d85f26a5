package org.rtc4j;

/** The specification's {@code InvalidAccessError}: The argument does not fit the object (a description of the wrong type, a stale certificate, ...). */
public class InvalidAccessError extends DOMException {

    public InvalidAccessError(String message) {
        super("InvalidAccessError", message);
    }

    public InvalidAccessError(String message, Throwable cause) {
        super("InvalidAccessError", message, cause);
    }
}
