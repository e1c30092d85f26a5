package org.rtc4j.turn;

import java.time.Instant;
import org.rtc4j.core.TransportAddress;

/** An engine that wants to hear when a client's TCP connection closes (RFC 8656 section 3.1: it ends the allocation). */
public interface ConnectionAware {

    void connectionClosed(Instant now, TransportAddress local, TransportAddress remote);

    /** Whether an idle connection is still in use (it holds an allocation), so the runner must not close it. */
    boolean inUse(TransportAddress local, TransportAddress remote);
}
