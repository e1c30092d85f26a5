package org.rtc4j.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rtc4j.server.signaling.SignalingHub;

/**
 * What the operator page ({@code /internals}) shows, as JSON at {@code /api/internals}: the rooms and their
 * participants, every {@code rtc4j_*} meter of {@code /metrics} now, and a few of them sampled every five
 * seconds over the last ten minutes. Only for a request that carries the operator's token
 * ({@code Authorization: Bearer}); the page itself holds no data.
 */
final class Internals implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);
    /** Ten minutes of samples. */
    static final int KEPT = 120;
    /** Rooms listed at most: the page is for people, /metrics for machines. */
    static final int MAX_ROOMS = 500;
    /** The sampled series, in the order of each history row after its time (epoch milliseconds). */
    static final String[] SERIES = {"rooms", "clients", "messages_relayed", "turn_allocations",
        "turn_bytes_to_peer", "turn_bytes_to_client", "turn_rejected"};

    private final MeterRegistry registry;
    private final SignalingHub hub;
    private final byte[] token;
    private final ObjectMapper json;
    private final ArrayDeque<double[]> history = new ArrayDeque<>(KEPT);
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rtc4j-internals");
        t.setDaemon(true);
        return t;
    });

    Internals(MeterRegistry registry, SignalingHub hub, String token, ObjectMapper json) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("the operator page's token needs 16 characters or more");
        }
        this.registry = registry;
        this.hub = hub;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.json = json;
        sampler.scheduleAtFixedRate(this::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True when {@code authorization} (the header's value) carries the token; compared in constant time. */
    boolean allows(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON body of /api/internals. */
    String body() {
        ObjectNode root = json.createObjectNode();
        root.put("now", System.currentTimeMillis());
        root.put("sampleSeconds", EVERY.toSeconds());
        ArrayNode rooms = root.putArray("rooms");
        Map<String, Integer> sizes = hub.roomSizes();
        sizes.entrySet().stream().limit(MAX_ROOMS).forEach(e -> rooms.addObject()
                .put("name", e.getKey()).put("participants", e.getValue()));
        root.put("roomsListed", rooms.size());
        root.put("roomsTotal", sizes.size());
        ArrayNode meters = root.putArray("meters");
        registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("rtc4j."))
                .sorted(java.util.Comparator.comparing((Meter m) -> m.getId().getName())
                        .thenComparing(m -> m.getId().getTags().toString()))
                .forEach(m -> {
                    ObjectNode n = meters.addObject();
                    n.put("name", m.getId().getName());
                    n.put("help", m.getId().getDescription());
                    ObjectNode tags = n.putObject("tags");
                    for (Tag t : m.getId().getTags()) {
                        tags.put(t.getKey(), t.getValue());
                    }
                    double v = first(m);
                    if (Double.isNaN(v)) {
                        n.putNull("value");
                    } else {
                        n.put("value", v);
                    }
                });
        root.putPOJO("series", SERIES);
        ArrayNode rows = root.putArray("history");
        synchronized (history) {
            for (double[] row : history) {
                ArrayNode r = rows.addArray();
                for (double v : row) {
                    if (Double.isNaN(v)) {
                        r.addNull();
                    } else {
                        r.add(v);
                    }
                }
            }
        }
        return root.toString();
    }

    /** One row of the history: now and each series (NaN when its meter is not registered, as TURN without the demo). */
    private void sample() {
        double[] row = {System.currentTimeMillis(),
            value("rtc4j.signaling.rooms"), value("rtc4j.signaling.clients"),
            value("rtc4j.signaling.messages.relayed"), value("rtc4j.turn.allocations"),
            value("rtc4j.turn.relayed.bytes", "direction", "to_peer"),
            value("rtc4j.turn.relayed.bytes", "direction", "to_client"),
            rejectedOtherThanChallenges()};
        synchronized (history) {
            if (history.size() == KEPT) {
                history.removeFirst();
            }
            history.addLast(row);
        }
    }

    private double value(String name, String... tags) {
        Meter m = registry.find(name).tags(tags).meter();
        return m == null ? Double.NaN : first(m);
    }

    /** TURN error responses but 401 and 438, which start every authenticated exchange. */
    private double rejectedOtherThanChallenges() {
        double sum = Double.NaN;
        for (Meter m : registry.find("rtc4j.turn.rejected.requests").meters()) {
            String code = m.getId().getTag("code");
            if (!"401".equals(code) && !"438".equals(code)) {
                sum = (Double.isNaN(sum) ? 0 : sum) + first(m);
            }
        }
        return sum;
    }

    private static double first(Meter m) {
        for (Measurement measurement : m.measure()) {
            return measurement.getValue();
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
