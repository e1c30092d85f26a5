package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.server.Main;
import org.rtc4j.server.signaling.RedisClusterTest.Peer;

/**
 * rediss://: Debian's redis-server serving TLS only, with a certificate signed by a throwaway CA that
 * OpenSSL makes here; two servers trusting that CA relay across each other through it, and a server
 * that does not trust it cannot connect; {@code demo --redis-ca} does the same.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisTlsTest {
    @TempDir
    Path dir;
    private final List<RedisCluster> clusters = new ArrayList<>();

    @AfterEach
    void closeServers() {
        clusters.forEach(RedisCluster::halt);
    }

    @Test
    void twoServersRelayThroughRedisOverTlsTrustingItsCa() throws Exception {
        Path ca = makeCa();
        try (RedisServer redis = RedisServer.startTls(dir.resolve("redis.pem"), dir.resolve("redis.key"), ca)) {
            assertThat(redis.url()).startsWith("rediss://");
            assertThatThrownBy(() -> clusters.add(RedisCluster.connect(redis.url(), "tls:")))
                    .as("the JVM's CAs do not sign this certificate")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot reach Redis");

            SignalingHub[] s = new SignalingHub[2];
            for (int i = 0; i < 2; i++) {
                RedisCluster c = RedisCluster.connect(redis.url(), "tls:", ca);
                clusters.add(c);
                s[i] = new SignalingHub(SignalingSettings.defaults(), c);
            }
            Peer a = RedisClusterTest.joined(s[0], "call");
            Peer b = RedisClusterTest.joined(s[1], "call");
            assertThat(a.next("peer-joined").get("id").asText()).isEqualTo(b.client.id());
            a.say("{\"type\":\"offer\",\"to\":\"" + b.client.id() + "\",\"data\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
            assertThat(b.next("offer").get("from").asText()).isEqualTo(a.client.id());
            b.say("{\"type\":\"answer\",\"to\":\"" + a.client.id() + "\",\"data\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
            assertThat(a.next("answer").get("from").asText()).isEqualTo(b.client.id());
            for (int i = 0; i < 10; i++) {
                b.say("{\"type\":\"message\",\"data\":" + i + "}");
            }
            for (int i = 0; i < 10; i++) {
                assertThat(a.next("message").get("data").asInt()).as("in order").isEqualTo(i);
            }
            Peer c = RedisClusterTest.connect(s[0]);
            c.say("{\"type\":\"join\",\"room\":\"call\"}");
            assertThat(c.next("error").get("code").asText()).isEqualTo("room-full");
            a.say("{\"type\":\"leave\"}");
            assertThat(b.next("peer-left").get("id").asText()).isEqualTo(a.client.id());
        }
    }

    @Test
    void demoReachesRedissWithTheCaOfRedisCaAndStopsWithoutIt() throws Exception {
        Path ca = makeCa();
        List<Process> demos = new ArrayList<>();
        try (RedisServer redis = RedisServer.startTls(dir.resolve("redis.pem"), dir.resolve("redis.key"), ca)) {
            Process untrusted = demo(redis, null, "untrusted");
            demos.add(untrusted);
            assertThat(untrusted.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
            assertThat(untrusted.exitValue()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("untrusted.log"))).contains("cannot reach Redis");

            // It reads the shared TURN secret from Redis before it listens: its "open" line proves the TLS link.
            Process trusted = demo(redis, ca, "trusted");
            demos.add(trusted);
            Path log = dir.resolve("trusted.log");
            for (int i = 0; i < 1200 && !Files.readString(log).contains("open http://127.0.0.1:"); i++) {
                assertThat(trusted.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(100);
            }
            assertThat(Files.readString(log)).contains("open http://127.0.0.1:");
        } finally {
            for (Process p : demos) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code rtc4j demo --redis rediss://...}, with {@code --redis-ca ca} unless it is null. */
    private Process demo(RedisServer redis, Path ca, String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo",
                "--host", "127.0.0.1", "--port", "0", "--turn-port", "0", "--redis", redis.url()));
        if (ca != null) {
            command.addAll(List.of("--redis-ca", ca.toString()));
        }
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
    }

    /** A throwaway CA (ca.pem) and a certificate for 127.0.0.1 it signs (redis.pem, redis.key), by OpenSSL. */
    private Path makeCa() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
                "-subj", "/CN=rtc4j test CA");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "redis.key", "-out", "redis.csr",
                "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "redis.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "redis.pem", "-days", "1", "-extfile", "san.ext");
        return dir.resolve("ca.pem");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
