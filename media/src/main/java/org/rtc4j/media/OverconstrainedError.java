package org.rtc4j.media;

/**
 * {@code OverconstrainedError}: devices of the kind exist but none can meet the required constraints.
 * {@link #constraint()} names one required constraint no device could meet, or is empty when only their
 * combination failed (Media Capture and Streams, section "OverconstrainedError").
 */
public class OverconstrainedError extends MediaException {

    private final String constraint;

    public OverconstrainedError(String constraint, String message) {
        super("OverconstrainedError", message, null);
        this.constraint = constraint;
    }

    /** The constraint that could not be met, e.g. {@code "width"}, or {@code ""}. */
    public String constraint() {
        return constraint;
    }
}
