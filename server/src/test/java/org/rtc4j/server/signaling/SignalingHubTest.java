package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalingHubTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private long now = 1_000_000_000L;

    /** A client with the messages it was sent. */
    final class Fake implements Outbound {
        final List<JsonNode> inbox = new ArrayList<>();
        int closeCode;
        Client client;

        @Override
        public void send(String text) {
            try {
                inbox.add(JSON.readTree(text));
            } catch (Exception e) {
                throw new AssertionError("server sent invalid JSON: " + text, e);
            }
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }

        JsonNode last() {
            return inbox.get(inbox.size() - 1);
        }

        JsonNode take() {
            assertThat(inbox).as("messages waiting").isNotEmpty();
            return inbox.remove(0);
        }

        List<String> types() {
            return inbox.stream().map(m -> m.get("type").asText()).toList();
        }
    }

    private Fake connect(SignalingHub hub) {
        Fake f = new Fake();
        f.client = hub.connect(f, now);
        return f;
    }

    private void send(SignalingHub hub, Fake f, String json) {
        hub.receive(f.client, json, now);
    }

    private Fake joined(SignalingHub hub, String room) {
        Fake f = connect(hub);
        send(hub, f, "{\"type\":\"join\",\"room\":\"" + room + "\"}");
        assertThat(f.last().get("type").asText()).isEqualTo("joined");
        return f;
    }

    @Test
    void firstJoinCreatesTheRoomAndTellsWhoIsThere() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Fake a = joined(hub, "r1");
        JsonNode ja = a.take();
        assertThat(ja.get("room").asText()).isEqualTo("r1");
        assertThat(ja.get("id").asText()).isEqualTo(a.client.id());
        assertThat(ja.get("peers")).isEmpty();
        assertThat(ja.get("capacity").asInt()).isEqualTo(2);
        assertThat(hub.roomCount()).isEqualTo(1);

        Fake b = joined(hub, "r1");
        JsonNode jb = b.take();
        assertThat(jb.get("peers").get(0).asText()).isEqualTo(a.client.id());
        JsonNode arrival = a.take();
        assertThat(arrival.get("type").asText()).isEqualTo("peer-joined");
        assertThat(arrival.get("id").asText()).isEqualTo(b.client.id());
        assertThat(hub.clientCount()).isEqualTo(2);
    }

    @Test
    void aThirdJoinerIsToldTheRoomIsFullAndMayJoinAnother() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Fake a = joined(hub, "r");
        Fake b = joined(hub, "r");
        a.inbox.clear();
        Fake c = connect(hub);
        send(hub, c, "{\"type\":\"join\",\"room\":\"r\"}");
        assertThat(c.last().get("type").asText()).isEqualTo("error");
        assertThat(c.last().get("code").asText()).isEqualTo("room-full");
        assertThat(c.last().get("request").asText()).isEqualTo("join");
        assertThat(a.inbox).isEmpty();
        assertThat(hub.stats().errors(ErrorCode.ROOM_FULL)).isEqualTo(1);
        send(hub, c, "{\"type\":\"join\",\"room\":\"other\"}");
        assertThat(c.last().get("type").asText()).isEqualTo("joined");
        assertThat(b.client.roomName()).isEqualTo("r");
    }

    @Test
    void meshRoomsHoldTheConfiguredCapacity() {
        var hub = new SignalingHub(SignalingSettings.defaults().withRoomCapacity(4));
        List<Fake> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(joined(hub, "mesh"));
        }
        assertThat(members.get(3).last().get("peers")).hasSize(3);
        Fake fifth = connect(hub);
        send(hub, fifth, "{\"type\":\"join\",\"room\":\"mesh\"}");
        assertThat(fifth.last().get("code").asText()).isEqualTo("room-full");
        members.forEach(m -> m.inbox.clear());
        send(hub, members.get(0), "{\"type\":\"message\",\"data\":{\"text\":\"hi all\"}}");
        for (int i = 1; i < 4; i++) {
            JsonNode m = members.get(i).take();
            assertThat(m.get("from").asText()).isEqualTo(members.get(0).client.id());
            assertThat(m.get("data").get("text").asText()).isEqualTo("hi all");
        }
        assertThat(members.get(0).inbox).as("no echo to the sender").isEmpty();
        assertThat(hub.stats().delivered()).isEqualTo(3);
    }

    @Test
    void relaysGoToOneMemberOrTheRoomAndNeverOutside() {
        var hub = new SignalingHub(SignalingSettings.defaults().withRoomCapacity(3));
        Fake a = joined(hub, "one");
        Fake b = joined(hub, "one");
        Fake c = joined(hub, "one");
        Fake x = joined(hub, "two");
        Fake y = joined(hub, "two");
        for (Fake f : List.of(a, b, c, x, y)) {
            f.inbox.clear();
        }
        send(hub, a, "{\"type\":\"offer\",\"to\":\"" + b.client.id() + "\",\"data\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        JsonNode offer = b.take();
        assertThat(offer.get("type").asText()).isEqualTo("offer");
        assertThat(offer.get("from").asText()).isEqualTo(a.client.id());
        assertThat(offer.get("data").get("sdp").asText()).isEqualTo("v=0");
        assertThat(c.inbox).isEmpty();

        // Addressed to a client of another room: refused, nothing delivered there.
        send(hub, a, "{\"type\":\"candidate\",\"to\":\"" + x.client.id() + "\",\"data\":{\"candidate\":\"c\"}}");
        assertThat(a.take().get("code").asText()).isEqualTo("unknown-peer");
        assertThat(x.inbox).isEmpty();
        assertThat(y.inbox).isEmpty();

        // Broadcast within room two only.
        send(hub, x, "{\"type\":\"candidate\",\"data\":null}");
        assertThat(y.take().get("data").isNull()).isTrue();
        assertThat(a.inbox).isEmpty();
        assertThat(b.inbox).isEmpty();
        assertThat(c.inbox).isEmpty();

        // To oneself: not a peer.
        send(hub, a, "{\"type\":\"message\",\"to\":\"" + a.client.id() + "\",\"data\":1}");
        assertThat(a.take().get("code").asText()).isEqualTo("unknown-peer");
    }

    @Test
    void leavingAndDisconnectingCleanUpAndTellTheOthers() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Fake a = joined(hub, "r");
        Fake b = joined(hub, "r");
        a.inbox.clear();
        b.inbox.clear();
        send(hub, b, "{\"type\":\"leave\"}");
        assertThat(b.take().get("type").asText()).isEqualTo("left");
        JsonNode left = a.take();
        assertThat(left.get("type").asText()).isEqualTo("peer-left");
        assertThat(left.get("id").asText()).isEqualTo(b.client.id());
        assertThat(hub.roomCount()).isEqualTo(1);

        send(hub, b, "{\"type\":\"message\",\"data\":\"after leaving\"}");
        assertThat(b.take().get("code").asText()).isEqualTo("not-in-room");
        assertThat(a.inbox).isEmpty();

        hub.disconnect(a.client);
        hub.disconnect(a.client);
        assertThat(hub.roomCount()).as("empty rooms go away").isZero();
        assertThat(hub.clientCount()).isEqualTo(1);
        hub.disconnect(b.client);
        assertThat(hub.clientCount()).isZero();
        send(hub, a, "{\"type\":\"join\",\"room\":\"r\"}");
        assertThat(a.inbox).as("a disconnected client is ignored").isEmpty();
    }

    @Test
    void disconnectInTheMiddleOfACallIsSeenByThePeer() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Fake a = joined(hub, "r");
        Fake b = joined(hub, "r");
        b.inbox.clear();
        hub.disconnect(a.client);
        assertThat(b.take().get("type").asText()).isEqualTo("peer-left");
        Fake c = joined(hub, "r");
        assertThat(c.take().get("peers")).hasSize(1);
    }

    @Test
    void badInputGetsAClearErrorAndNothingElse() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Fake a = joined(hub, "r");
        Fake b = joined(hub, "r");
        a.inbox.clear();
        b.inbox.clear();
        String[][] cases = {
            {"not json", "bad-json"},
            {"{\"type\":\"message\",", "bad-json"},
            {"{\"type\":\"message\"} trailing", "bad-json"},
            {"{\"type\":\"message\",\"type\":\"offer\"}", "bad-json"},
            {"[1,2]", "bad-message"},
            {"\"join\"", "bad-message"},
            {"", "bad-message"},
            {"{\"type\":7}", "bad-message"},
            {"{\"room\":\"r\"}", "bad-message"},
            {"{\"type\":\"teleport\"}", "unknown-type"},
            {"{\"type\":\"join\",\"room\":\"r\"}", "already-joined"},
            {"{\"type\":\"offer\",\"data\":\"v=0\"}", "bad-message"},
            {"{\"type\":\"answer\"}", "bad-message"},
            {"{\"type\":\"candidate\",\"data\":[1]}", "bad-message"},
            {"{\"type\":\"message\",\"to\":5,\"data\":1}", "bad-message"},
            {"{\"type\":\"message\",\"to\":\"nobody\",\"data\":1}", "unknown-peer"},
            {"[".repeat(100) + "]".repeat(100), "bad-json"},
        };
        for (String[] c : cases) {
            send(hub, a, c[0]);
            JsonNode reply = a.take();
            assertThat(reply.get("type").asText()).as(c[0]).isEqualTo("error");
            assertThat(reply.get("code").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(reply.get("message").asText()).isNotBlank();
        }
        assertThat(b.inbox).as("nothing bad is relayed").isEmpty();
        assertThat(a.inbox).isEmpty();
    }

    @Test
    void binaryMessagesAreRefused() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Fake a = joined(hub, "r");
        Fake b = joined(hub, "r");
        a.inbox.clear();
        b.inbox.clear();
        hub.receiveBinary(a.client, now);
        assertThat(a.take().get("code").asText()).isEqualTo("bad-message");
        assertThat(b.inbox).isEmpty();
    }

    @Test
    void roomNamesAreValidated() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Fake a = connect(hub);
        for (String bad : List.of("\"\"", "\"a b\"", "\"" + "x".repeat(65) + "\"", "\"../x\"", "5", "null", "\"é\"")) {
            send(hub, a, "{\"type\":\"join\",\"room\":" + bad + "}");
            assertThat(a.take().get("code").asText()).as(bad).isEqualTo("bad-room");
        }
        send(hub, a, "{\"type\":\"join\"}");
        assertThat(a.take().get("code").asText()).isEqualTo("bad-room");
        assertThat(hub.roomCount()).isZero();
        send(hub, a, "{\"type\":\"join\",\"room\":\"" + "x".repeat(64) + "\"}");
        assertThat(a.take().get("type").asText()).isEqualTo("joined");
    }

    @Test
    void oversizedMessagesAreRefusedNotRelayed() {
        var hub = new SignalingHub(SignalingSettings.defaults().withMaxMessageBytes(1000));
        Fake a = joined(hub, "r");
        Fake b = joined(hub, "r");
        a.inbox.clear();
        b.inbox.clear();
        String fits = "{\"type\":\"message\",\"data\":\"" + "x".repeat(900) + "\"}";
        send(hub, a, fits);
        assertThat(b.take().get("data").asText()).hasSize(900);
        // 400 two-byte characters: 400 chars but 800+ bytes, over the limit only when counted in UTF-8.
        String multibyte = "{\"type\":\"message\",\"data\":\"" + "é".repeat(490) + "\"}";
        send(hub, a, multibyte);
        assertThat(a.take().get("code").asText()).isEqualTo("too-large");
        send(hub, a, "{\"type\":\"message\",\"data\":\"" + "x".repeat(5000) + "\"}");
        assertThat(a.take().get("code").asText()).isEqualTo("too-large");
        assertThat(b.inbox).isEmpty();
        assertThat(hub.stats().errors(ErrorCode.TOO_LARGE)).isEqualTo(2);
    }

    @Test
    void utf8LengthCountsBytes() {
        assertThat(Utf8.length("abc", 100)).isLessThanOrEqualTo(100);
        assertThat(Utf8.length("é".repeat(10), 15)).isEqualTo(20);
        assertThat(Utf8.length("\uD83D\uDE00".repeat(3), 10)).isEqualTo(12);
        assertThat(Utf8.length("€".repeat(4), 11)).isEqualTo(12);
    }

    @Test
    void floodsAreDroppedThenDisconnected() {
        var hub = new SignalingHub(SignalingSettings.defaults().withRate(10, 20));
        Fake a = joined(hub, "r");
        Fake b = joined(hub, "r");
        a.inbox.clear();
        b.inbox.clear();
        for (int i = 0; i < 30; i++) {
            send(hub, a, "{\"type\":\"message\",\"data\":" + i + "}");
        }
        // The join took one token of the burst of 20: 19 relayed, then one rate-limited error, then silence.
        assertThat(b.inbox).hasSize(19);
        assertThat(a.types()).containsExactly("error");
        assertThat(a.take().get("code").asText()).isEqualTo("rate-limited");

        now += 1_000_000_000L; // a second later: 10 more tokens
        b.inbox.clear();
        for (int i = 0; i < 10; i++) {
            send(hub, a, "{\"type\":\"message\",\"data\":" + i + "}");
        }
        assertThat(b.inbox).hasSize(10);
        assertThat(a.inbox).isEmpty();

        for (int i = 0; i < 1000 && a.closeCode == 0; i++) {
            send(hub, a, "{\"type\":\"message\",\"data\":0}");
        }
        assertThat(a.closeCode).isEqualTo(1008);
        assertThat(hub.stats().disconnectedForFlooding()).isEqualTo(1);
        assertThat(b.last().get("type").asText()).isEqualTo("peer-left");
        assertThat(hub.clientCount()).isEqualTo(1);
    }

    @Test
    void roomAndClientLimits() {
        var hub = new SignalingHub(SignalingSettings.defaults().withMaxRooms(2).withMaxClients(4));
        joined(hub, "a");
        joined(hub, "b");
        Fake c = connect(hub);
        send(hub, c, "{\"type\":\"join\",\"room\":\"c\"}");
        assertThat(c.take().get("code").asText()).isEqualTo("too-many-rooms");
        send(hub, c, "{\"type\":\"join\",\"room\":\"a\"}");
        assertThat(c.take().get("type").asText()).isEqualTo("joined");
        connect(hub);
        Fake fifth = connect(hub);
        assertThat(fifth.client).isNull();
        assertThat(fifth.take().get("code").asText()).isEqualTo("server-full");
        assertThat(fifth.closeCode).isEqualTo(1013);
    }

    @Test
    void pingIsAnsweredAndIdsAreUnique() {
        var hub = new SignalingHub(SignalingSettings.defaults());
        Fake a = connect(hub);
        send(hub, a, "{\"type\":\"ping\"}");
        assertThat(a.take().get("type").asText()).isEqualTo("pong");
        var ids = new java.util.HashSet<String>();
        for (int i = 0; i < 2000; i++) {
            ids.add(connect(hub).client.id());
        }
        assertThat(ids).hasSize(2000);
    }
}
