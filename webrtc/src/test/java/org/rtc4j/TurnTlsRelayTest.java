package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.testkit.Coturn;
import org.rtc4j.testkit.TestCertificate;

/**
 * TURN over TLS ({@code turns:}, RFC 8656 section 3.1) from a peer connection to coturn, a server we did not
 * write, with a certificate made for the test: relay-only, nothing else could connect the two. The server's
 * certificate is checked: one the settings do not trust, or made for another name, gives no relay.
 */
@Timeout(60)
class TurnTlsRelayTest {

    @TempDir
    Path dir;

    @Test
    void relayOnlyThroughCoturnOverTls() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "IP:127.0.0.1,DNS:localhost");
        try (Coturn coturn = Coturn.startTls(cert.certificatePem(), cert.keyPem())) {
            RTCSettings settings = RTCSettings.defaults().withTurnTrustedCertificate(cert.certificate());
            try (PeerPair pair = PeerPair.open(relayOnly("turns:127.0.0.1:" + coturn.tlsPort), settings)) {
                assertThat(pair.sendOne("hello", Duration.ofSeconds(20))).isEqualTo("hello");
                assertThat(pair.selectedLocalCandidateTypes()).containsExactly("relay", "relay");
            }
        }
    }

    @Test
    void anUntrustedCertificateGivesNoRelay() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "IP:127.0.0.1,DNS:localhost");
        try (Coturn coturn = Coturn.startTls(cert.certificatePem(), cert.keyPem())) {
            assertNoRelay(coturn, RTCSettings.defaults()); // the JDK's trust store does not hold it
        }
    }

    @Test
    void aCertificateForAnotherNameGivesNoRelay() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "DNS:turn.example.org");
        try (Coturn coturn = Coturn.startTls(cert.certificatePem(), cert.keyPem())) {
            assertNoRelay(coturn, RTCSettings.defaults().withTurnTrustedCertificate(cert.certificate()));
        }
    }

    private static void assertNoRelay(Coturn coturn, RTCSettings settings) throws Exception {
        RTCPeerConnectionIceErrorEvent e = IceServerNamesTest.candidateError(
                RTCIceServer.withCredentials("alice", "secret", "turns:127.0.0.1:" + coturn.tlsPort),
                settings.withLoopbackCandidates(true));
        assertThat(e.url()).startsWith("turns:");
        assertThat(e.errorCode()).isEqualTo(701);
        assertThat(e.errorText()).startsWith("TLS to ");
        assertThat(coturn.log()).doesNotContain("ALLOCATE processed, success");
    }

    private static RTCConfiguration relayOnly(String url) {
        return RTCConfiguration.defaults().withIceTransportPolicy(RTCIceTransportPolicy.RELAY)
                .withIceServers(RTCIceServer.withCredentials("alice", "secret", url));
    }
}
