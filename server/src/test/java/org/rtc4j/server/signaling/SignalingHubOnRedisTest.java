package org.rtc4j.server.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@link SignalingHubTest} again, with client 1 and client 2 on two hubs (two servers, each with
 * its own {@link RedisCluster}) sharing one real redis-server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignalingHubOnRedisTest extends SignalingHubTest {
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

    @Override
    SignalingHub[] hubs(SignalingSettings settings) {
        String prefix = "hub" + PREFIXES.incrementAndGet() + ":";
        SignalingHub[] hubs = new SignalingHub[2];
        for (int i = 0; i < hubs.length; i++) {
            RedisCluster c = RedisCluster.connect(redis.url(), prefix);
            clusters.add(c);
            hubs[i] = new SignalingHub(settings, c);
        }
        return hubs;
    }

    /**
     * Messages to the other server go through Redis pub/sub: before checking that nothing arrived, give
     * a stray message time to come (a message that should not arrive is never awaited otherwise).
     */
    @Override
    void settle() throws InterruptedException {
        Thread.sleep(300);
    }
}
