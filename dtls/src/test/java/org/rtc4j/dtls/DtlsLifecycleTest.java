package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timeouts, closing mid-handshake, late fingerprints: the edges of a connection's life. */
class DtlsLifecycleTest {

    private static final DtlsCertificate A = DtlsCertificate.generate();
    private static final DtlsCertificate B = DtlsCertificate.generate();

    @Test
    void handshakeWithNobodyFailsAfterTheTimeout() throws Exception {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, A,
                DtlsSettings.defaults().withHandshakeTimeout(Duration.ofMillis(400)));
        client.setRemoteFingerprints(List.of(B.fingerprint()));
        client.start(Instant.now());
        Instant deadline = Instant.now().plusSeconds(10);
        int clientHellos = 0;
        while (client.state() == DtlsState.CONNECTING && Instant.now().isBefore(deadline)) {
            LossyLink.timers(client);
            while (client.pollTransmit() != null) {
                clientHellos++;     // resent with back-off, never answered
            }
            Thread.sleep(5);
        }
        assertThat(client.state()).isEqualTo(DtlsState.FAILED);
        assertThat(clientHellos).isGreaterThan(1);
        DtlsEvent.Failed failed = (DtlsEvent.Failed) client.pollEvent();
        assertThat(failed.reason()).contains("timed out after 400 ms");
        assertThatThrownBy(() -> client.send(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingDuringTheHandshakeStopsIt() throws Exception {
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, A, DtlsSettings.defaults());
        server.start(Instant.now());
        server.close();
        assertThat(server.state()).isEqualTo(DtlsState.CLOSED);
        assertThat(server.pollEvent()).isEqualTo(new DtlsEvent.Closed(false));
        Thread.sleep(50);
        assertThat(server.pollEvent()).isNull();   // no Failed from the abandoned handshake
        server.close();                            // twice is harmless
    }

    @Test
    void fingerprintsArrivingAfterTheStartAreWaitedFor() throws Exception {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, A, DtlsSettings.defaults());
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, B, DtlsSettings.defaults());
        LossyLink link = new LossyLink(client, server, 0, 1);
        server.start(Instant.now());
        client.start(Instant.now());
        link.pumpOnce();
        Thread.sleep(100);
        link.pumpOnce();
        assertThat(client.state()).isEqualTo(DtlsState.CONNECTING);
        client.setRemoteFingerprints(List.of(B.fingerprint()));   // the answer arrives late
        server.setRemoteFingerprints(List.of(A.fingerprint()));
        link.pumpUntilSettled(Duration.ofSeconds(10));
        assertThat(client.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(server.state()).isEqualTo(DtlsState.CONNECTED);
    }
}
