package org.rtc4j.server.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real redis-server for a test class ({@code @RegisterExtension static final OnRedis REDIS}), and the cluster
 * members a test connects to it, halted after each test. Each group of servers gets a key prefix of its own, so
 * tests of one class never see each other's keys.
 */
final class OnRedis implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private RedisServer redis;
    /** The members connected in this test, in order. */
    final List<RedisCluster> clusters = new ArrayList<>();

    RedisServer server() {
        return redis;
    }

    /** A new key prefix starting with {@code name}. */
    static String prefix(String name) {
        return name + PREFIXES.incrementAndGet() + ":";
    }

    /** A member of the cluster under {@code prefix} on {@code on}, halted after the test. */
    RedisCluster connect(RedisServer on, String prefix) {
        RedisCluster c = RedisCluster.connect(on.url(), prefix);
        clusters.add(c);
        return c;
    }

    /** {@code n} servers sharing rooms under a new prefix on the class's redis-server. */
    SignalingHub[] hubs(String name, int n, SignalingSettings settings) {
        return hubs(redis, name, n, settings);
    }

    /** {@code n} servers sharing rooms under a new prefix on {@code on}. */
    SignalingHub[] hubs(RedisServer on, String name, int n, SignalingSettings settings) {
        String prefix = prefix(name);
        SignalingHub[] hubs = new SignalingHub[n];
        for (int i = 0; i < n; i++) {
            hubs[i] = new SignalingHub(settings, connect(on, prefix));
        }
        return hubs;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis = RedisServer.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clusters.forEach(RedisCluster::halt);
        clusters.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        redis.close();
    }
}
