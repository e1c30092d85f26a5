package org.rtc4j;

/** The specification's {@code InvalidStateError}: The object is in a state where this call is not allowed (closed, wrong signaling state, ...). */
public class InvalidStateError extends DOMException {

    public InvalidStateError(String message) {
        super("InvalidStateError", message);
    }

    public InvalidStateError(String message, Throwable cause) {
        super("InvalidStateError", message, cause);
    }
}
