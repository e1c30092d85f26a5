package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.LoopbackNamespace;

/** Idle connections from one address cannot starve the server: over its share they are closed at accept. */
class ConnectionsPerAddressTest {

    /**
     * A burst accepted before any was registered (Jetty's acceptor runs ahead of its selector on a busy machine):
     * the limit holds from the first accept, and a closed connection frees its slot.
     */
    @Test
    void aBurstAcceptedBeforeRegistrationStaysWithinTheLimit() throws Exception {
        ConnectionsPerAddress limit = new ConnectionsPerAddress(3);
        List<SocketChannel> clients = new ArrayList<>();
        List<SocketChannel> accepted = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (int i = 0; i < 10; i++) {
                clients.add(SocketChannel.open(server.getLocalAddress()));
                SocketChannel c = server.accept();
                accepted.add(c);
                limit.onAccepting(c);
            }
            assertThat(accepted.stream().filter(SocketChannel::isOpen).count()).isEqualTo(3);
            assertThat(limit.refused()).isEqualTo(7);
            accepted.get(0).close();
            limit.onClosed(accepted.get(0));
            clients.add(SocketChannel.open(server.getLocalAddress()));
            SocketChannel again = server.accept();
            limit.onAccepting(again);
            assertThat(again.isOpen()).as("a slot freed").isTrue();
            again.close();
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
            for (SocketChannel c : accepted) {
                c.close();
            }
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
        LoopbackNamespace.require(); // binds 127.0.0.2 as a second client address
        List<Socket> idle = new ArrayList<>();
        try (WebServer web = WebServer.start(WebServerConfig.loopback().withMaxConnectionsPerAddress(3))) {
            int port = web.port();
            for (int i = 0; i < 3; i++) {
                Socket s = RawHttp.connect("127.0.0.1", port);
                idle.add(s);
                assertThat(RawHttp.get(s, "/healthz", "127.0.0.1:" + port)).startsWith("HTTP/1.1 200"); // accepted, kept alive, then idle
            }
            try (Socket over = RawHttp.connect("127.0.0.1", port)) {
                assertThat(RawHttp.get(over, "/healthz", "127.0.0.1:" + port)).isEqualTo("closed");
            }
            try (Socket other = RawHttp.connect("127.0.0.2", port)) {
                assertThat(RawHttp.get(other, "/healthz", "127.0.0.1:" + port)).as("another address").startsWith("HTTP/1.1 200");
            }
            idle.remove(0).close();
            String status = "closed";
            for (int i = 0; i < 50 && status.equals("closed"); i++) { // the server sees the close shortly
                Thread.sleep(20);
                try (Socket again = RawHttp.connect("127.0.0.1", port)) {
                    status = RawHttp.get(again, "/healthz", "127.0.0.1:" + port);
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
