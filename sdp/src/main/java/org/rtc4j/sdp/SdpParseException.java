package org.rtc4j.sdp;

/**
 * A session description that does not follow RFC 8866 or the attribute grammars rtc4j relies on, with the
 * 1-based number of the offending line ({@code 0} when the problem is not tied to one line) and the reason.
 * It carries no stack trace: a malformed description from the network is routine, so raising this one must
 * stay cheap.
 */
public final class SdpParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    public SdpParseException(int line, String reason) {
        super(line > 0 ? "SDP line " + line + ": " + reason : "SDP: " + reason, null, false, false);
        this.line = line;
        this.reason = reason;
    }

    /** The 1-based number of the offending line, or {@code 0} when the error concerns the whole description. */
    public int line() {
        return line;
    }

    /** What is wrong, without the line number. */
    public String reason() {
        return reason;
    }
}
