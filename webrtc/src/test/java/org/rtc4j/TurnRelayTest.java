package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.testkit.Coturn;

/**
 * Two connections relay-only through coturn, a TURN server we did not write: over UDP, and over TCP to the
 * server (RFC 8656 section 3.1), which the socket driver's TURN connections carry. With only a TCP server and
 * relay-only policy nothing else could connect them.
 */
@Timeout(60)
class TurnRelayTest {

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void relayOnlyThroughCoturn(String transport) throws Exception {
        try (Coturn coturn = Coturn.start()) {
            RTCConfiguration config = RTCConfiguration.defaults()
                    .withIceTransportPolicy(RTCIceTransportPolicy.RELAY)
                    .withIceServers(RTCIceServer.withCredentials("alice", "secret",
                            "turn:127.0.0.1:" + coturn.port + "?transport=" + transport));
            try (PeerPair pair = PeerPair.open(config, RTCSettings.defaults())) {
                long t0 = System.nanoTime();
                assertThat(pair.sendOne("hello", Duration.ofSeconds(20))).isEqualTo("hello");
                System.out.printf("relay-only through coturn over %s: a message across %.1f ms after offer%n",
                        transport, (System.nanoTime() - t0) / 1e6);
                assertThat(pair.selectedLocalCandidateTypes()).containsExactly("relay", "relay");
            }
        }
    }

    /** Refused credentials: the server's 401 as the icecandidateerror, and gathering completes without it. */
    @Test
    void refusedCredentialsGiveACandidateError() throws Exception {
        try (Coturn coturn = Coturn.start()) {
            RTCPeerConnectionIceErrorEvent e = IceServerNamesTest.candidateError(
                    RTCIceServer.withCredentials("alice", "wrong", "turn:127.0.0.1:" + coturn.port + "?transport=tcp"));
            assertThat(e.errorCode()).isEqualTo(401);
        }
    }

    /** Nothing listens on the TCP port: the refused connection is the icecandidateerror 701 at once. */
    @Test
    void anUnreachableTcpServerGivesACandidateError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RTCPeerConnectionIceErrorEvent e = IceServerNamesTest.candidateError(
                RTCIceServer.withCredentials("alice", "secret", "turn:127.0.0.1:" + port + "?transport=tcp"));
        assertThat(e.errorCode()).isEqualTo(701);
        assertThat(e.errorText()).startsWith("TCP to ");
    }
}
