package org.rtc4j.media;

/** {@code InvalidStateError}: the call is not allowed in the object's state (e.g. pushing to a stopped source). */
public class InvalidStateError extends MediaException {

    public InvalidStateError(String message) {
        super("InvalidStateError", message, null);
    }
}
