package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
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

    /** The server id the probes name as their sender: their answers come to its channel. */
    private static final String PROBE_SERVER = "settle-probe-" + Long.toHexString(System.nanoTime());
    private static final AtomicInteger PROBES = new AtomicInteger();
    private static final BlockingQueue<String> ANSWERS = new LinkedBlockingQueue<>();
    private static RedisClient probeClient;
    private static StatefulRedisPubSubConnection<String, String> probeAnswers;

    private SignalingHub[] hubs;

    @Override
    SignalingHub[] hubs(SignalingSettings settings) {
        hubs = REDIS.hubs("hub", 2, settings);
        return hubs;
    }

    /**
     * Messages to the other server go through Redis pub/sub: before checking that nothing arrived, every
     * message each hub sent the other must have been handled there. Each hub sends the other a probe after
     * them (messages from one server to another keep their order, and a server handles them one at a time):
     * a join to a room it does not have, which it answers with a G to the probe's channel. Once both answers
     * are in, a message that should not have arrived would have. The second probe follows the first, so a
     * message sent in reply to one the first probe followed is awaited too.
     */
    @Override
    void settle() throws InterruptedException {
        if (hubs == null) {
            return;
        }
        listenForAnswers();
        for (SignalingHub from : hubs) {
            for (SignalingHub to : hubs) {
                if (from != to) {
                    probe(from, to);
                }
            }
        }
    }

    private static void probe(SignalingHub from, SignalingHub to) throws InterruptedException {
        String room = "settle." + PROBES.incrementAndGet();
        from.cluster.send(to.cluster.serverId(), "J\n" + room + "\nprobe\n" + PROBE_SERVER);
        from.cluster.flush();
        String answer = "G\n" + room + "\n" + to.cluster.serverId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String m = null; !answer.equals(m); ) {
            m = ANSWERS.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(m).as("the other server's answer to a probe within 10 s").isNotNull();
        }
    }

    /** Subscribes once per class to the probes' channel (whatever the key prefix of the hubs under test). */
    private static synchronized void listenForAnswers() {
        if (probeAnswers != null) {
            return;
        }
        probeClient = RedisClient.create(REDIS.server().url());
        probeAnswers = probeClient.connectPubSub();
        probeAnswers.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                ANSWERS.add(message);
            }
        });
        probeAnswers.sync().psubscribe("*" + PROBE_SERVER);
    }

    @AfterAll
    static synchronized void stopListening() {
        if (probeClient != null) {
            probeAnswers.close();
            probeClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            probeAnswers = null;
            probeClient = null;
        }
    }
}
