package org.rtc4j.server.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.rtc4j.server.signaling.RedisCluster;
import org.rtc4j.server.signaling.RedisServer;

/**
 * The web server's tests again with two servers sharing rooms through a real redis-server: the two clients
 * of the call are on different servers.
 */
class WebServerOnRedisTest extends WebServerTest {
    private static RedisServer redis;
    private static int prefixes;
    private RedisCluster clusterA;
    private RedisCluster clusterB;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    @BeforeEach
    void start() throws Exception {
        String prefix = "web" + (++prefixes) + ":";
        clusterA = RedisCluster.connect(redis.url(), prefix);
        clusterB = RedisCluster.connect(redis.url(), prefix);
        server = WebServer.start(config(), clusterA);
        server2 = WebServer.start(config(), clusterB);
    }

    @Override
    @AfterEach
    void stop() throws Exception {
        server.close();
        server2.close();
        clusterA.close();
        clusterB.close();
    }
}
