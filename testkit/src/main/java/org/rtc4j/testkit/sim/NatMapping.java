package org.rtc4j.testkit.sim;

import java.time.Instant;
import org.rtc4j.core.TransportAddress;

/**
 * A live NAT mapping: an internal address, the external address it appears as, and (for address-dependent
 * mapping) the remote it was made for ({@code null} when endpoint-independent; port 0 when only the
 * address counts), and when it expires unless refreshed.
 */
public record NatMapping(TransportAddress internal, TransportAddress external, TransportAddress remote,
        Instant expires) {
}
