package org.rtc4j.testkit.sim;

/**
 * How a NAT maps (RFC 4787 section 4.1) or filters (section 5): what a mapping or a permission is tied to
 * besides the internal address and port.
 */
public enum NatBehavior {
    /** Mapping: one external address for every destination. Filtering: anyone may send to it. */
    ENDPOINT_INDEPENDENT,
    /** Tied to the remote IP address (any port). */
    ADDRESS_DEPENDENT,
    /** Tied to the remote IP address and port. */
    ADDRESS_AND_PORT_DEPENDENT
}
