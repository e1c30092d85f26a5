package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The loop handshake between two of our endpoints on a virtual clock: loss, retransmission, both key types. */
class LoopHandshakeTest {

    private static final DtlsCertificate EC_1 = DtlsCertificate.generate();
    private static final DtlsCertificate EC_2 = DtlsCertificate.generate();
    private static final DtlsCertificate RSA = DtlsCertificate.generate(DtlsCertificate.KeyType.RSA_2048,
            Duration.ofDays(1));

    static VirtualLink link(DtlsCertificate clientCert, DtlsCertificate serverCert, double loss, long seed) {
        return link(clientCert, serverCert, serverCert.fingerprint(), loss, seed);
    }

    /** As above, the client expecting {@code clientExpects} (none yet when null). */
    static VirtualLink link(DtlsCertificate clientCert, DtlsCertificate serverCert, DtlsFingerprint clientExpects,
            double loss, long seed) {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, clientCert, VirtualLink.settings());
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, serverCert, VirtualLink.settings());
        if (clientExpects != null) {
            client.setRemoteFingerprints(List.of(clientExpects));
        }
        server.setRemoteFingerprints(List.of(clientCert.fingerprint()));
        VirtualLink link = new VirtualLink(client, server, loss, seed, Duration.ofMillis(10));
        server.start(link.now);
        client.start(link.now);
        return link;
    }

    static void assertConnected(VirtualLink link) {
        assertThat(link.a.state()).as("client %s", link.eventsA).isEqualTo(DtlsState.CONNECTED);
        assertThat(link.b.state()).as("server %s", link.eventsB).isEqualTo(DtlsState.CONNECTED);
        DtlsEvent.Connected c = LossyLink.first(link.eventsA, DtlsEvent.Connected.class);
        DtlsEvent.Connected s = LossyLink.first(link.eventsB, DtlsEvent.Connected.class);
        assertThat(c.srtpProfile()).isEqualTo(DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM);
        assertThat(c.srtpKeyingMaterial()).hasSize(56).isEqualTo(s.srtpKeyingMaterial());
        assertThat(c.cipherSuite()).isEqualTo(s.cipherSuite());
    }

    static void exchange(VirtualLink link) {
        link.a.send("ping".getBytes(StandardCharsets.UTF_8), 0, 4);
        link.b.send("pong!".getBytes(StandardCharsets.UTF_8), 0, 5);
        link.run(Duration.ofMillis(50));
        assertThat(link.dataB).hasSize(1);
        assertThat(link.dataB.get(0)).asString(StandardCharsets.UTF_8).isEqualTo("ping");
        assertThat(link.dataA).hasSize(1);
        assertThat(link.dataA.get(0)).asString(StandardCharsets.UTF_8).isEqualTo("pong!");
    }

    @Test
    void connectsInTwoRoundTripsAndCarriesDataAndCloses() {
        VirtualLink link = link(EC_1, EC_2, 0, 1);
        Instant start = link.now;
        link.runUntilSettled(Duration.ofSeconds(5));
        assertConnected(link);
        // Four one-way trips of 10 ms: no timer was needed.
        assertThat(Duration.between(start, link.now)).isLessThanOrEqualTo(Duration.ofMillis(40));
        DtlsEvent.Connected c = LossyLink.first(link.eventsA, DtlsEvent.Connected.class);
        assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(c.peerFingerprint()).isEqualTo(EC_2.fingerprint());
        exchange(link);
        link.a.close();
        link.run(Duration.ofMillis(50));
        assertThat(link.b.state()).isEqualTo(DtlsState.CLOSED);
        assertThat(LossyLink.first(link.eventsB, DtlsEvent.Closed.class).byPeer()).isTrue();
    }

    @Test
    void theClientSendsWithItsFinishedAndTheServerDeliversItOnceConnected() {
        VirtualLink link = link(EC_1, EC_2, 0, 1);
        assertThat(link.a.canSend()).as("before any flight").isFalse();
        Instant start = link.now;
        while (!link.a.canSend() && Duration.between(start, link.now).compareTo(Duration.ofSeconds(1)) < 0) {
            link.run(Duration.ofMillis(1));
        }
        // False Start (RFC 7918): the client's last flight is out one round trip in; nobody is connected yet.
        assertThat(link.a.canSend()).isTrue();
        assertThat(link.a.state()).isEqualTo(DtlsState.CONNECTING);
        assertThat(link.b.state()).isEqualTo(DtlsState.CONNECTING);
        assertThat(link.b.canSend()).as("the server never sends before it is connected").isFalse();
        link.a.send("early".getBytes(StandardCharsets.UTF_8), 0, 5);
        link.runUntilSettled(Duration.ofSeconds(5));
        assertConnected(link);
        // Two round trips, no resend: the early record rode beside the Finished and waited for Connected.
        assertThat(Duration.between(start, link.now)).isLessThanOrEqualTo(Duration.ofMillis(40));
        link.run(Duration.ofMillis(20));
        assertThat(link.dataB).hasSize(1);
        assertThat(link.dataB.get(0)).asString(StandardCharsets.UTF_8).isEqualTo("early");
        assertThat(link.eventsB.get(0)).isInstanceOf(DtlsEvent.Connected.class);
    }

    @Test
    void rsaServer() {
        VirtualLink link = link(EC_1, RSA, 0, 1);
        link.runUntilSettled(Duration.ofSeconds(5));
        assertConnected(link);
        assertThat(LossyLink.first(link.eventsA, DtlsEvent.Connected.class).cipherSuite())
                .isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        exchange(link);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void connectsThroughThirtyPercentLoss(long seed) {
        VirtualLink link = link(EC_1, seed % 2 == 0 ? RSA : EC_2, 0.3, seed);
        link.runUntilSettled(Duration.ofSeconds(25));
        assertConnected(link);
        link.loss = 0;
        exchange(link);
    }

    @Test
    void aWrongFingerprintFailsBothSides() {
        VirtualLink link = link(EC_1, EC_2, RSA.fingerprint(), 0, 1);
        link.runUntilSettled(Duration.ofSeconds(40));
        assertThat(link.a.state()).isEqualTo(DtlsState.FAILED);
        assertThat(LossyLink.first(link.eventsA, DtlsEvent.Failed.class).reason()).contains("does not match");
        assertThat(link.b.state()).isNotEqualTo(DtlsState.CONNECTED);
    }

    @Test
    void fingerprintsThatComeLateStillConnect() {
        VirtualLink link = link(EC_1, EC_2, null, 0, 1);
        link.run(Duration.ofMillis(200));
        assertThat(link.a.state()).isEqualTo(DtlsState.CONNECTING);
        link.a.setRemoteFingerprints(List.of(EC_2.fingerprint()));
        link.runUntilSettled(Duration.ofSeconds(5));
        assertConnected(link);
    }
}
