package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The handshake keeps to the configured MTU; application records may be as large as a record can be; datagrams
 * taken into the caller's buffer come out whole while their buffers are reused.
 */
class DtlsRecordSizeTest {

    private static final DtlsCertificate A = DtlsCertificate.generate();
    private static final DtlsCertificate B = DtlsCertificate.generate();
    private static final DtlsSettings MTU_600 = DtlsSettings.defaults().withMtu(600);

    @Test
    void handshakeFitsTheMtuAndRecordsGrowToTheRecordLimit() throws Exception {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, A, MTU_600);
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, B, MTU_600);
        List<byte[]> received = new ArrayList<>();
        assertThat(connect(client, server)).isBetween(1, 600);

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

    @Test
    void datagramsTakenIntoOneBufferArriveWholeWhileTheirBuffersAreReused() throws Exception {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, A, MTU_600);
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, B, MTU_600);
        connect(client, server);
        int forMtu = client.maxApplicationData();
        ByteBuffer into = ByteBuffer.allocate(600);
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> received = new ArrayList<>();
        int datagrams = 0;
        // Bursts larger than the buffers kept for reuse, full records and small ones that share a datagram.
        for (int burst = 0; burst < 3; burst++) {
            for (int i = 0; i < 400; i++) {
                byte[] m = new byte[i % 4 < 2 ? 40 : forMtu - i % 7];
                for (int k = 0; k < m.length; k++) {
                    m[k] = (byte) (burst * 131 + i * 17 + k);
                }
                sent.add(m);
                client.send(m, 0, m.length);
            }
            while (client.pollTransmit(into.clear())) {
                datagrams++;
                assertThat(into.position()).isBetween(1, 600);
                LossyLink.collect(server.receive(Instant.now(), into.flip()), server, received);
            }
        }
        assertThat(received).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).as("record %d", i).isEqualTo(sent.get(i));
        }
        assertThat(datagrams).isLessThan(sent.size());   // two small records in a row share a datagram

        client.send(new byte[forMtu], 0, forMtu);
        assertThatThrownBy(() -> client.pollTransmit(ByteBuffer.allocate(100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(client.pollTransmit(into.clear())).isTrue();   // still queued after the refusal
        assertThat(client.pollTransmit(into.clear())).isFalse();
        client.close();
        server.close();
    }

    /** Runs the handshake to its end; the largest handshake datagram. */
    private static int connect(DtlsConnection client, DtlsConnection server) throws InterruptedException {
        client.setRemoteFingerprints(List.of(B.fingerprint()));
        server.setRemoteFingerprints(List.of(A.fingerprint()));
        server.start(Instant.now());
        client.start(Instant.now());
        int largest = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((client.state() != DtlsState.CONNECTED || server.state() != DtlsState.CONNECTED)
                && System.nanoTime() < deadline) {
            largest = Math.max(largest, move(client, server));
            largest = Math.max(largest, move(server, client));
            Thread.sleep(1);
        }
        assertThat(client.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(server.state()).isEqualTo(DtlsState.CONNECTED);
        while (server.pollEvent() != null) {
            // Connected: from now on records come out of receive
        }
        return largest;
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
