package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.server.signaling.RedisClusterTest.Peer;

/**
 * A join that Redis has admitted but its server has not yet made a member (under load it waits for the
 * hub's lock): its peers on another server already know of it. What they send it meanwhile reaches it
 * after its {@code joined}, and if it disconnects in that gap they hear it left. Deterministic: the first
 * server's join is held between Redis's answer and the hub taking it in.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterJoinOrderTest {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private final List<RedisCluster> clusters = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closeServers() {
        clusters.forEach(RedisCluster::halt);
    }

    /** Holds the first admission after Redis answered it, until released. */
    private static final class HeldAdmission implements Cluster {
        final RedisCluster redis;
        final CountDownLatch admitted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldAdmission(RedisCluster redis) {
            this.redis = redis;
        }

        @Override
        public Map<String, String> admit(String room, String clientId, String address, SignalingSettings limits)
                throws Refused, Unavailable {
            Map<String, String> before = redis.admit(room, clientId, address, limits);
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

        @Override public String serverId() { return redis.serverId(); }
        @Override public void remove(String room, String... ids) { redis.remove(room, ids); }
        @Override public void send(String server, String message) { redis.send(server, message); }
        @Override public void resync(String room) { redis.resync(room); }
        @Override public CompletableFuture<String> addClient(String address, SignalingSettings limits) {
            return redis.addClient(address, limits);
        }
        @Override public String refusal(CompletableFuture<String> added, SignalingSettings limits) {
            return redis.refusal(added, limits);
        }
        @Override public void removeClient(String address) { redis.removeClient(address); }
        @Override public void rewriteClients(int total, Map<String, Integer> byAddress) {
            redis.rewriteClients(total, byAddress);
        }
        @Override public void flushCounts() { redis.flushCounts(); }
    }

    private HeldAdmission held;
    private SignalingHub first;
    private SignalingHub second;

    private void servers() {
        String prefix = "order" + PREFIXES.incrementAndGet() + ":";
        RedisCluster a = RedisCluster.connect(redis.url(), prefix);
        RedisCluster b = RedisCluster.connect(redis.url(), prefix);
        clusters.add(a);
        clusters.add(b);
        held = new HeldAdmission(a);
        first = new SignalingHub(held, SignalingSettings.defaults());
        a.start(first);
        second = new SignalingHub(SignalingSettings.defaults(), b);
    }

    private static Peer connect(SignalingHub hub) {
        Peer p = new Peer();
        p.hub = hub;
        p.client = hub.connect(p, System.nanoTime());
        return p;
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

    @Test
    void relaysToAMemberAdmittedButNotYetTakenInArriveAfterItsJoined() throws Exception {
        servers();
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
        servers();
        Peer a = heldJoin("room");
        Peer b = connect(second);
        b.say("{\"type\":\"join\",\"room\":\"room\"}");
        assertThat(b.next("joined").get("peers").toString()).contains(a.client.id());
        first.disconnect(a.client);
        held.release.countDown();
        assertThat(b.next("peer-left").get("id").asText()).isEqualTo(a.client.id());
    }
}
