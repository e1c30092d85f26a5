package org.rtc4j;

/** The specification's {@code InvalidModificationError}: A configuration change that the specification forbids after construction. */
public class InvalidModificationError extends DOMException {

    public InvalidModificationError(String message) {
        super("InvalidModificationError", message);
    }

    public InvalidModificationError(String message, Throwable cause) {
        super("InvalidModificationError", message, cause);
    }
}
