package org.rtc4j.turn;

import java.util.Map;

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
 * @param rejected error responses sent, by error code (401 and 438 are also the normal first step of
 *     long-term authentication, RFC 8489 section 9.2)
 */
public record TurnStats(long allocations, long allocationsCreated, long packetsToPeers, long bytesToPeers,
        long packetsToClients, long bytesToClients, long authFailures, long malformed, long dropped,
        Map<Integer, Long> rejected) {

    public TurnStats {
        rejected = Map.copyOf(rejected);
    }

    /** Error responses sent with this code. */
    public long rejected(int code) {
        return rejected.getOrDefault(code, 0L);
    }

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
                + counter("rtc4j_turn_dropped_total", dropped)
                + "# TYPE rtc4j_turn_rejected_requests_total counter\n"
                + rejected.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> "rtc4j_turn_rejected_requests_total{code=\"" + e.getKey() + "\"} " + e.getValue() + "\n")
                        .collect(java.util.stream.Collectors.joining());
    }

    private static String counter(String name, long value) {
        return "# TYPE " + name + " counter\n" + name + " " + value + "\n";
    }
}
