package org.rtc4j.signaling;

/** The server refused a request; {@link #code()} is the error code of the wire protocol. */
public final class SignalingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public SignalingException(String code, String message) {
        super(code + ": " + message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
