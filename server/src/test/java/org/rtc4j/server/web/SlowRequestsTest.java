package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.TestCertificate;

/**
 * Slowloris: a request whose header trickles in a byte at a time is cut off at the request timeout, though each
 * byte comes well within the idle timeout; a connection idle between requests, and a WebSocket, are not.
 */
@Timeout(60)
class SlowRequestsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aTrickledRequestIsClosedAtTheRequestTimeout() throws Exception {
        LoopbackNamespace.require();
        try (WebServer web = WebServer.start(WebServerConfig.loopback().withRequestTimeout(TIMEOUT));
                Socket s = RawHttp.connect("127.0.0.1", web.port())) {
            s.setSoTimeout(300);
            OutputStream out = s.getOutputStream();
            out.write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + web.port() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            long t0 = System.nanoTime();
            // A header line every 0.3 s (Jetty's idle timeout is 30 s) for at most 15 s, 7 times the deadline.
            for (int i = 0; i < 50 && !closed; i++) {
                try {
                    out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                    closed = s.getInputStream().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing from the server yet: trickle on
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            System.out.printf("a trickled request closed after %.1f s (deadline %s)%n", (System.nanoTime() - t0) / 1e9, TIMEOUT);
            assertThat(closed).as("closed while trickling").isTrue();
            assertThat(web.metrics().get("rtc4j.http.slow.requests").functionCounter().count()).isEqualTo(1);
        }
    }

    /** The same over HTTPS, before any request: a TLS handshake whose record trickles in is cut too. */
    @Test
    void aTrickledTlsHandshakeIsClosedAtTheRequestTimeout(@TempDir Path dir) throws Exception {
        LoopbackNamespace.require();
        TestCertificate cert = TestCertificate.generate(dir, "IP:127.0.0.1");
        try (WebServer web = WebServer.start(WebServerConfig.loopback().withTls(cert.certificatePem(), cert.keyPem())
                .withRequestTimeout(TIMEOUT));
                Socket s = RawHttp.connect("127.0.0.1", web.port())) {
            s.setSoTimeout(300);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}); // a handshake record of 512 bytes, to come
            boolean closed = false;
            for (int i = 0; i < 50 && !closed; i++) {
                try {
                    out.write(0x01);
                    closed = s.getInputStream().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing from the server yet: trickle on
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed while trickling").isTrue();
            assertThat(web.metrics().get("rtc4j.http.slow.requests").functionCounter().count()).isEqualTo(1);
        }
    }

    @Test
    void idleBetweenRequestsAndWebSocketsAreNotCutOff() throws Exception {
        LoopbackNamespace.require();
        try (WebServer web = WebServer.start(WebServerConfig.loopback().withRequestTimeout(TIMEOUT));
                Socket s = RawHttp.connect("127.0.0.1", web.port())) {
            String host = "127.0.0.1:" + web.port();
            assertThat(RawHttp.get(s, "/healthz", host)).startsWith("HTTP/1.1 200");
            SignalingClient ws = SignalingClient.connect(HttpClient.newHttpClient(),
                    URI.create("ws://" + host + "/ws"), e -> { }).join();
            assertThat(ws.join("first").join().room()).isEqualTo("first");
            Thread.sleep(TIMEOUT.toMillis() + 1500); // past the deadline, within Jetty's idle timeout
            s.setSoTimeout(10_000);
            // The rest of the first answer, then a second request on the same connection.
            while (s.getInputStream().available() > 0) {
                s.getInputStream().read();
            }
            assertThat(RawHttp.get(s, "/healthz", host)).startsWith("HTTP/1.1 200");
            assertThat(ws.closed()).isNotDone();
            ws.leave();
            assertThat(ws.join("second").join().room()).isEqualTo("second");
            ws.close();
            assertThat(web.metrics().get("rtc4j.http.slow.requests").functionCounter().count()).isZero();
        }
    }
}
