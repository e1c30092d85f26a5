package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DtlsConnection#receive} and {@link DtlsConnection#pollData}: records as views, never ahead of Connected. */
class DtlsReceiveTest {

    private static final DtlsCertificate A = DtlsCertificate.generate();
    private static final DtlsCertificate B = DtlsCertificate.generate();

    @Test
    void dataWaitsUntilConnectedIsPolledThenComesOutAsOneReusedView() throws Exception {
        // Started, with the link's pump left unused: this test moves the datagrams itself.
        LossyLink link = DtlsHandshakeTest.pair(A, B, DtlsSettings.defaults(), 0, 1);
        DtlsConnection client = link.a;
        DtlsConnection server = link.b;
        // Move datagrams until both are connected, without polling the server's events.
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> received = new ArrayList<>();
        while ((client.state() != DtlsState.CONNECTED || server.state() != DtlsState.CONNECTED)
                && System.nanoTime() < deadline) {
            move(client, server, received);
            move(server, client, new ArrayList<>());
            Thread.sleep(1);
        }
        assertThat(server.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(client.state()).isEqualTo(DtlsState.CONNECTED);

        client.send(bytes("early"), 0, 5);
        client.send(bytes("also early"), 0, 10);
        move(client, server, received);
        assertThat(received).isEmpty();  // Connected still waits to be polled: the data waits behind it
        assertThat(server.pollEvent()).isInstanceOf(DtlsEvent.Connected.class);
        assertThat(server.pollEvent()).isNull();
        assertThat(text(server.pollData())).isEqualTo("early");
        assertThat(text(server.pollData())).isEqualTo("also early");
        assertThat(server.pollData()).isNull();

        client.send(bytes("late"), 0, 4);
        client.send(bytes("later"), 0, 5);
        ByteBuffer both = client.pollTransmit();     // two records, packed in one datagram
        assertThat(client.pollTransmit()).isNull();
        ByteBuffer first = server.receive(Instant.now(), both);
        assertThat(text(first)).isEqualTo("late");
        ByteBuffer second = server.pollData();
        assertThat(second).isSameAs(first);     // one view, reused: nothing allocated per record
        assertThat(text(second)).isEqualTo("later");
        assertThat(server.pollData()).isNull();
        assertThat(server.pollEvent()).isNull();
        assertThat(server.droppedCount()).isZero();
        client.close();
        server.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    private static void move(DtlsConnection from, DtlsConnection to, List<String> received) {
        for (ByteBuffer d; (d = from.pollTransmit()) != null; ) {
            for (ByteBuffer p = to.receive(Instant.now(), d); p != null; p = to.pollData()) {
                received.add(text(p));
            }
        }
    }
}
