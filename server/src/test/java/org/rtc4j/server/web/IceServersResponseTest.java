package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IceServersResponseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET = "shared".getBytes();

    @Test
    void otherTurnServersOfTheClusterAreListedWithTheSameCredentials() throws Exception {
        IceServerSettings settings = new IceServerSettings("a.example", 3478, 3478, SECRET, Duration.ofHours(1))
                .withOtherTurnServers(List.of("b.example:3479", "[2001:db8::1]:3478"));
        JsonNode body = JSON.readTree(new IceServersResponse(settings, JSON).body("ignored", Instant.ofEpochSecond(1000)));
        JsonNode turn = body.at("/iceServers/1");
        assertThat(turn.get("urls")).extracting(JsonNode::asText).containsExactly(
                "turn:a.example:3478?transport=udp", "turn:a.example:3478?transport=tcp",
                "turn:b.example:3479?transport=udp", "turn:b.example:3479?transport=tcp",
                "turn:[2001:db8::1]:3478?transport=udp", "turn:[2001:db8::1]:3478?transport=tcp");
        // One secret: what any of them checks is the HMAC of the username under it.
        String username = turn.get("username").asText();
        assertThat(turn.get("credential").asText()).isEqualTo(TurnCredentials.password(SECRET, username));
    }

    @Test
    void aTlsListenerIsListedAsTurns() throws Exception {
        IceServerSettings settings = new IceServerSettings(null, 3478, 3478, SECRET, Duration.ofHours(1))
                .withTurnsPort(5349);
        JsonNode body = JSON.readTree(new IceServersResponse(settings, JSON).body("localhost", Instant.ofEpochSecond(1000)));
        assertThat(body.at("/iceServers/1/urls")).extracting(JsonNode::asText).containsExactly(
                "turn:localhost:3478?transport=udp", "turn:localhost:3478?transport=tcp", "turns:localhost:5349");
        JsonNode without = JSON.readTree(new IceServersResponse(settings.withTurnsPort(0), JSON)
                .body("localhost", Instant.ofEpochSecond(1000)));
        assertThat(without.at("/iceServers/1/urls").toString()).doesNotContain("turns:");
    }

    @Test
    void otherTurnServersAreHostAndPort() {
        IceServerSettings base = new IceServerSettings(null, 3478, 3478, SECRET, Duration.ofHours(1));
        for (String bad : List.of("b.example", "b.example:99999", "turn:b.example:3478", "b example:1", "")) {
            assertThatThrownBy(() -> base.withOtherTurnServers(List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
