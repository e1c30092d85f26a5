package org.rtc4j.server.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.rtc4j.server.signaling.ErrorCode;
import org.rtc4j.server.signaling.SignalingHub;
import org.rtc4j.server.signaling.SignalingStats;

/** Exposes a hub's state and counters as Micrometer meters (Prometheus names {@code rtc4j_signaling_*}). */
final class SignalingMetrics {
    private SignalingMetrics() {
    }

    static void bind(MeterRegistry registry, SignalingHub hub) {
        SignalingStats s = hub.stats();
        Gauge.builder("rtc4j.signaling.rooms", hub, SignalingHub::roomCount)
                .description("rooms that exist now").register(registry);
        Gauge.builder("rtc4j.signaling.clients", hub, SignalingHub::clientCount)
                .description("connected clients").register(registry);
        FunctionCounter.builder("rtc4j.signaling.messages.received", s, SignalingStats::received)
                .description("messages received from clients, valid or not").register(registry);
        FunctionCounter.builder("rtc4j.signaling.messages.relayed", s, SignalingStats::relayed)
                .description("offers, answers, candidates and messages relayed").register(registry);
        FunctionCounter.builder("rtc4j.signaling.messages.delivered", s, SignalingStats::delivered)
                .description("relayed messages delivered to a member").register(registry);
        FunctionCounter.builder("rtc4j.signaling.joins", s, SignalingStats::joins)
                .description("successful joins").register(registry);
        FunctionCounter.builder("rtc4j.signaling.flood.disconnects", s, SignalingStats::disconnectedForFlooding)
                .description("clients disconnected for flooding").register(registry);
        FunctionCounter.builder("rtc4j.signaling.slow.disconnects", s, SignalingStats::disconnectedForNotReading)
                .description("clients disconnected for not reading what was sent to them").register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            FunctionCounter.builder("rtc4j.signaling.errors", s, st -> st.errors(code))
                    .tag("code", code.wireName())
                    .description("error messages sent to clients").register(registry);
        }
    }
}
