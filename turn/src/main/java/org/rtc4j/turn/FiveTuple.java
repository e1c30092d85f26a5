package org.rtc4j.turn;

import org.rtc4j.core.TransportAddress;

/**
 * What identifies an allocation (RFC 8656 section 2, the 5-tuple): the client's transport address and the
 * server's, each with the protocol.
 */
record FiveTuple(TransportAddress client, TransportAddress server) {

    /*
     * Written out, not the record's: those are linked at run time through method handles (ObjectMethods), which
     * JDK 25's start-up cache does not keep: a server's first Allocate spun their classes (issue 23).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof FiveTuple other && client.equals(other.client) && server.equals(other.server);
    }

    @Override
    public int hashCode() {
        return client.hashCode() * 31 + server.hashCode();
    }
}
