package org.rtc4j;

/**
 * The base of the errors the W3C specification names (InvalidStateError, OperationError, ...): thrown by the
 * API for misuse, or completing a returned future exceptionally. {@link #name()} is the specification's name.
 */
public class DOMException extends RuntimeException {

    private final String name;

    protected DOMException(String name, String message) {
        super(message);
        this.name = name;
    }

    protected DOMException(String name, String message, Throwable cause) {
        super(message, cause);
        this.name = name;
    }

    /** The specification's error name, e.g. {@code "InvalidStateError"}. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + ": " + getMessage();
    }
}
