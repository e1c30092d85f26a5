package org.rtc4j.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rtc4j.signaling.internal.PlainHttp;

/** The client for plain addresses speaks HTTP and never TLS; secure addresses get the JDK's own. */
class PlainHttpTest {

    @Test
    void picksTheClientByScheme() {
        assertThat(PlainHttp.secure(URI.create("wss://example.test/ws"))).isTrue();
        assertThat(PlainHttp.secure(URI.create("HTTPS://example.test/"))).isTrue();
        assertThat(PlainHttp.secure(URI.create("ws://127.0.0.1:8080/ws"))).isFalse();
        assertThat(PlainHttp.clientFor(URI.create("ws://127.0.0.1/")))
                .isSameAs(PlainHttp.clientFor(URI.create("http://127.0.0.1/")))
                .isNotSameAs(PlainHttp.clientFor(URI.create("https://127.0.0.1/")));
    }

    @Test
    void plainClientSpeaksHttp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> answerOnce(server));
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/ice-servers");
            HttpResponse<String> r = PlainHttp.clientFor(uri).send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{}");
            t.join();
        }
    }

    @Test
    void plainClientRefusesTls() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI https = URI.create("https://127.0.0.1:" + server.getLocalPort() + "/");
            HttpRequest request = HttpRequest.newBuilder(https).timeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(() -> PlainHttp.clientFor(URI.create("ws://127.0.0.1/"))
                    .send(request, HttpResponse.BodyHandlers.ofString()))
                    .hasStackTraceContaining("TLS through a client made for ws: and http: addresses");
        }
    }

    private static void answerOnce(ServerSocket server) {
        try (Socket s = server.accept()) {
            byte[] buf = new byte[4096];
            int n = 0;
            while (!new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int r = s.getInputStream().read(buf, n, buf.length - n);
                if (r < 0) {
                    return;
                }
                n += r;
            }
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
