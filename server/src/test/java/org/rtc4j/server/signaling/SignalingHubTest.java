package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The signaling protocol on one hub. {@link SignalingHubOnRedisTest} runs every test again with the
 * clients spread over two hubs sharing a real redis-server, so the tests are written for both: client 1
 * is on {@code hubs[0]}, client 2 on {@code hubs[1]} (the same hub here), and replies are awaited.
 */
class SignalingHubTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private long now = System.nanoTime();

    /** The hub of client 1 and the hub of client 2: one hub here. */
    SignalingHub[] hubs(SignalingSettings settings) {
        SignalingHub hub = new SignalingHub(settings);
        return new SignalingHub[] {hub, hub};
    }

    /**
     * Waits before checking that nothing arrived. On one hub every message is delivered before
     * {@code receive} returns, so there is nothing to wait for.
     */
    void settle() throws InterruptedException {
    }

    /** A client with the messages it was sent (possibly on another thread, from another hub). */
    final class Fake implements Outbound {
        final LinkedBlockingDeque<JsonNode> inbox = new LinkedBlockingDeque<>();
        volatile int closeCode;
        SignalingHub hub;
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

        void say(String json) {
            hub.receive(client, json, now);
        }

        /** The next message, waiting up to 10 s for it. */
        JsonNode take() throws InterruptedException {
            JsonNode m = inbox.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a message within 10 s").isNotNull();
            return m;
        }

        /** Takes messages until one of {@code type}, which it returns. */
        JsonNode skipTo(String type) throws InterruptedException {
            for (JsonNode m = take(); ; m = take()) {
                if (m.get("type").asText().equals(type)) {
                    return m;
                }
            }
        }

        /** Waits until {@code n} messages arrived, then forgets them. */
        void clearAfter(int n) throws InterruptedException {
            awaitSize(n);
            inbox.clear();
        }

        void awaitSize(int n) throws InterruptedException {
            for (int i = 0; i < 1000 && inbox.size() < n; i++) {
                Thread.sleep(10);
            }
            assertThat(inbox).as("messages waiting").hasSizeGreaterThanOrEqualTo(n);
        }

        List<String> types() {
            return inbox.stream().map(m -> m.get("type").asText()).toList();
        }
    }

    private Fake connect(SignalingHub hub) {
        Fake f = new Fake();
        f.hub = hub;
        f.client = hub.connect(f, now);
        return f;
    }

    /** A client joined to {@code room}; its {@code joined} stays first in its inbox. */
    private Fake joined(SignalingHub hub, String room) throws InterruptedException {
        Fake f = connect(hub);
        f.say("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        f.awaitSize(1);
        assertThat(f.inbox.peekFirst().get("type").asText()).isEqualTo("joined");
        return f;
    }

    /** Client 1 and client 2 in room "r", with their joined and peer-joined messages read. */
    private Fake[] callers(SignalingHub[] h) throws InterruptedException {
        Fake a = joined(h[0], "r");
        Fake b = joined(h[1], "r");
        a.clearAfter(2);
        b.clearAfter(1);
        return new Fake[] {a, b};
    }

    /** Clients connected to all the hubs together. */
    private static int clients(SignalingHub[] hubs) {
        return Arrays.stream(hubs).distinct().mapToInt(SignalingHub::clientCount).sum();
    }

    @Test
    void firstJoinCreatesTheRoomAndTellsWhoIsThere() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults());
        Fake a = joined(h[0], "r1");
        JsonNode ja = a.take();
        assertThat(ja.get("room").asText()).isEqualTo("r1");
        assertThat(ja.get("id").asText()).isEqualTo(a.client.id());
        assertThat(ja.get("peers")).isEmpty();
        assertThat(ja.get("capacity").asInt()).isEqualTo(2);
        assertThat(h[0].roomCount()).isEqualTo(1);

        Fake b = joined(h[1], "r1");
        JsonNode jb = b.take();
        assertThat(jb.get("peers").get(0).asText()).isEqualTo(a.client.id());
        JsonNode arrival = a.take();
        assertThat(arrival.get("type").asText()).isEqualTo("peer-joined");
        assertThat(arrival.get("id").asText()).isEqualTo(b.client.id());
        assertThat(clients(h)).isEqualTo(2);
    }

    @Test
    void aThirdJoinerIsToldTheRoomIsFullAndMayJoinAnother() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults());
        Fake a = joined(h[0], "r");
        Fake b = joined(h[1], "r");
        a.clearAfter(2);
        Fake c = connect(h[0]);
        c.say("{\"type\":\"join\",\"room\":\"r\"}");
        JsonNode full = c.take();
        assertThat(full.get("type").asText()).isEqualTo("error");
        assertThat(full.get("code").asText()).isEqualTo("room-full");
        assertThat(full.get("request").asText()).isEqualTo("join");
        settle();
        assertThat(a.inbox).isEmpty();
        assertThat(h[0].stats().errors(ErrorCode.ROOM_FULL)).isEqualTo(1);
        c.say("{\"type\":\"join\",\"room\":\"other\"}");
        assertThat(c.take().get("type").asText()).isEqualTo("joined");
        assertThat(b.client.roomName()).isEqualTo("r");
    }

    @Test
    void meshRoomsHoldTheConfiguredCapacity() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults().withRoomCapacity(4));
        List<Fake> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(joined(h[i % 2], "mesh"));
        }
        assertThat(members.get(3).inbox.peekFirst().get("peers")).hasSize(3);
        Fake fifth = connect(h[0]);
        fifth.say("{\"type\":\"join\",\"room\":\"mesh\"}");
        assertThat(fifth.take().get("code").asText()).isEqualTo("room-full");
        for (int i = 0; i < 4; i++) {
            members.get(i).clearAfter(1 + 3 - i); // its joined, and the peer-joined of each later member
        }
        members.get(0).say("{\"type\":\"message\",\"data\":{\"text\":\"hi all\"}}");
        for (int i = 1; i < 4; i++) {
            JsonNode m = members.get(i).take();
            assertThat(m.get("from").asText()).isEqualTo(members.get(0).client.id());
            assertThat(m.get("data").get("text").asText()).isEqualTo("hi all");
        }
        settle();
        assertThat(members.get(0).inbox).as("no echo to the sender").isEmpty();
        assertThat(h[0].stats().delivered()).isEqualTo(3);
    }

    @Test
    void relaysGoToOneMemberOrTheRoomAndNeverOutside() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults().withRoomCapacity(3));
        Fake a = joined(h[0], "one");
        Fake b = joined(h[1], "one");
        Fake c = joined(h[0], "one");
        Fake x = joined(h[1], "two");
        Fake y = joined(h[0], "two");
        a.clearAfter(3);
        b.clearAfter(2);
        c.clearAfter(1);
        x.clearAfter(2);
        y.clearAfter(1);
        a.say("{\"type\":\"offer\",\"to\":\"" + b.client.id() + "\",\"data\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        JsonNode offer = b.take();
        assertThat(offer.get("type").asText()).isEqualTo("offer");
        assertThat(offer.get("from").asText()).isEqualTo(a.client.id());
        assertThat(offer.get("data").get("sdp").asText()).isEqualTo("v=0");
        settle();
        assertThat(c.inbox).isEmpty();

        // Addressed to a client of another room: refused, nothing delivered there.
        a.say("{\"type\":\"candidate\",\"to\":\"" + x.client.id() + "\",\"data\":{\"candidate\":\"c\"}}");
        assertThat(a.take().get("code").asText()).isEqualTo("unknown-peer");
        settle();
        assertThat(x.inbox).isEmpty();
        assertThat(y.inbox).isEmpty();

        // Broadcast within room two only.
        x.say("{\"type\":\"candidate\",\"data\":null}");
        assertThat(y.take().get("data").isNull()).isTrue();
        settle();
        assertThat(a.inbox).isEmpty();
        assertThat(b.inbox).isEmpty();
        assertThat(c.inbox).isEmpty();

        // To oneself: not a peer.
        a.say("{\"type\":\"message\",\"to\":\"" + a.client.id() + "\",\"data\":1}");
        assertThat(a.take().get("code").asText()).isEqualTo("unknown-peer");
    }

    @Test
    void leavingAndDisconnectingCleanUpAndTellTheOthers() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults());
        Fake[] ab = callers(h);
        Fake a = ab[0];
        Fake b = ab[1];
        b.say("{\"type\":\"leave\"}");
        assertThat(b.take().get("type").asText()).isEqualTo("left");
        JsonNode left = a.take();
        assertThat(left.get("type").asText()).isEqualTo("peer-left");
        assertThat(left.get("id").asText()).isEqualTo(b.client.id());
        assertThat(h[0].roomCount()).isEqualTo(1);

        b.say("{\"type\":\"message\",\"data\":\"after leaving\"}");
        assertThat(b.take().get("code").asText()).isEqualTo("not-in-room");
        settle();
        assertThat(a.inbox).isEmpty();

        h[0].disconnect(a.client);
        h[0].disconnect(a.client);
        assertThat(Arrays.stream(h).mapToInt(SignalingHub::roomCount)).as("empty rooms go away").containsOnly(0);
        assertThat(clients(h)).isEqualTo(1);
        h[1].disconnect(b.client);
        assertThat(clients(h)).isZero();
        a.say("{\"type\":\"join\",\"room\":\"r\"}");
        settle();
        assertThat(a.inbox).as("a disconnected client is ignored").isEmpty();
    }

    @Test
    void disconnectInTheMiddleOfACallIsSeenByThePeer() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults());
        Fake a = joined(h[0], "r");
        Fake b = joined(h[1], "r");
        b.clearAfter(1);
        h[0].disconnect(a.client);
        assertThat(b.take().get("type").asText()).isEqualTo("peer-left");
        Fake c = joined(h[0], "r");
        assertThat(c.take().get("peers")).hasSize(1);
    }

    @Test
    void badInputGetsAClearErrorAndNothingElse() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults());
        Fake[] ab = callers(h);
        Fake a = ab[0];
        Fake b = ab[1];
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
            a.say(c[0]);
            JsonNode reply = a.take();
            assertThat(reply.get("type").asText()).as(c[0]).isEqualTo("error");
            assertThat(reply.get("code").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(reply.get("message").asText()).isNotBlank();
        }
        settle();
        assertThat(b.inbox).as("nothing bad is relayed").isEmpty();
        assertThat(a.inbox).isEmpty();
    }

    @Test
    void binaryMessagesAreRefused() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults());
        Fake[] ab = callers(h);
        Fake a = ab[0];
        Fake b = ab[1];
        h[0].receiveBinary(a.client, now);
        assertThat(a.take().get("code").asText()).isEqualTo("bad-message");
        settle();
        assertThat(b.inbox).isEmpty();
    }

    @Test
    void roomNamesAreValidated() throws Exception {
        // One client: inherently one server (on Redis, a server of the cluster).
        SignalingHub hub = hubs(SignalingSettings.defaults())[0];
        Fake a = connect(hub);
        for (String bad : List.of("\"\"", "\"a b\"", "\"" + "x".repeat(65) + "\"", "\"../x\"", "5", "null", "\"é\"")) {
            a.say("{\"type\":\"join\",\"room\":" + bad + "}");
            assertThat(a.take().get("code").asText()).as(bad).isEqualTo("bad-room");
        }
        a.say("{\"type\":\"join\"}");
        assertThat(a.take().get("code").asText()).isEqualTo("bad-room");
        assertThat(hub.roomCount()).isZero();
        a.say("{\"type\":\"join\",\"room\":\"" + "x".repeat(64) + "\"}");
        assertThat(a.take().get("type").asText()).isEqualTo("joined");
    }

    @Test
    void oversizedMessagesAreRefusedNotRelayed() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults().withMaxMessageBytes(1000));
        Fake[] ab = callers(h);
        Fake a = ab[0];
        Fake b = ab[1];
        String fits = "{\"type\":\"message\",\"data\":\"" + "x".repeat(900) + "\"}";
        a.say(fits);
        assertThat(b.take().get("data").asText()).hasSize(900);
        // 400 two-byte characters: 400 chars but 800+ bytes, over the limit only when counted in UTF-8.
        String multibyte = "{\"type\":\"message\",\"data\":\"" + "é".repeat(490) + "\"}";
        a.say(multibyte);
        assertThat(a.take().get("code").asText()).isEqualTo("too-large");
        a.say("{\"type\":\"message\",\"data\":\"" + "x".repeat(5000) + "\"}");
        assertThat(a.take().get("code").asText()).isEqualTo("too-large");
        settle();
        assertThat(b.inbox).isEmpty();
        assertThat(h[0].stats().errors(ErrorCode.TOO_LARGE)).isEqualTo(2);
    }

    @Test
    void utf8LengthCountsBytes() {
        // No hub at all: the same on every setup.
        assertThat(Utf8.length("abc", 100)).isLessThanOrEqualTo(100);
        assertThat(Utf8.length("é".repeat(10), 15)).isEqualTo(20);
        assertThat(Utf8.length("\uD83D\uDE00".repeat(3), 10)).isEqualTo(12);
        assertThat(Utf8.length("€".repeat(4), 11)).isEqualTo(12);
    }

    @Test
    void floodsAreDroppedThenDisconnected() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults().withRate(10, 20));
        Fake[] ab = callers(h);
        Fake a = ab[0];
        Fake b = ab[1];
        for (int i = 0; i < 30; i++) {
            a.say("{\"type\":\"message\",\"data\":" + i + "}");
        }
        // The join took one token of the burst of 20: 19 relayed, then one rate-limited error, then silence.
        b.awaitSize(19);
        settle();
        assertThat(b.inbox).hasSize(19);
        assertThat(a.types()).containsExactly("error");
        assertThat(a.take().get("code").asText()).isEqualTo("rate-limited");

        now += 1_000_000_000L; // a second later: 10 more tokens
        b.inbox.clear();
        for (int i = 0; i < 10; i++) {
            a.say("{\"type\":\"message\",\"data\":" + i + "}");
        }
        b.awaitSize(10);
        settle();
        assertThat(b.inbox).hasSize(10);
        assertThat(a.inbox).isEmpty();

        for (int i = 0; i < 1000 && a.closeCode == 0; i++) {
            a.say("{\"type\":\"message\",\"data\":0}");
        }
        assertThat(a.closeCode).isEqualTo(1008);
        assertThat(h[0].stats().disconnectedForFlooding()).isEqualTo(1);
        assertThat(b.skipTo("peer-left").get("id").asText()).isEqualTo(a.client.id());
        assertThat(clients(h)).isEqualTo(1);
    }

    @Test
    void roomAndClientLimits() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults().withMaxRooms(2).withMaxClients(4));
        joined(h[0], "a");
        joined(h[1], "b");
        Fake c = connect(h[0]);
        c.say("{\"type\":\"join\",\"room\":\"c\"}");
        assertThat(c.take().get("code").asText()).isEqualTo("too-many-rooms");
        c.say("{\"type\":\"join\",\"room\":\"a\"}");
        assertThat(c.take().get("type").asText()).isEqualTo("joined");
        connect(h[1]);
        Fake fifth = connect(h[0]);
        assertThat(fifth.client).isNull();
        assertThat(fifth.take().get("code").asText()).isEqualTo("server-full");
        assertThat(fifth.closeCode).isEqualTo(1013);
    }

    @Test
    void pingIsAnsweredAndIdsAreUnique() throws Exception {
        SignalingHub[] h = hubs(SignalingSettings.defaults());
        // A ping is answered by the client's own server: one server.
        Fake a = connect(h[0]);
        a.say("{\"type\":\"ping\"}");
        assertThat(a.take().get("type").asText()).isEqualTo("pong");
        var ids = new java.util.HashSet<String>();
        for (int i = 0; i < 2000; i++) {
            ids.add(connect(h[i % 2]).client.id());
        }
        assertThat(ids).as("unique across servers too").hasSize(2000);
    }
}
