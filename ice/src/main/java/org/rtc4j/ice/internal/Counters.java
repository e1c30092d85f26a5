package org.rtc4j.ice.internal;

import org.rtc4j.ice.IceStats;

/** What the agent counted: checks, and input dropped by reason ({@link IceStats}). */
final class Counters {
    long checksSent;
    long checksReceived;
    long malformed;
    long unauthenticated;
    long unknownTransaction;
    long unauthenticatedData;
    long unknownDestination;
    long roleConflicts;
    long dataReceived;
    long dataSent;
    long refusedRemoteCandidates;

    IceStats snapshot(long relayMalformed) {
        return new IceStats(checksSent, checksReceived, malformed + relayMalformed, unauthenticated,
                unknownTransaction, unauthenticatedData, unknownDestination, roleConflicts, dataReceived, dataSent,
                refusedRemoteCandidates);
    }
}
