package org.rtc4j.testkit.sim;

/**
 * Counters of one direction of a link, as a snapshot. {@code sent} counts datagrams offered to the link;
 * each is then dropped (down, MTU, loss or queue) or delivered, once or, when duplicated, twice. The
 * difference is what is still in flight.
 */
public record LinkStats(
        long sent,
        long sentBytes,
        long droppedDown,
        long droppedByMtu,
        long droppedByLoss,
        long droppedByQueue,
        long duplicated,
        long reordered,
        long delivered,
        long deliveredBytes) {

    /** Every drop, whatever the reason. */
    public long dropped() {
        return droppedDown + droppedByMtu + droppedByLoss + droppedByQueue;
    }

    /** Datagrams (copies included) that left the sender but have not arrived yet. */
    public long inFlight() {
        return sent + duplicated - dropped() - delivered;
    }
}
