package org.rtc4j.media;

/** {@code NotReadableError}: a device exists and was chosen but could not be opened (in use, failed). */
public class NotReadableError extends MediaException {

    public NotReadableError(String message, Throwable cause) {
        super("NotReadableError", message, cause);
    }
}
