package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.PeerPair;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.RTCIceTransportPolicy;
import org.rtc4j.RTCSettings;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;

/**
 * Two relay-only peer connections talk through the TURN engine run by {@link EngineRunner}, their TURN client
 * reaching it over UDP and over TCP.
 */
class TurnServerOnSocketsTest {

    static TurnServerConfig.Builder config(InetAddress relay) {
        return TurnServerConfig.builder().realm("test").user("alice", "secret").relayAddress(relay)
                .ports(50000, 50999);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void relayOnlyPeersConnectThroughTheTurnServerOnLoopback(String transport) throws Exception {
        LoopbackNamespace.require();
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (EngineRunner server = EngineRunner.start(new TurnServer(config(lo).allowLoopbackPeers(true).build()),
                List.of(TransportAddress.udp(lo, 0), TransportAddress.tcp(lo, 0)), org.rtc4j.core.Clock.system())) {
            int port = server.localAddresses().get(transport.equals("udp") ? 0 : 1).port();
            RTCConfiguration config = RTCConfiguration.defaults().withIceTransportPolicy(RTCIceTransportPolicy.RELAY)
                    .withIceServers(RTCIceServer.withCredentials("alice", "secret",
                            "turn:127.0.0.1:" + port + "?transport=" + transport));
            try (PeerPair pair = PeerPair.open(config, RTCSettings.defaults())) {
                long t0 = System.nanoTime();
                assertThat(pair.sendOne("hello", Duration.ofSeconds(20))).isEqualTo("hello");
                System.out.printf("relay-only through ./rtc4j's TURN server over %s: a message across %.1f ms after offer%n",
                        transport, (System.nanoTime() - t0) / 1e6);
                assertThat(pair.selectedLocalCandidateTypes()).containsExactly("relay", "relay");
            }
        }
    }
}
