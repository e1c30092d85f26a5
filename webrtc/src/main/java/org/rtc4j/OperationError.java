package org.rtc4j;

/** The specification's {@code OperationError}: The operation failed for a reason specific to it (a full send buffer, an unusable candidate, ...). */
public class OperationError extends DOMException {

    public OperationError(String message) {
        super("OperationError", message);
    }

    public OperationError(String message, Throwable cause) {
        super("OperationError", message, cause);
    }
}
