package org.rtc4j.turn;

/**
 * A snapshot of a {@link TurnServer}'s counters, for a metrics endpoint.
 *
 * @param allocations allocations alive now
 * @param allocationsCreated allocations created since start
 * @param packetsToPeers datagrams relayed from clients to peers
 * @param bytesToPeers application bytes relayed from clients to peers
 * @param packetsToClients datagrams relayed from peers to clients
 * @param bytesToClients application bytes relayed from peers to clients
 * @param authFailures requests refused for bad credentials (wrong user, password or integrity)
 * @param malformed datagrams dropped because they were not well-formed
 * @param dropped well-formed datagrams not relayed (no permission, no channel, over the bandwidth cap)
 */
public record TurnStats(long allocations, long allocationsCreated, long packetsToPeers, long bytesToPeers,
        long packetsToClients, long bytesToClients, long authFailures, long malformed, long dropped) {

    /** The counters in the Prometheus text format. */
    public String prometheus() {
        return "# TYPE rtc4j_turn_allocations gauge\nrtc4j_turn_allocations " + allocations + "\n"
                + counter("rtc4j_turn_allocations_created_total", allocationsCreated)
                + "# TYPE rtc4j_turn_relayed_packets_total counter\n"
                + "rtc4j_turn_relayed_packets_total{direction=\"to_peer\"} " + packetsToPeers + "\n"
                + "rtc4j_turn_relayed_packets_total{direction=\"to_client\"} " + packetsToClients + "\n"
                + "# TYPE rtc4j_turn_relayed_bytes_total counter\n"
                + "rtc4j_turn_relayed_bytes_total{direction=\"to_peer\"} " + bytesToPeers + "\n"
                + "rtc4j_turn_relayed_bytes_total{direction=\"to_client\"} " + bytesToClients + "\n"
                + counter("rtc4j_turn_auth_failures_total", authFailures)
                + counter("rtc4j_turn_malformed_total", malformed)
                + counter("rtc4j_turn_dropped_total", dropped);
    }

    private static String counter(String name, long value) {
        return "# TYPE " + name + " counter\n" + name + " " + value + "\n";
    }
}
