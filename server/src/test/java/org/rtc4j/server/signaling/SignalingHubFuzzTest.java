package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Whatever a client sends (here: messages separated by NUL bytes, from a client in room "one"), the hub
 * throws nothing, answers only with JSON objects that have a type, and delivers nothing to room "two"
 * while the sender is not in it.
 * In the suite this replays the seeds in {@code SignalingHubFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SignalingHubFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final class Recorder implements Outbound {
        final List<String> sent = new ArrayList<>();

        @Override
        public void send(String text) {
            sent.add(text);
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    @FuzzTest(maxDuration = "60s")
    void messages(byte[] input) throws Exception {
        SignalingHub hub = new SignalingHub(SignalingSettings.defaults().withRoomCapacity(3).withMaxRooms(4)
                .withMaxMessageBytes(2048).withRate(100, 20));
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder x = new Recorder();
        Client ca = hub.connect(a, 0);
        Client cb = hub.connect(b, 0);
        Client cx = hub.connect(x, 0);
        hub.receive(ca, "{\"type\":\"join\",\"room\":\"one\"}", 0);
        hub.receive(cb, "{\"type\":\"join\",\"room\":\"one\"}", 0);
        hub.receive(cx, "{\"type\":\"join\",\"room\":\"two\"}", 0);

        long now = 0;
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == 0) {
                String msg = new String(input, start, i - start, StandardCharsets.UTF_8)
                        .replace("$X", cx.id()).replace("$B", cb.id());
                boolean wasInTwo = "two".equals(ca.roomName());
                int seen = x.sent.size();
                hub.receive(ca, msg, now += 1_000_000);
                if (!wasInTwo) {
                    // While the sender is outside room two, the most x may hear is that it arrived.
                    for (String text : x.sent.subList(seen, x.sent.size())) {
                        assertThat(JSON.readTree(text).path("type").asText()).as(text).isEqualTo("peer-joined");
                    }
                }
                start = i + 1;
            }
        }
        for (Recorder r : List.of(a, b)) {
            for (String text : r.sent) {
                JsonNode node = JSON.readTree(text);
                assertThat(node.isObject() && node.path("type").isTextual()).as(text).isTrue();
            }
        }
        assertThat(hub.clientCount()).isBetween(2, 3);
    }
}
