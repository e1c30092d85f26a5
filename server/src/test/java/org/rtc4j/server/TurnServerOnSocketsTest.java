package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.PeerPair;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.RTCIceTransportPolicy;
import org.rtc4j.RTCSettings;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.server.web.PemKeyStore;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.TestCertificate;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;

/**
 * Two relay-only peer connections talk through the TURN engine run by {@link EngineRunner}, their TURN client
 * reaching it over UDP, TCP and TLS ({@code turns:}, with a certificate made by OpenSSL that the client trusts).
 */
class TurnServerOnSocketsTest {

    @TempDir
    Path dir;

    static TurnServerConfig.Builder config(InetAddress relay) {
        return TurnServerConfig.builder().realm("test").user("alice", "secret").relayAddress(relay)
                .ports(50000, 50999);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void relayOnlyPeersConnectThroughTheTurnServerOnLoopback(String transport) throws Exception {
        LoopbackNamespace.require();
        InetAddress lo = InetAddress.getLoopbackAddress();
        TestCertificate cert = TestCertificate.generate(dir, "IP:127.0.0.1,DNS:localhost");
        try (EngineRunner server = EngineRunner.start(new TurnServer(config(lo).allowLoopbackPeers(true).build()),
                List.of(TransportAddress.udp(lo, 0), TransportAddress.tcp(lo, 0)), List.of(TransportAddress.tcp(lo, 0)),
                PemKeyStore.serverContext(cert.certificatePem(), cert.keyPem()), TcpLimits.defaults(),
                org.rtc4j.core.Clock.system())) {
            String url = switch (transport) {
                case "udp" -> "turn:127.0.0.1:" + server.localAddresses().get(0).port() + "?transport=udp";
                case "tcp" -> "turn:127.0.0.1:" + server.localAddresses().get(1).port() + "?transport=tcp";
                default -> "turns:127.0.0.1:" + server.tlsAddresses().get(0).port();
            };
            RTCConfiguration config = RTCConfiguration.defaults().withIceTransportPolicy(RTCIceTransportPolicy.RELAY)
                    .withIceServers(RTCIceServer.withCredentials("alice", "secret", url));
            RTCSettings settings = RTCSettings.defaults().withTurnTrustedCertificate(cert.certificate());
            try (PeerPair pair = PeerPair.open(config, settings)) {
                long t0 = System.nanoTime();
                assertThat(pair.sendOne("hello", Duration.ofSeconds(20))).isEqualTo("hello");
                System.out.printf("relay-only through ./rtc4j's TURN server over %s: a message across %.1f ms after offer%n",
                        transport, (System.nanoTime() - t0) / 1e6);
                assertThat(pair.selectedLocalCandidateTypes()).containsExactly("relay", "relay");
            }
        }
    }
}
