package org.rtc4j.media;

/** {@code NotFoundError}: no device of the requested kind exists (Media Capture and Streams, getUserMedia). */
public class NotFoundError extends MediaException {

    public NotFoundError(String message) {
        super("NotFoundError", message, null);
    }
}
