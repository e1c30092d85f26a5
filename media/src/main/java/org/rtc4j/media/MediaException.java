package org.rtc4j.media;

/**
 * The base of the errors Media Capture and Streams names (NotFoundError, OverconstrainedError, ...): thrown for
 * misuse, or completing a returned future exceptionally. {@link #name()} is the specification's name.
 */
public class MediaException extends RuntimeException {

    private final String name;

    protected MediaException(String name, String message, Throwable cause) {
        super(message, cause);
        this.name = name;
    }

    /** The specification's error name, e.g. {@code "NotFoundError"}. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + ": " + getMessage();
    }
}
