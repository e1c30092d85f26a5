package org.rtc4j.testkit.sim;

import java.time.Instant;
import org.rtc4j.core.TransportAddress;

/** A datagram as an endpoint received it: when, from where, to where, and its bytes (a private copy). */
public record Datagram(Instant time, TransportAddress source, TransportAddress destination, byte[] data) {

    public int length() {
        return data.length;
    }
}
