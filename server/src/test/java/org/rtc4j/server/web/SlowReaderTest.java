package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.signaling.SignalingSettings;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.signaling.SignalingEvent;

/**
 * A client that joins and then never reads, while its peer sends large messages under the rate limit: what
 * waits for it in the server is bounded, it is disconnected once over the bound, and its peer notices only
 * that it left.
 */
class SlowReaderTest {

    /** A WebSocket client on a raw socket with a tiny receive buffer, that sends and never reads. */
    private static Socket nonReadingClient(int port, String joinJson) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        // Read the handshake response only (up to the blank line), then never again.
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
        }
        byte[] payload = joinJson.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + payload.length]; // FIN + text, masked (RFC 6455 5.2), short length
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
        out.flush();
        return s;
    }

    @Test
    void aClientThatDoesNotReadIsCutOffAndItsPeerSeesItLeave() throws Exception {
        SignalingSettings settings = SignalingSettings.defaults().withMaxMessageBytes(16 * 1024)
                .withRate(1000, 1000).withMaxQueued(256 * 1024, 1024);
        try (WebServer web = WebServer.start(WebServerConfig.loopback().withSignaling(settings))) {
            var events = new CopyOnWriteArrayList<SignalingEvent>();
            SignalingClient fast = SignalingClient.connect(
                    java.net.URI.create("ws://127.0.0.1:" + web.port() + "/ws"), events::add).join();
            fast.join("r").get(10, TimeUnit.SECONDS);
            try (Socket slow = nonReadingClient(web.port(), "{\"type\":\"join\",\"room\":\"r\"}")) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!events.stream().anyMatch(e -> e instanceof SignalingEvent.PeerJoined)) {
                    assertThat(System.nanoTime()).as("the slow client joined").isLessThan(deadline);
                    Thread.sleep(10);
                }
                String filler = "x".repeat(15_000);
                int sent = 0;
                while (web.hub().stats().disconnectedForNotReading() == 0) {
                    assertThat(System.nanoTime()).as("disconnected for not reading").isLessThan(deadline);
                    // 15 KB a message, 2,000 at most (30 MB), far past what the kernel's buffers hold.
                    assertThat(sent).as("messages sent before the cut").isLessThan(2000);
                    fast.sendRaw("{\"type\":\"message\",\"data\":\"" + filler + "\"}").get(10, TimeUnit.SECONDS);
                    sent++;
                    if (sent % 100 == 0) {
                        Thread.sleep(100); // stay under the rate limit
                    }
                }
                while (!events.stream().anyMatch(e -> e instanceof SignalingEvent.PeerLeft)) {
                    assertThat(System.nanoTime()).as("the peer saw it leave").isLessThan(deadline);
                    Thread.sleep(10);
                }
                assertThat(web.hub().clientCount()).isEqualTo(1);
                assertThat(web.metrics().get("rtc4j.signaling.slow.disconnects").functionCounter().count()).isEqualTo(1);
                // The fast client goes on as before.
                assertThat(fast.join("r")).isNotNull();
                assertThat(events.stream().filter(e -> e instanceof SignalingEvent.Closed)).isEmpty();
            }
        }
    }
}
