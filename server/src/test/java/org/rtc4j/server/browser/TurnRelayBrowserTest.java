package org.rtc4j.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.web.IceServerSettings;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.Chromium;

/**
 * The app's TURN path end to end: two Chromium take their ICE servers from {@code /api/ice-servers}, whose
 * time-limited credentials come from the secret shared with coturn (a TURN server we did not write), and
 * with {@code ?relay=1} connect through it only.
 */
class TurnRelayBrowserTest {

    @Test
    void browsersCallThroughCoturnWithCredentialsFromTheServer() throws Exception {
        LoopbackNamespace.require();
        int turnPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            turnPort = probe.getLocalPort();
        }
        Process turn = new ProcessBuilder("turnserver", "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                "--listening-port=" + turnPort, "--use-auth-secret", "--static-auth-secret=shared-secret",
                "--realm=rtc4j", "--fingerprint", "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-cli",
                "--log-file=stdout", "--simple-log")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        IceServerSettings ice = new IceServerSettings("127.0.0.1", turnPort, turnPort,
                "shared-secret".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1));
        try (WebServer server = WebServer.start(WebServerConfig.loopback().withIceServers(ice))) {
            URI roomUrl = URI.create("http://127.0.0.1:" + server.port() + "/r/relayed?relay=1");
            try (Chromium alice = Chromium.launch(); Chromium bob = Chromium.launch()) {
                RoomPage a = RoomPage.open(alice, roomUrl, "alice");
                RoomPage b = RoomPage.open(bob, roomUrl, "bob");
                for (RoomPage p : List.of(a, b)) {
                    p.waitForFramesBeyond("video through the TURN server", 10);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> path = (Map<String, Object>) p.eval("""
                            (async () => {
                              const pc = window.rtc4j.peers.values().next().value.pc;
                              const stats = await pc.getStats();
                              let pair;
                              stats.forEach(s => { if (s.type === 'transport') pair = stats.get(s.selectedCandidatePairId); });
                              return { local: stats.get(pair.localCandidateId).candidateType,
                                       remote: stats.get(pair.remoteCandidateId).candidateType,
                                       servers: JSON.stringify(pc.getConfiguration().iceServers) };
                            })()""");
                    assertThat(path.get("local")).isEqualTo("relay");
                    assertThat(path.get("remote")).isEqualTo("relay");
                    assertThat((String) path.get("servers")).contains("turn:127.0.0.1:" + turnPort, "username");
                }
            }
        } finally {
            turn.destroy();
            turn.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
