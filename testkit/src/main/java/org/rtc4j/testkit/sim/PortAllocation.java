package org.rtc4j.testkit.sim;

/** How a NAT picks the external port of a new mapping (RFC 4787 section 4.2.1). */
public enum PortAllocation {
    /** The internal port when it is free (port preservation), else the next free one. */
    PRESERVING,
    /** The next free port of the range, in order. */
    SEQUENTIAL,
    /** A free port drawn from the NAT's seeded random source. */
    RANDOM
}
