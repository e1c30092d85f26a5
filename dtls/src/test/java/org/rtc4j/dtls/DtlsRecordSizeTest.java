package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handshake keeps to the configured MTU; application records may be as large as a record can be. */
class DtlsRecordSizeTest {

    private static final DtlsCertificate A = DtlsCertificate.generate();
    private static final DtlsCertificate B = DtlsCertificate.generate();

    @Test
    void handshakeFitsTheMtuAndRecordsGrowToTheRecordLimit() throws Exception {
        DtlsSettings settings = DtlsSettings.defaults().withMtu(600);
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, A, settings);
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, B, settings);
        client.setRemoteFingerprints(List.of(B.fingerprint()));
        server.setRemoteFingerprints(List.of(A.fingerprint()));
        List<byte[]> received = new ArrayList<>();
        server.start(Instant.now());
        client.start(Instant.now());
        int largestHandshakeDatagram = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((client.state() != DtlsState.CONNECTED || server.state() != DtlsState.CONNECTED)
                && System.nanoTime() < deadline) {
            largestHandshakeDatagram = Math.max(largestHandshakeDatagram, move(client, server));
            largestHandshakeDatagram = Math.max(largestHandshakeDatagram, move(server, client));
            Thread.sleep(1);
        }
        assertThat(client.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(largestHandshakeDatagram).isBetween(1, 600);
        while (server.pollEvent() != null) {
            // Connected: from now on records come out of receive
        }

        int forMtu = client.maxApplicationData();
        assertThat(forMtu).isEqualTo(client.maxApplicationData(600)).isBetween(500, 600 - 13);
        assertThat(client.maxApplicationData(65_507)).isEqualTo(1 << 14);

        byte[] big = new byte[1 << 14];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        byte[] exact = new byte[forMtu];
        client.send(big, 0, big.length);
        client.send(exact, 0, exact.length);
        List<Integer> sizes = new ArrayList<>();
        for (ByteBuffer d; (d = client.pollTransmit()) != null; ) {
            sizes.add(d.remaining());
            LossyLink.collect(server.receive(Instant.now(), d), server, received);
        }
        // One datagram per record: the large one whole, the other exactly filling the MTU.
        assertThat(sizes).containsExactly(big.length + 600 - forMtu, 600);
        assertThat(received).hasSize(2);
        assertThat(received.get(0)).isEqualTo(big);
        assertThat(received.get(1)).hasSize(forMtu);
        client.close();
        server.close();
    }

    private static int move(DtlsConnection from, DtlsConnection to) {
        int largest = 0;
        for (ByteBuffer d; (d = from.pollTransmit()) != null; ) {
            largest = Math.max(largest, d.remaining());
            to.receive(Instant.now(), d);
        }
        return largest;
    }
}
