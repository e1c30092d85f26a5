package org.rtc4j.ice.internal;

/** The state of a candidate pair in the check list (RFC 8445 section 6.1.2.6). */
enum PairState {
    FROZEN,
    WAITING,
    IN_PROGRESS,
    SUCCEEDED,
    FAILED
}
