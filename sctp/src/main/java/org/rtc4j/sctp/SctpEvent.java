package org.rtc4j.sctp;

/** What an association reports to its user. */
public sealed interface SctpEvent {

    /** The handshake completed; data may flow. */
    record Connected(int outboundStreams, int inboundStreams, boolean interleaving) implements SctpEvent {
    }

    /**
     * A whole message arrived. {@code data} is the application's from now on (one array per message, filled
     * once from the fragments: no further copy).
     */
    record Message(int stream, int ppid, byte[] data, boolean unordered) implements SctpEvent {
    }

    /** The peer reset these outgoing streams of its own: our incoming side of them starts again (RFC 6525). */
    record IncomingStreamsReset(int[] streams) implements SctpEvent {
    }

    /** Our reset of these outgoing streams was performed by the peer. */
    record OutgoingStreamsReset(int[] streams) implements SctpEvent {
    }

    /** The peer denied our reset request for these streams. */
    record StreamResetFailed(int[] streams) implements SctpEvent {
    }

    /** The number of streams changed (RFC 6525 add streams). */
    record StreamsChanged(int outboundStreams, int inboundStreams) implements SctpEvent {
    }

    /** A stream's buffered amount fell to or below its low threshold. */
    record BufferedAmountLow(int stream) implements SctpEvent {
    }

    /**
     * The peer reset the association's TSNs and every stream's sequence numbers (RFC 6525 SSN/TSN Reset):
     * messages it had not completed were dropped; the streams stay open.
     */
    record AssociationReset() implements SctpEvent {
    }

    /** The peer restarted (RFC 9260 5.2.4 case A): queued and unacknowledged data was dropped. */
    record Restarted() implements SctpEvent {
    }

    /** The association is gone: shut down gracefully, aborted by either side, or failed. */
    record Closed(String reason, boolean graceful) implements SctpEvent {
    }
}
