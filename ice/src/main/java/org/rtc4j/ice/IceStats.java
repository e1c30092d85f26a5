package org.rtc4j.ice;

/**
 * Counters of an {@link IceAgent}: checks, and input dropped by reason (bad input is dropped and counted,
 * never thrown).
 *
 * @param malformed STUN that did not parse, or lacked a required attribute
 * @param unauthenticated STUN with a wrong username, MESSAGE-INTEGRITY or no FINGERPRINT
 * @param unknownTransaction responses to no outstanding request
 * @param unauthenticatedData application data from an address no authenticated check vouched for
 * @param unknownDestination datagrams to an address the agent does not own
 * @param roleConflicts 487 answers sent or received
 * @param refusedRemoteCandidates signaled candidates at addresses no check can reach (multicast, broadcast,
 *     unspecified), dropped before pairing
 */
public record IceStats(long checksSent, long checksReceived, long malformed, long unauthenticated,
        long unknownTransaction, long unauthenticatedData, long unknownDestination, long roleConflicts,
        long dataReceived, long dataSent, long refusedRemoteCandidates) {
}
