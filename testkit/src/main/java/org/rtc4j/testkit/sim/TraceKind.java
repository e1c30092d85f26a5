package org.rtc4j.testkit.sim;

/** What a {@link TraceEntry} records. */
public enum TraceKind {
    /** Offered to a link. */
    SEND,
    DROP_DOWN,
    DROP_MTU,
    DROP_LOSS,
    DROP_QUEUE,
    /** A second copy was made. */
    DUPLICATE,
    /** Held back so that later datagrams overtake it. */
    REORDER,
    /** Arrived at the far end of a link. */
    ARRIVE,
    /** Handed to an engine or an endpoint. */
    DELIVER,
    /** No engine or endpoint is bound to the destination. */
    NO_LISTENER,
    /** No route to the destination. */
    UNROUTABLE,
    /** An engine's timeout was served. */
    TIMEOUT,
    /** A NAT rewrote an outbound datagram's source. */
    NAT_OUT,
    /** A NAT rewrote an inbound datagram's destination. */
    NAT_IN,
    /** A NAT sent an inside datagram back inside (hairpinning). */
    NAT_HAIRPIN,
    /** A NAT dropped a datagram (no mapping, filtered, no hairpinning, no free port). */
    NAT_DROP,
    /** A scheduled action of the test ran. */
    ACTION
}
