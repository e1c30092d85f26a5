package org.rtc4j.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnStats;

/**
 * The TURN engine's counters on /metrics ({@code rtc4j_turn_*}), each with its HELP text. Reads race with the
 * engine's thread, which is fine for counters.
 */
final class TurnMetrics {
    /** The error codes the TURN server sends (RFC 8489 section 14.8, RFC 8656 section 18), by reason label. */
    static final Map<Integer, String> REJECTIONS = Map.ofEntries(
            Map.entry(400, "bad_request"), Map.entry(401, "unauthenticated"), Map.entry(403, "forbidden"),
            Map.entry(420, "unknown_attribute"), Map.entry(437, "allocation_mismatch"), Map.entry(438, "stale_nonce"),
            Map.entry(440, "address_family_not_supported"), Map.entry(441, "wrong_credentials"),
            Map.entry(442, "unsupported_transport"), Map.entry(443, "peer_address_family_mismatch"),
            Map.entry(486, "allocation_quota_reached"), Map.entry(508, "insufficient_capacity"));

    private TurnMetrics() {
    }

    static void bind(MeterRegistry registry, TurnServer engine) {
        Gauge.builder("rtc4j.turn.allocations", engine, e -> e.stats().allocations())
                .description("TURN allocations alive now").register(registry);
        // Not "created": OpenMetrics reserves the _created suffix, and the Prometheus registry drops such names.
        counter("rtc4j.turn.allocations.opened", "TURN allocations made since start", engine,
                TurnStats::allocationsCreated).register(registry);
        String packets = "datagrams relayed: to_peer from clients to peers, to_client from peers to clients";
        String bytes = "application bytes relayed: to_peer from clients to peers, to_client from peers to clients";
        counter("rtc4j.turn.relayed.packets", packets, engine, TurnStats::packetsToPeers)
                .tag("direction", "to_peer").register(registry);
        counter("rtc4j.turn.relayed.packets", packets, engine, TurnStats::packetsToClients)
                .tag("direction", "to_client").register(registry);
        counter("rtc4j.turn.relayed.bytes", bytes, engine, TurnStats::bytesToPeers)
                .tag("direction", "to_peer").register(registry);
        counter("rtc4j.turn.relayed.bytes", bytes, engine, TurnStats::bytesToClients)
                .tag("direction", "to_client").register(registry);
        counter("rtc4j.turn.auth.failures", "TURN requests refused for wrong user, password or integrity",
                engine, TurnStats::authFailures).register(registry);
        counter("rtc4j.turn.malformed", "datagrams to the TURN server dropped as not well-formed", engine,
                TurnStats::malformed).register(registry);
        counter("rtc4j.turn.dropped",
                "well-formed datagrams not relayed: no permission or channel, over the bandwidth cap, queue full",
                engine, TurnStats::dropped).register(registry);
        REJECTIONS.forEach((code, reason) -> counter("rtc4j.turn.rejected.requests",
                "TURN and STUN requests answered with an error, by code (401 and 438 also start every"
                        + " authenticated exchange)", engine, s -> s.rejected(code))
                .tag("code", String.valueOf(code)).tag("reason", reason).register(registry));
    }

    private static FunctionCounter.Builder<TurnServer> counter(String name, String help, TurnServer engine,
            ToLongFunction<TurnStats> value) {
        return FunctionCounter.builder(name, engine, e -> value.applyAsLong(e.stats())).description(help);
    }
}
