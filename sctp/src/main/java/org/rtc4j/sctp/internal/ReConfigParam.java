package org.rtc4j.sctp.internal;

/** The parameters of a RE-CONFIG chunk (RFC 6525 4). */
public sealed interface ReConfigParam {

    /** Outgoing SSN Reset Request (RFC 6525 4.1); an empty stream list means all streams. */
    record OutgoingReset(int requestSeq, int responseSeq, int lastTsn, int[] streams) implements ReConfigParam {
    }

    /** Incoming SSN Reset Request (RFC 6525 4.2). */
    record IncomingReset(int requestSeq, int[] streams) implements ReConfigParam {
    }

    /** SSN/TSN Reset Request (RFC 6525 4.3). */
    record SsnTsnReset(int requestSeq) implements ReConfigParam {
    }

    /** Re-configuration Response (RFC 6525 4.4); the TSNs are present only when {@code hasTsns}. */
    record Response(int responseSeq, int result, boolean hasTsns, int senderNextTsn, int receiverNextTsn)
            implements ReConfigParam {
        public static final int SUCCESS_NOTHING_TO_DO = 0;
        public static final int SUCCESS_PERFORMED = 1;
        public static final int DENIED = 2;
        public static final int ERROR_WRONG_SSN = 3;
        public static final int ERROR_REQUEST_IN_PROGRESS = 4;
        public static final int ERROR_BAD_SEQUENCE = 5;
        public static final int IN_PROGRESS = 6;
    }

    /** Add Outgoing Streams (RFC 6525 4.5) or Add Incoming Streams (4.6). */
    record AddStreams(boolean outgoing, int requestSeq, int count) implements ReConfigParam {
    }

    /** A parameter type we do not know. */
    record Unknown(int paramType, byte[] value) implements ReConfigParam {
    }
}
