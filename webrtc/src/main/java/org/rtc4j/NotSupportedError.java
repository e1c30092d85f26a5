package org.rtc4j;

/** The specification's {@code NotSupportedError}: The request is valid but not supported by rtc4j. */
public class NotSupportedError extends DOMException {

    public NotSupportedError(String message) {
        super("NotSupportedError", message);
    }

    public NotSupportedError(String message, Throwable cause) {
        super("NotSupportedError", message, cause);
    }
}
