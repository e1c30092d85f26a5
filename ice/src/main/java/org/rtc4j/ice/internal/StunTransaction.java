package org.rtc4j.ice.internal;

import java.time.Duration;
import java.time.Instant;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.IceServerUrl;
import org.rtc4j.ice.stun.StunMessage;

/** An outstanding Binding request of the agent: a check, a consent check, or a server-reflexive query. */
final class StunTransaction {

    enum Kind { CHECK, CONSENT, GATHER }

    final Kind kind;
    final StunMessage request;
    final LocalCandidate local;
    final TransportAddress destination;
    /** CHECK and CONSENT: the pair; null for GATHER. */
    final CheckPair pair;
    /** GATHER: the server's URL, for a candidate error. */
    final IceServerUrl url;
    final boolean useCandidate;
    final IceRole role;
    int transmissions = 1;
    Duration rto;
    Instant nextAt;

    StunTransaction(Kind kind, StunMessage request, LocalCandidate local, TransportAddress destination,
            CheckPair pair, IceServerUrl url, boolean useCandidate, IceRole role) {
        this.kind = kind;
        this.request = request;
        this.local = local;
        this.destination = destination;
        this.pair = pair;
        this.url = url;
        this.useCandidate = useCandidate;
        this.role = role;
    }
}
