package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * Each answer of {@code /api/ice-servers} carries fresh TURN credentials, and each credential can hold
 * allocations: one address gets a burst of them and then one every few seconds; other addresses are not
 * affected.
 */
class IceServersRateTest {

    @Test
    void oneAddressGetsABurstOfCredentialsThenWaits() throws Exception {
        LoopbackNamespace.require(); // a second client address, 127.0.0.2
        try (WebServer web = WebServer.start(WebServerConfig.loopback()
                .withIceServers(new IceServerSettings(null, 3478, 3478, "k".getBytes(), Duration.ofHours(1))))) {
            int port = web.port();
            String host = "127.0.0.1:" + port;
            int ok = 0;
            String status = "";
            for (int i = 0; i < 40; i++) {
                status = RawHttp.get(port, "/api/ice-servers", host);
                if (!status.startsWith("HTTP/1.1 200")) {
                    break;
                }
                ok++;
            }
            assertThat(ok).as("a burst, then a refusal").isBetween(20, 21);
            assertThat(status).startsWith("HTTP/1.1 429");
            try (Socket other = RawHttp.connect("127.0.0.2", port)) {
                assertThat(RawHttp.get(other, "/api/ice-servers", host)).as("another address").startsWith("HTTP/1.1 200");
            }
            assertThat(RawHttp.get(port, "/healthz", host)).as("the rest of the server").startsWith("HTTP/1.1 200");
            assertThat(web.metrics().get("rtc4j.http.rejected.ice.servers").counter().count()).isEqualTo(1);
        }
    }
}
