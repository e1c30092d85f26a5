package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.server.Main;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.signaling.SignalingEvent;

/**
 * Real server processes ({@code rtc4j demo --redis}) sharing rooms through a real redis-server, one of them
 * killed with SIGKILL (no leave, no goodbye to Redis, its sockets closed by the kernel): its clients' peers
 * on the other server see them leave within 10 seconds, someone new may take the freed place, and nothing
 * of the dead server stays in Redis: its members are removed, its rooms expire, and every key left has an
 * expiry.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KilledServerTest {
    private static final Pattern OPEN = Pattern.compile("open http://127\\.0\\.0\\.1:(\\d+)/");
    private static final String PREFIX = "killed:";
    private final List<Process> processes = new ArrayList<>();
    private final List<SignalingClient> clients = new ArrayList<>();
    private Path logs;

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::abort);
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledServersClientsLeaveWithinTenSecondsAndNothingOfItStaysInRedis() throws Exception {
        logs = Files.createTempDirectory("killed");
        try (RedisServer redis = RedisServer.start()) {
            Process serverA = demo(redis, "a");
            Process serverB = demo(redis, "b");
            URI wsA = signalingUri(serverA, "a");
            URI wsB = signalingUri(serverB, "b");

            Events ea = new Events();
            SignalingClient a = client(wsA, ea);
            a.join("call").join();
            Events eb = new Events();
            SignalingClient b = client(wsB, eb);
            assertThat(b.join("call").join().peers()).containsExactly(a.id());
            assertThat(ea.next(SignalingEvent.PeerJoined.class).id()).isEqualTo(b.id());
            SignalingClient alone = client(wsB, new Events());
            alone.join("solo").join(); // a room only the killed server has members in
            String deadServer = redis.array("HMGET " + PREFIX + "room:call " + b.id()).get(0);
            assertThat(redis.array("ZRANGE " + PREFIX + "servers 0 -1")).contains(deadServer);

            long killed = System.nanoTime();
            serverB.destroyForcibly(); // SIGKILL
            assertThat(serverB.waitFor(10, TimeUnit.SECONDS)).isTrue();
            SignalingEvent.PeerLeft left = ea.next(SignalingEvent.PeerLeft.class, 15);
            long afterMs = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("peer-left " + afterMs + " ms after the SIGKILL");
            assertThat(left.id()).isEqualTo(b.id());
            assertThat(afterMs).as("peer-left after the kill, ms").isLessThan(10_000);

            // Its member is gone from the shared room (removed just before peer-left was sent, without waiting
            // for Redis, so a join through that server runs after it): someone new takes the place.
            for (int i = 0; i < 100 && redis.array("HKEYS " + PREFIX + "room:call").contains(b.id()); i++) {
                Thread.sleep(20);
            }
            assertThat(redis.array("HKEYS " + PREFIX + "room:call")).doesNotContain(b.id());
            Events ec = new Events();
            SignalingClient c = client(wsA, ec);
            assertThat(c.join("call").join().peers()).containsExactly(a.id());
            assertThat(ea.next(SignalingEvent.PeerJoined.class).id()).isEqualTo(c.id());
            assertThat(redis.array("PUBSUB NUMSUB " + PREFIX + "srv:" + deadServer)).containsExactly(
                    PREFIX + "srv:" + deadServer, "0");

            // Its room expires (nobody renews it), and nothing anywhere lives for ever.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RedisCluster.ROOM_TTL_MS / 1000 + 15);
            while ((!":0".equals(redis.command("EXISTS " + PREFIX + "room:solo"))
                    || redis.array("ZRANGE " + PREFIX + "rooms 0 -1").size() > 1) && System.nanoTime() < deadline) {
                Thread.sleep(500); // the room's key expires; the live server's next heartbeat drops its entry
            }
            assertThat(redis.command("EXISTS " + PREFIX + "room:solo")).as("the dead server's room").isEqualTo(":0");
            assertThat(redis.array("ZRANGE " + PREFIX + "rooms 0 -1")).as("rooms").containsExactly("call");
            List<String> keys = redis.array("KEYS " + PREFIX + "*");
            assertThat(keys).isNotEmpty();
            for (String key : keys) {
                long ttl = Long.parseLong(redis.command("PTTL " + key).substring(1));
                assertThat(ttl).as("expiry of " + key + " (ms; -1 is none)").isBetween(1L, 120_000L);
                assertThat(key).as("a key of the dead server").doesNotContain(deadServer);
            }
            // Its heartbeat expired: it is listed for a minute at most, not alive, its clients counted nowhere.
            List<String> time = redis.array("TIME");
            long nowMs = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
            assertThat(redis.array("ZRANGEBYSCORE " + PREFIX + "servers " + nowMs + " +inf")).doesNotContain(deadServer)
                    .hasSize(1);
        }
    }

    /** Starts {@code rtc4j demo} sharing rooms through {@code redis}, on free ports. */
    private Process demo(RedisServer redis, String name) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo",
                "--host", "127.0.0.1", "--port", "0", "--turn-port", "0", "--redis", redis.url(),
                "--redis-prefix", PREFIX);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    /** The server's signaling URL, once its log says it listens. */
    private URI signalingUri(Process server, String name) throws Exception {
        Path log = logs.resolve(name + ".log");
        for (int i = 0; i < 1200; i++) {
            Matcher m = OPEN.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return URI.create("ws://127.0.0.1:" + m.group(1) + "/ws");
            }
            assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("server " + name + " did not start: " + Files.readString(log));
    }

    private SignalingClient client(URI uri, Events events) {
        SignalingClient c = SignalingClient.connect(uri, events).join();
        clients.add(c);
        return c;
    }

    /** One client's events, in order. */
    private static final class Events implements Consumer<SignalingEvent> {
        private final BlockingQueue<SignalingEvent> queue = new LinkedBlockingQueue<>();

        @Override
        public void accept(SignalingEvent e) {
            queue.add(e);
        }

        <T extends SignalingEvent> T next(Class<T> type) throws InterruptedException {
            return next(type, 10);
        }

        /** The next event that is not a Joined (the answer to our own join), waiting up to {@code seconds}. */
        <T extends SignalingEvent> T next(Class<T> type, int seconds) throws InterruptedException {
            SignalingEvent e;
            do {
                e = queue.poll(seconds, TimeUnit.SECONDS);
            } while (e instanceof SignalingEvent.Joined && type != SignalingEvent.Joined.class);
            assertThat(e).as("expected a " + type.getSimpleName()).isInstanceOf(type);
            return type.cast(e);
        }
    }
}
