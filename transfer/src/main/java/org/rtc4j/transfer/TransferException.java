package org.rtc4j.transfer;

/** Why a transfer failed; {@link #reason()} says which kind of failure, the message says it for a person. */
public final class TransferException extends Exception {

    /** The kinds of failure a program may act on. */
    public enum Reason {
        /** The words of the code did not match the sender's (nothing was written). */
        WRONG_CODE,
        /** The code was right but the DTLS fingerprints differ: someone may sit in the middle. */
        INTERCEPTED,
        /** No sender waits at the code's number (it exited, or the number is wrong). */
        NO_SENDER,
        /** The sender refused after too many wrong codes, or the code expired. */
        CODE_CLOSED,
        /** The rendezvous server could not be reached or refused. */
        RENDEZVOUS,
        /** The peer connection failed or broke; running the same receive again resumes. */
        CONNECTION,
        /** The peer broke the protocol (bad message, unsafe path, bad offset): the transfer stops. */
        PROTOCOL,
        /** A file's SHA-256 did not match. */
        CORRUPT,
        /** A local file problem (exists already, no space, cannot write). */
        LOCAL
    }

    private final Reason reason;

    public TransferException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TransferException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
