package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A member that answers {@code peer-joined} at once (as the web app does: the newcomer's peer sends its
 * offer the moment it learns of it) must reach the newcomer: a member is announced only when it can
 * receive. The reaction runs inside the hub's send, the earliest moment any real client could react.
 */
class JoinRaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_000_000_000L;

    /** A client that hands every message it gets to a reaction, and keeps them. */
    static final class Reactive implements Outbound {
        final List<JsonNode> inbox = new ArrayList<>();
        Consumer<JsonNode> reaction = m -> { };
        Client client;

        @Override
        public void send(String text) {
            JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (Exception e) {
                throw new AssertionError(text, e);
            }
            inbox.add(m);
            reaction.accept(m);
        }

        @Override
        public void close(int code, String reason) {
        }

        List<String> types() {
            return inbox.stream().map(m -> m.get("type").asText()).toList();
        }
    }

    @Test
    void anOfferSentTheMomentPeerJoinedArrivesReachesTheNewcomer() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Reactive a = new Reactive();
        a.client = hub.connect(a, NOW);
        hub.receive(a.client, "{\"type\":\"join\",\"room\":\"r\"}", NOW);
        a.reaction = m -> {
            if (m.get("type").asText().equals("peer-joined")) {
                hub.receive(a.client, "{\"type\":\"offer\",\"to\":\"" + m.get("id").asText()
                        + "\",\"data\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}", NOW);
            }
        };
        Reactive b = new Reactive();
        b.client = hub.connect(b, NOW);
        hub.receive(b.client, "{\"type\":\"join\",\"room\":\"r\"}", NOW);

        assertThat(a.types()).doesNotContain("error");
        assertThat(b.types()).containsExactly("joined", "offer");
    }

    @Test
    void aBroadcastSentTheMomentPeerJoinedArrivesReachesTheNewcomer() {
        var hub = new SignalingHub(SignalingSettings.defaults().withRoomCapacity(3));
        Reactive a = new Reactive();
        a.client = hub.connect(a, NOW);
        hub.receive(a.client, "{\"type\":\"join\",\"room\":\"r\"}", NOW);
        a.reaction = m -> {
            if (m.get("type").asText().equals("peer-joined")) {
                hub.receive(a.client, "{\"type\":\"message\",\"data\":\"hi\"}", NOW);
            }
        };
        Reactive b = new Reactive();
        b.client = hub.connect(b, NOW);
        hub.receive(b.client, "{\"type\":\"join\",\"room\":\"r\"}", NOW);

        assertThat(b.types()).containsExactly("joined", "message");
    }

    @Test
    void theNewcomerMayRelayTheMomentItIsToldItJoined() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Reactive a = new Reactive();
        a.client = hub.connect(a, NOW);
        hub.receive(a.client, "{\"type\":\"join\",\"room\":\"r\"}", NOW);
        Reactive b = new Reactive();
        b.client = hub.connect(b, NOW);
        b.reaction = m -> {
            if (m.get("type").asText().equals("joined")) {
                hub.receive(b.client, "{\"type\":\"message\",\"data\":\"hello\"}", NOW);
            }
        };
        hub.receive(b.client, "{\"type\":\"join\",\"room\":\"r\"}", NOW);

        assertThat(b.types()).containsExactly("joined");
        assertThat(a.types()).contains("message");
    }
}
