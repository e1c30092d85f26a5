package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DtlsConnection#onData}: records to the handler without a copy, never ahead of Connected. */
class DtlsDataHandlerTest {

    private static final DtlsCertificate A = DtlsCertificate.generate();
    private static final DtlsCertificate B = DtlsCertificate.generate();

    @Test
    void dataQueuesAsEventsWhileConnectedIsUnpolledThenGoesToTheHandler() throws Exception {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, A, DtlsSettings.defaults());
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, B, DtlsSettings.defaults());
        client.setRemoteFingerprints(List.of(B.fingerprint()));
        server.setRemoteFingerprints(List.of(A.fingerprint()));
        List<String> handled = new ArrayList<>();
        server.onData(buf -> handled.add(StandardCharsets.UTF_8.decode(buf).toString()));
        server.start(Instant.now());
        client.start(Instant.now());
        // Move datagrams until both are connected, without polling the server's events.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((client.state() != DtlsState.CONNECTED || server.state() != DtlsState.CONNECTED)
                && System.nanoTime() < deadline) {
            move(client, server);
            move(server, client);
            Thread.sleep(1);
        }
        assertThat(server.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(client.state()).isEqualTo(DtlsState.CONNECTED);

        client.send(bytes("early"), 0, 5);
        move(client, server);
        assertThat(handled).isEmpty();  // Connected still waits to be polled: the data waits behind it
        List<DtlsEvent> events = new ArrayList<>();
        for (DtlsEvent e; (e = server.pollEvent()) != null; ) {
            events.add(e);
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(DtlsEvent.Connected.class);
        assertThat(new String(((DtlsEvent.Data) events.get(1)).data(), StandardCharsets.UTF_8)).isEqualTo("early");

        client.send(bytes("late"), 0, 4);
        client.send(bytes("later"), 0, 5);
        move(client, server);
        assertThat(handled).containsExactly("late", "later");
        assertThat(server.pollEvent()).isNull();
        client.close();
        server.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void move(DtlsConnection from, DtlsConnection to) {
        for (ByteBuffer d; (d = from.pollTransmit()) != null; ) {
            to.handleInput(Instant.now(), d);
        }
    }
}
