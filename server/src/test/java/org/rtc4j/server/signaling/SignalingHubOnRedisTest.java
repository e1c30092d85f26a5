package org.rtc4j.server.signaling;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every {@link SignalingHubTest} again, with client 1 and client 2 on two hubs (two servers, each with
 * its own {@link RedisCluster}) sharing one real redis-server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignalingHubOnRedisTest extends SignalingHubTest {
    @RegisterExtension
    static final OnRedis REDIS = new OnRedis();

    @Override
    SignalingHub[] hubs(SignalingSettings settings) {
        return REDIS.hubs("hub", 2, settings);
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
