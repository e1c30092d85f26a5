package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.LoopbackNamespace;

class TurnCredentialsTest {
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);

    @Test
    void usernameIsExpiryColonIdAndPasswordIsBase64HmacSha1() throws Exception {
        TurnCredentials c = TurnCredentials.issue(SECRET, "alice", 1_900_000_000L);
        assertThat(c.username()).isEqualTo("1900000000:alice");
        assertThat(TurnCredentials.expiry(c.username())).isEqualTo(1_900_000_000L);
        assertThat(TurnCredentials.expiry("alice")).isEqualTo(-1);
        assertThat(TurnCredentials.expiry(":x")).isEqualTo(-1);
        assertThatThrownBy(() -> TurnCredentials.issue(SECRET, "a:b", 1)).isInstanceOf(IllegalArgumentException.class);

        // The same HMAC computed by openssl.
        LoopbackNamespace.require();
        ExternalProcess openssl = ExternalProcess.run(List.of("sh", "-c",
                "openssl dgst -sha1 -hmac s3cret -binary | base64"), c.username());
        assertThat(openssl.exitCode()).isZero();
        assertThat(c.password()).isEqualTo(openssl.output().trim());
    }

    /** coturn with use-auth-secret (a TURN server we did not write) accepts our credentials, and only them. */
    @Test
    void coturnAcceptsTheCredentials() throws Exception {
        LoopbackNamespace.require();
        int turnPort = freeUdpPort();
        int peerPort = freeUdpPort();
        Process turn = new ProcessBuilder("turnserver", "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                "--listening-port=" + turnPort, "--use-auth-secret", "--static-auth-secret=s3cret", "--realm=test",
                "--fingerprint", "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-cli", "--log-file=stdout",
                "--simple-log").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process peer = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", String.valueOf(peerPort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500); // coturn binds its port at start-up
            long now = System.currentTimeMillis() / 1000;
            TurnCredentials good = TurnCredentials.issue(SECRET, "rtc4j-test", now + 3600);
            ExternalProcess ok = allocate(turnPort, peerPort, good.username(), good.password());
            assertThat(ok.exitCode()).as(ok.output()).isZero();
            assertThat(ok.output()).contains("Total lost packets 0");

            ExternalProcess wrong = allocate(turnPort, peerPort, good.username(),
                    TurnCredentials.password("other".getBytes(StandardCharsets.UTF_8), good.username()));
            assertThat(wrong.exitCode()).as(wrong.output()).isNotZero();

            TurnCredentials expired = TurnCredentials.issue(SECRET, "rtc4j-test", now - 60);
            ExternalProcess late = allocate(turnPort, peerPort, expired.username(), expired.password());
            assertThat(late.exitCode()).as(late.output()).isNotZero();
        } finally {
            turn.destroy();
            peer.destroy();
            turn.waitFor(5, TimeUnit.SECONDS);
            peer.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static ExternalProcess allocate(int turnPort, int peerPort, String user, String password) throws Exception {
        return ExternalProcess.run(List.of("timeout", "20", "turnutils_uclient", "-u", user, "-w", password,
                "-e", "127.0.0.1", "-r", String.valueOf(peerPort), "-m", "1", "-n", "5", "-l", "100",
                "-p", String.valueOf(turnPort), "127.0.0.1"), null);
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
