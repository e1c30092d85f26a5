package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two signaling servers (hubs) sharing rooms through a real redis-server. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final OnRedis REDIS = new OnRedis();

    /** A client whose messages may arrive on any thread. */
    static final class Peer implements Outbound {
        final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
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
        }

        void say(String json) {
            hub.receive(client, json, System.nanoTime());
        }

        /** The next message (waiting up to {@code seconds}), which must be of {@code type}. */
        JsonNode next(String type, int seconds) throws InterruptedException {
            JsonNode m = inbox.poll(seconds, TimeUnit.SECONDS);
            assertThat(m).as("a '" + type + "' message within " + seconds + " s").isNotNull();
            assertThat(m.get("type").asText()).as(m.toString()).isEqualTo(type);
            return m;
        }

        JsonNode next(String type) throws InterruptedException {
            return next(type, 10);
        }
    }

    private SignalingHub[] servers(int n, SignalingSettings settings) {
        return REDIS.hubs("t", n, settings);
    }

    static Peer connect(SignalingHub hub) {
        Peer p = new Peer();
        p.hub = hub;
        p.client = hub.connect(p, System.nanoTime());
        return p;
    }

    static Peer joined(SignalingHub hub, String room) throws InterruptedException {
        Peer p = connect(hub);
        p.say("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        p.next("joined");
        return p;
    }

    @Test
    void clientsOnTwoServersSeeEachOtherAndRelayInOrder() throws Exception {
        SignalingHub[] s = servers(2, SignalingSettings.defaults());
        Peer a = joined(s[0], "call");
        Peer b = connect(s[1]);
        b.say("{\"type\":\"join\",\"room\":\"call\"}");
        JsonNode joined = b.next("joined");
        assertThat(joined.get("peers")).extracting(JsonNode::asText).containsExactly(a.client.id());
        assertThat(a.next("peer-joined").get("id").asText()).isEqualTo(b.client.id());

        a.say("{\"type\":\"offer\",\"to\":\"" + b.client.id() + "\",\"data\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        JsonNode offer = b.next("offer");
        assertThat(offer.get("from").asText()).isEqualTo(a.client.id());
        assertThat(offer.at("/data/sdp").asText()).isEqualTo("v=0");
        b.say("{\"type\":\"answer\",\"to\":\"" + a.client.id() + "\",\"data\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
        assertThat(a.next("answer").get("from").asText()).isEqualTo(b.client.id());
        for (int i = 0; i < 40; i++) { // broadcasts and addressed ones, in the order sent
            a.say(i % 2 == 0 ? "{\"type\":\"candidate\",\"data\":{\"n\":" + i + "}}"
                    : "{\"type\":\"message\",\"to\":\"" + b.client.id() + "\",\"data\":" + i + "}");
        }
        for (int i = 0; i < 40; i++) {
            JsonNode m = b.next(i % 2 == 0 ? "candidate" : "message");
            assertThat(i % 2 == 0 ? m.at("/data/n").asInt() : m.get("data").asInt()).isEqualTo(i);
        }
        b.say("{\"type\":\"message\",\"to\":\"nobody\",\"data\":1}");
        assertThat(b.next("error").get("code").asText()).isEqualTo("unknown-peer");

        Peer c = connect(s[1]);
        c.say("{\"type\":\"join\",\"room\":\"call\"}");
        assertThat(c.next("error").get("code").asText()).isEqualTo("room-full");

        b.say("{\"type\":\"leave\"}");
        b.next("left");
        assertThat(a.next("peer-left").get("id").asText()).isEqualTo(b.client.id());
        s[1].disconnect(c.client);
        s[0].disconnect(a.client);
        String exists = "";
        for (int i = 0; i < 100 && !exists.equals(":0"); i++) { // removals do not wait for Redis
            Thread.sleep(20);
            exists = REDIS.server().command("EXISTS " + REDIS.clusters.get(0).prefixForTests() + "room:call");
        }
        assertThat(exists).as("the room is gone from Redis").isEqualTo(":0");
    }

    @Test
    void everyServerGetsTheSameTurnSecretWhichExpiresWithTheServers() throws Exception {
        servers(2, SignalingSettings.defaults());
        String first = REDIS.clusters.get(0).sharedTurnSecret("one".getBytes());
        String second = REDIS.clusters.get(1).sharedTurnSecret("two".getBytes());
        assertThat(first).isEqualTo("one");
        assertThat(second).isEqualTo("one");
        String ttl = REDIS.server().command("PTTL " + REDIS.clusters.get(0).prefixForTests() + "turn-secret");
        assertThat(Long.parseLong(ttl.substring(1))).isBetween(1L, 120_000L);
    }

    @Test
    void twoServersRacingForTheLastPlaceNeverAdmitThree() throws Exception {
        SignalingHub[] s = servers(2, SignalingSettings.defaults());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int winsA = 0;
        int winsB = 0;
        try {
            for (int i = 0; i < 2000; i++) {
                String room = "race" + i;
                Peer first = joined(s[i % 2], room);
                Peer x = connect(s[0]);
                Peer y = connect(s[1]);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> fx = pool.submit(() -> joinAfter(start, x, room));
                Future<?> fy = pool.submit(() -> joinAfter(start, y, room));
                fx.get(10, TimeUnit.SECONDS);
                fy.get(10, TimeUnit.SECONDS);
                String rx = x.inbox.poll(10, TimeUnit.SECONDS).get("type").asText();
                String ry = y.inbox.poll(10, TimeUnit.SECONDS).get("type").asText();
                assertThat(List.of(rx, ry)).as("round " + i).containsExactlyInAnyOrder("joined", "error");
                winsA += rx.equals("joined") ? 1 : 0;
                winsB += ry.equals("joined") ? 1 : 0;
                for (Peer p : List.of(first, x, y)) {
                    p.hub.disconnect(p.client);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // Both servers won some rounds: the race was real, not one server always first.
        assertThat(winsA).isPositive();
        assertThat(winsB).isPositive();
        assertThat(winsA + winsB).isEqualTo(2000);
    }

    private static Void joinAfter(CyclicBarrier start, Peer p, String room) throws Exception {
        start.await(10, TimeUnit.SECONDS);
        p.say("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        return null;
    }

    @Test
    void aServerThatDiesIsSeenLeavingWithinTenSeconds() throws Exception {
        SignalingHub[] s = servers(2, SignalingSettings.defaults());
        Peer a = joined(s[0], "call");
        Peer b = joined(s[1], "call");
        a.next("peer-joined");
        REDIS.clusters.get(1).halt(); // no leave, no more heartbeats: as if the process were killed
        JsonNode left = a.next("peer-left", 10);
        assertThat(left.get("id").asText()).isEqualTo(b.client.id());
        // Its member is gone from Redis too: someone new may take the place.
        Peer c = joined(s[0], "call");
        assertThat(a.next("peer-joined").get("id").asText()).isEqualTo(c.client.id());
    }

    @Test
    void aSlowHeartbeatIsNotRedisOutOfReach() throws Exception {
        SignalingHub[] s = servers(2, SignalingSettings.defaults());
        Peer a = joined(s[0], "slow");
        Peer b = joined(s[1], "slow");
        a.next("peer-joined");
        // Redis busy for 3.5 s in one script: each server's heartbeat in that time waits past its 2 s timeout
        // at most once before the next one is answered; that is not Redis out of reach.
        REDIS.server().command("EVAL \"local function ms() local t = redis.call('TIME') return t[1] * 1000 + t[2] / 1000 end"
                + " local s = ms() while ms() - s < 3500 do end return 1\" 0");
        a.say("{\"type\":\"message\",\"data\":\"while Redis is busy\"}");
        assertThat(b.next("message").get("data").asText()).isEqualTo("while Redis is busy");
        Thread.sleep(3_000); // two more heartbeats each, answered
        RedisCluster first = REDIS.clusters.get(REDIS.clusters.size() - 2);
        RedisCluster second = REDIS.clusters.get(REDIS.clusters.size() - 1);
        assertThat(first.heartbeatsFailed() + second.heartbeatsFailed()).as("heartbeats that timed out").isPositive();
        assertThat(first.resynchronisations() + second.resynchronisations()).as("rooms rewritten").isZero();
    }

    @Test
    void redisStoppedRefusesJoinsKeepsLocalRelayAndResynchronises() throws Exception {
        SignalingHub[] s = servers(2, SignalingSettings.defaults());
        Peer a = joined(s[0], "call");
        Peer b = joined(s[1], "call");
        a.next("peer-joined");
        Peer l1 = joined(s[0], "local");
        Peer l2 = joined(s[0], "local");
        l1.next("peer-joined");

        REDIS.server().stop();
        Peer late = connect(s[1]);
        late.say("{\"type\":\"join\",\"room\":\"other\"}");
        assertThat(late.next("error").get("code").asText()).isEqualTo("unavailable");
        l1.say("{\"type\":\"message\",\"data\":\"still here\"}");
        assertThat(l2.next("message").get("data").asText()).isEqualTo("still here");

        REDIS.server().startAgain(); // empty: no persistence
        // Once the servers have rewritten their rooms, the call is full again and relays cross again.
        Peer third = connect(s[1]);
        String code = "";
        for (int i = 0; i < 100 && !code.equals("room-full"); i++) {
            third.say("{\"type\":\"join\",\"room\":\"call\"}");
            JsonNode m = third.inbox.poll(10, TimeUnit.SECONDS);
            assertThat(m.get("type").asText()).as(m.toString()).isEqualTo("error");
            code = m.get("code").asText();
            if (!code.equals("room-full")) {
                Thread.sleep(100);
            }
        }
        assertThat(code).isEqualTo("room-full");
        a.say("{\"type\":\"message\",\"to\":\"" + b.client.id() + "\",\"data\":\"back\"}");
        assertThat(b.next("message").get("data").asText()).isEqualTo("back");
        // Nobody was told a wrong membership on the way.
        assertThat(a.inbox).isEmpty();
        assertThat(b.inbox).isEmpty();
        assertThat(l1.inbox).isEmpty();
    }

    /** Holds the first admission after Redis answered it, until released. */
    private static final class HeldAdmission extends ForwardingCluster {
        final CountDownLatch admitted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldAdmission(RedisCluster cluster) {
            super(cluster);
        }

        @Override
        public Map<String, String> admit(String room, String clientId, String address, SignalingSettings limits)
                throws Refused, Unavailable {
            Map<String, String> before = cluster.admit(room, clientId, address, limits);
            if (admitted.getCount() == 0) {
                return before;
            }
            admitted.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return before;
        }
    }

    private HeldAdmission held;
    private SignalingHub first;
    private SignalingHub second;

    /** Two servers, the first holding its first admission (see {@link HeldAdmission}). */
    private void heldServers() {
        String prefix = OnRedis.prefix("t");
        RedisCluster a = REDIS.connect(REDIS.server(), prefix);
        RedisCluster b = REDIS.connect(REDIS.server(), prefix);
        held = new HeldAdmission(a);
        first = new SignalingHub(held, SignalingSettings.defaults());
        a.start(first);
        second = new SignalingHub(SignalingSettings.defaults(), b);
    }

    /** A client of the first server joining {@code room}, held after Redis admitted it. */
    private Peer heldJoin(String room) throws InterruptedException {
        Peer a = connect(first);
        Thread.ofVirtual().start(() -> a.say("{\"type\":\"join\",\"room\":\"" + room + "\"}"));
        assertThat(held.admitted.await(10, TimeUnit.SECONDS)).as("admitted in Redis").isTrue();
        return a;
    }

    /**
     * Every message the second server sent the first before this one has been handled there: they travel on
     * one connection, in order, to one listener.
     */
    private void afterEverythingSentToTheFirst() throws InterruptedException {
        Peer here = connect(first);
        Peer there = connect(second);
        here.say("{\"type\":\"join\",\"room\":\"probe\"}");
        here.next("joined");
        there.say("{\"type\":\"join\",\"room\":\"probe\"}");
        there.next("joined");
        here.next("peer-joined");
        there.say("{\"type\":\"message\",\"data\":\"probe\"}");
        here.next("message");
    }

    /**
     * A join Redis admitted but its server has not yet taken in (under load it waits for the hub's lock): its
     * peers on another server already know of it. What they send it meanwhile reaches it after its
     * {@code joined}; if it disconnects in that gap they hear it left.
     */
    @Test
    void relaysToAMemberAdmittedButNotYetTakenInArriveAfterItsJoined() throws Exception {
        heldServers();
        Peer a = heldJoin("room");
        Peer b = connect(second);
        b.say("{\"type\":\"join\",\"room\":\"room\"}");
        JsonNode joined = b.next("joined");
        assertThat(joined.get("peers").toString()).contains(a.client.id());
        b.say("{\"type\":\"offer\",\"to\":\"" + a.client.id() + "\",\"data\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        b.say("{\"type\":\"message\",\"data\":\"to everyone\"}");
        afterEverythingSentToTheFirst(); // both reached the first server while a was not yet a member there
        held.release.countDown();

        assertThat(a.next("joined").get("peers").toString()).contains(b.client.id());
        JsonNode offer = a.next("offer");
        assertThat(offer.get("from").asText()).isEqualTo(b.client.id());
        assertThat(a.next("message").get("data").asText()).isEqualTo("to everyone");
        // And the way back works as in any room.
        a.say("{\"type\":\"answer\",\"to\":\"" + b.client.id() + "\",\"data\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
        assertThat(b.next("answer").get("from").asText()).isEqualTo(a.client.id());
        assertThat(first.stats().clusterDropped()).isZero();
    }

    @Test
    void aClientGoneBeforeItWasTakenInIsSeenToLeaveByItsPeersElsewhere() throws Exception {
        heldServers();
        Peer a = heldJoin("room");
        Peer b = connect(second);
        b.say("{\"type\":\"join\",\"room\":\"room\"}");
        assertThat(b.next("joined").get("peers").toString()).contains(a.client.id());
        first.disconnect(a.client);
        held.release.countDown();
        assertThat(b.next("peer-left").get("id").asText()).isEqualTo(a.client.id());
    }

    /**
     * Holds what a server sends the others from its first join announcement ("J") on, in order, until released:
     * as when Redis admitted a member there but its announcement has not yet reached the other servers.
     */
    private static final class HeldAnnouncements extends ForwardingCluster {
        private final List<String[]> held = new ArrayList<>();
        private boolean holding = true;

        HeldAnnouncements(RedisCluster cluster) {
            super(cluster);
        }

        @Override
        public synchronized void send(String server, String message) {
            if (holding && (!held.isEmpty() || message.startsWith("J\n"))) {
                held.add(new String[] {server, message});
            } else {
                cluster.send(server, message);
            }
        }

        synchronized int held() {
            return held.size();
        }

        void release() {
            synchronized (this) {
                holding = false;
                held.forEach(m -> cluster.send(m[0], m[1]));
                held.clear();
            }
            cluster.flush();
        }
    }

    /**
     * A join here reads from Redis a member of another server whose announcement has not arrived yet: the members
     * here hear of it at once, the announcement says nothing more when it comes, and its leave is told once.
     * (Seen once under load in SignalingHubOnRedisTest's mesh rooms.)
     */
    @Test
    void aMemberReadFromRedisBeforeItsAnnouncementArrivesIsToldOnce() throws Exception {
        SignalingSettings mesh = SignalingSettings.defaults().withRoomCapacity(3);
        String prefix = OnRedis.prefix("t");
        RedisCluster a = REDIS.connect(REDIS.server(), prefix);
        RedisCluster b = REDIS.connect(REDIS.server(), prefix);
        HeldAnnouncements announcements = new HeldAnnouncements(b);
        first = new SignalingHub(mesh, a);
        second = new SignalingHub(announcements, mesh);
        b.start(second);

        Peer early = joined(first, "mesh");
        Peer there = joined(second, "mesh");
        assertThat(announcements.held()).as("its announcement to the first server, held").isEqualTo(1);
        Peer late = connect(first);
        late.say("{\"type\":\"join\",\"room\":\"mesh\"}");
        assertThat(late.next("joined").get("peers")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(early.client.id(), there.client.id());
        assertThat(early.next("peer-joined").get("id").asText()).as("the member read from Redis")
                .isEqualTo(there.client.id());
        assertThat(early.next("peer-joined").get("id").asText()).isEqualTo(late.client.id());
        assertThat(there.next("peer-joined").get("id").asText()).isEqualTo(late.client.id());

        announcements.release();
        there.say("{\"type\":\"message\",\"data\":\"after\"}"); // handled there after the announcement
        assertThat(early.next("message").get("data").asText()).isEqualTo("after");
        assertThat(late.next("message").get("data").asText()).isEqualTo("after");

        there.say("{\"type\":\"leave\"}");
        there.next("left");
        assertThat(early.next("peer-left").get("id").asText()).isEqualTo(there.client.id());
        assertThat(late.next("peer-left").get("id").asText()).isEqualTo(there.client.id());
        afterEverythingSentToTheFirst();
        assertThat(early.inbox).as("nothing more for early").isEmpty();
        assertThat(late.inbox).as("nothing more for late").isEmpty();
    }
}
