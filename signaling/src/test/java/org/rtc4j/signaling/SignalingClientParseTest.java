package org.rtc4j.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignalingClientParseTest {

    @Test
    void serverMessagesBecomeEvents() {
        assertThat(SignalingClient.parse("{\"type\":\"joined\",\"room\":\"r\",\"id\":\"me\",\"peers\":[\"a\",\"b\"],\"capacity\":3}"))
                .isEqualTo(new SignalingEvent.Joined("r", "me", java.util.List.of("a", "b"), 3));
        assertThat(SignalingClient.parse("{\"type\":\"peer-joined\",\"room\":\"r\",\"id\":\"x\"}"))
                .isEqualTo(new SignalingEvent.PeerJoined("r", "x"));
        assertThat(SignalingClient.parse("{\"type\":\"peer-left\",\"room\":\"r\",\"id\":\"x\"}"))
                .isEqualTo(new SignalingEvent.PeerLeft("r", "x"));
        assertThat(SignalingClient.parse("{\"type\":\"left\",\"room\":\"r\"}")).isEqualTo(new SignalingEvent.Left("r"));
        var relayed = (SignalingEvent.Relayed) SignalingClient.parse(
                "{\"type\":\"offer\",\"from\":\"x\",\"data\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        assertThat(relayed.type()).isEqualTo("offer");
        assertThat(relayed.from()).isEqualTo("x");
        assertThat(relayed.data().get("sdp").asText()).isEqualTo("v=0");
        var candidate = (SignalingEvent.Relayed) SignalingClient.parse("{\"type\":\"candidate\",\"from\":\"x\"}");
        assertThat(candidate.data().isNull()).isTrue();
        assertThat(SignalingClient.parse("{\"type\":\"error\",\"code\":\"room-full\",\"message\":\"full\",\"request\":\"join\"}"))
                .isEqualTo(new SignalingEvent.Error("room-full", "full", "join"));
    }

    @Test
    void unknownOrBrokenMessagesAreIgnored() {
        assertThat(SignalingClient.parse("{\"type\":\"pong\"}")).isNull();
        assertThat(SignalingClient.parse("{\"type\":\"from-the-future\"}")).isNull();
        assertThat(SignalingClient.parse("not json")).isNull();
        assertThat(SignalingClient.parse("[1]")).isNull();
        assertThat(SignalingClient.parse("")).isNull();
    }
}
