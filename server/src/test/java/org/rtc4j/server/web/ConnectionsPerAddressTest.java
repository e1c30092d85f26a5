package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.LoopbackNamespace;

/** Idle connections from one address cannot starve the server: over its share they are closed at accept. */
class ConnectionsPerAddressTest {

    private static Socket connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends GET /healthz on {@code s}; the status line, or "closed" when the server closed the connection. */
    private static String healthz(Socket s, int port) throws IOException {
        try {
            s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                line.append((char) b);
            }
            return line.isEmpty() ? "closed" : line.toString().strip();
        } catch (SocketException e) {
            return "closed"; // reset
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
        LoopbackNamespace.require(); // binds 127.0.0.2 as a second client address
        List<Socket> idle = new ArrayList<>();
        try (WebServer web = WebServer.start(WebServerConfig.loopback().withMaxConnectionsPerAddress(3))) {
            int port = web.port();
            for (int i = 0; i < 3; i++) {
                Socket s = connect("127.0.0.1", port);
                idle.add(s);
                assertThat(healthz(s, port)).startsWith("HTTP/1.1 200"); // accepted, kept alive, then idle
            }
            try (Socket over = connect("127.0.0.1", port)) {
                assertThat(healthz(over, port)).isEqualTo("closed");
            }
            try (Socket other = connect("127.0.0.2", port)) {
                assertThat(healthz(other, port)).as("another address").startsWith("HTTP/1.1 200");
            }
            idle.remove(0).close();
            String status = "closed";
            for (int i = 0; i < 50 && status.equals("closed"); i++) { // the server sees the close shortly
                Thread.sleep(20);
                try (Socket again = connect("127.0.0.1", port)) {
                    status = healthz(again, port);
                }
            }
            assertThat(status).as("a slot freed").startsWith("HTTP/1.1 200");
            assertThat(web.metrics().get("rtc4j.http.refused.connections").functionCounter().count()).isGreaterThanOrEqualTo(1);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }
}
