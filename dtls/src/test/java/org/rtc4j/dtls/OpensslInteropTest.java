package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtc4j.testkit.LoopbackNamespace;

/** A real peer we did not write: OpenSSL's s_server and s_client with DTLS 1.2 and use_srtp, on loopback. */
class OpensslInteropTest {

    private static final DtlsCertificate OURS = DtlsCertificate.generate();
    private static final DtlsCertificate THEIRS = DtlsCertificate.generate();

    @TempDir
    Path dir;
    private Process openssl;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    @BeforeAll
    static void loopbackOnly() {
        LoopbackNamespace.require();
    }

    @AfterEach
    void stop() {
        if (openssl != null) {
            openssl.destroyForcibly();
        }
    }

    private void startOpenssl(List<String> command) throws IOException {
        openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(openssl.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** Waits for a line of OpenSSL's output containing {@code text}; returns it. */
    private String awaitLine(String text, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (String seen : transcript) {
            if (seen.contains(text)) {
                return seen;
            }
        }
        while (System.nanoTime() < end) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null) {
                transcript.add(line);
                if (line.contains(text)) {
                    return line;
                }
            }
        }
        throw new AssertionError("openssl never printed '" + text + "'; it printed: " + transcript);
    }

    private Path theirPem() throws IOException {
        Path pem = dir.resolve("openssl.pem");
        THEIRS.save(pem);
        return pem;
    }

    private static byte[] keyingMaterial(String line) {
        return HexFormat.of().parseHex(line.substring(line.indexOf(':') + 1).trim().toLowerCase());
    }

    private static DtlsConnection ours(DtlsRole role, boolean loop) {
        DtlsConnection c = new DtlsConnection(role, OURS, DtlsSettings.defaults().withLoopHandshake(loop));
        c.setRemoteFingerprints(List.of(THEIRS.fingerprint()));
        return c;
    }

    private static boolean connected(List<DtlsEvent> events) {
        return events.stream().anyMatch(e -> e instanceof DtlsEvent.Connected || e instanceof DtlsEvent.Failed);
    }

    private static DtlsEvent.Connected connectedEvent(UdpPeer peer) {
        assertThat(peer.events).as("events").anyMatch(e -> e instanceof DtlsEvent.Connected);
        return peer.events.stream().filter(e -> e instanceof DtlsEvent.Connected)
                .map(DtlsEvent.Connected.class::cast).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({
        "DEFAULT, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, false, X25519:P-256",
        "ECDHE-ECDSA-CHACHA20-POLY1305, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, false, X25519:P-256",
        "ECDHE-ECDSA-AES256-SHA, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, false, X25519:P-256",
        "DEFAULT, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true, X25519:P-256",
        "DEFAULT, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true, P-256",
    })
    void ourServerWithOpensslClient(String cipher, String suite, boolean loop, String groups) throws Exception {
        try (UdpPeer server = new UdpPeer(ours(DtlsRole.SERVER, loop), null)) {
            server.connection.start(Instant.now());
            Path pem = theirPem();
            startOpenssl(List.of("openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + server.port(),
                    "-cipher", cipher, "-groups", groups, "-cert", pem.toString(), "-key", pem.toString(),
                    "-use_srtp", "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_256_GCM",
                    "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "88"));
            assertThat(server.pumpUntil(OpensslInteropTest::connected, Duration.ofSeconds(20))).isTrue();
            DtlsEvent.Connected c = connectedEvent(server);
            // Our preference (GCM first) among what the client offered.
            assertThat(c.srtpProfile()).isEqualTo(DtlsSrtpProfile.SRTP_AEAD_AES_256_GCM);
            assertThat(c.peerFingerprint()).isEqualTo(THEIRS.fingerprint());
            assertThat(c.cipherSuite()).isEqualTo(suite);
            assertThat(awaitLine("SRTP Extension negotiated", Duration.ofSeconds(10)))
                    .contains("SRTP_AEAD_AES_256_GCM");
            assertThat(keyingMaterial(awaitLine("Keying material:", Duration.ofSeconds(10))))
                    .isEqualTo(c.srtpKeyingMaterial());
            assertThat(awaitLine("Extended master secret", Duration.ofSeconds(5))).contains("yes");

            OutputStream stdin = openssl.getOutputStream();
            stdin.write("hello-from-openssl\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            assertThat(server.pumpUntil(events -> !server.data.isEmpty(), Duration.ofSeconds(10))).isTrue();
            assertThat(new String(server.data.get(0), StandardCharsets.US_ASCII)).isEqualTo("hello-from-openssl\n");

            byte[] reply = "hello-from-rtc4j\n".getBytes(StandardCharsets.US_ASCII);
            server.connection.send(reply, 0, reply.length);
            server.pumpUntil(events -> false, Duration.ofMillis(100));
            awaitLine("hello-from-rtc4j", Duration.ofSeconds(10));

            server.connection.close();
            server.pumpUntil(events -> false, Duration.ofMillis(100));
            assertThat(openssl.waitFor(10, TimeUnit.SECONDS)).as("s_client exits on close_notify").isTrue();
        }
    }

    /**
     * False Start (RFC 7918) against s_server: our client's first record goes right after its Finished, before
     * the server's comes back (as PeerStack sends SCTP's INIT), and OpenSSL delivers it.
     */
    @Test
    void ourClientSendsWithItsFinishedToOpensslServer() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        Path pem = theirPem();
        startOpenssl(List.of("openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-cert",
                pem.toString(), "-key", pem.toString(), "-verify", "1",
                "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80"));
        awaitLine("ACCEPT", Duration.ofSeconds(10));
        try (UdpPeer client = new UdpPeer(ours(DtlsRole.CLIENT, true), new InetSocketAddress("127.0.0.1", port))) {
            client.connection.start(Instant.now());
            assertThat(client.pumpUntil(events -> client.connection.canSend() || connected(events),
                    Duration.ofSeconds(20))).isTrue();
            assertThat(client.connection.state()).as("not connected yet").isEqualTo(DtlsState.CONNECTING);
            byte[] early = "early-from-rtc4j\n".getBytes(StandardCharsets.US_ASCII);
            client.connection.send(early, 0, early.length);
            assertThat(client.pumpUntil(OpensslInteropTest::connected, Duration.ofSeconds(20))).isTrue();
            assertThat(client.connection.state()).isEqualTo(DtlsState.CONNECTED);
            awaitLine("early-from-rtc4j", Duration.ofSeconds(10));
        }
    }

    /** The loop handshake also against s_server's -listen mode: a HelloVerifyRequest and its cookie first. */
    @ParameterizedTest
    @CsvSource({"false, false", "true, false", "true, true"})
    void ourClientWithOpensslServer(boolean loop, boolean cookie) throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        Path pem = theirPem();
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-dtls1_2", "-accept",
                "127.0.0.1:" + port, "-cert", pem.toString(), "-key", pem.toString(), "-verify", "1",
                "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80",
                "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56"));
        if (cookie) {
            command.add("-listen");
        }
        startOpenssl(command);
        awaitLine("ACCEPT", Duration.ofSeconds(10));
        try (UdpPeer client = new UdpPeer(ours(DtlsRole.CLIENT, loop), new InetSocketAddress("127.0.0.1", port))) {
            client.connection.start(Instant.now());
            assertThat(client.pumpUntil(OpensslInteropTest::connected, Duration.ofSeconds(20))).isTrue();
            DtlsEvent.Connected c = connectedEvent(client);
            assertThat(c.srtpProfile()).isEqualTo(DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM);
            assertThat(awaitLine("SRTP Extension negotiated", Duration.ofSeconds(10)))
                    .contains("SRTP_AEAD_AES_128_GCM");
            assertThat(keyingMaterial(awaitLine("Keying material:", Duration.ofSeconds(10))))
                    .isEqualTo(c.srtpKeyingMaterial());
            // s_server asked for our certificate (-verify) and got the one our fingerprint names.
            assertThat(String.join("\n", transcript) + awaitLine("CIPHER is", Duration.ofSeconds(5)))
                    .contains("ECDHE-ECDSA-AES128-GCM-SHA256");

            byte[] hello = "hello-from-rtc4j\n".getBytes(StandardCharsets.US_ASCII);
            client.connection.send(hello, 0, hello.length);
            client.pumpUntil(events -> false, Duration.ofMillis(100));
            awaitLine("hello-from-rtc4j", Duration.ofSeconds(10));

            OutputStream stdin = openssl.getOutputStream();
            stdin.write("hello-from-openssl\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            assertThat(client.pumpUntil(events -> !client.data.isEmpty(), Duration.ofSeconds(10))).isTrue();
            assertThat(new String(client.data.get(0), StandardCharsets.US_ASCII)).isEqualTo("hello-from-openssl\n");

            client.connection.close();
            client.pumpUntil(events -> false, Duration.ofMillis(100));
            awaitLine("DONE", Duration.ofSeconds(10));   // s_server got our close_notify
        }
    }
}
