package org.rtc4j.bench.dtls;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.dtls.DtlsConnection;
import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.dtls.DtlsRole;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.dtls.DtlsState;

/** A DTLS client and server joined in memory, pumped by the calling thread. */
final class InMemoryPair {

    final DtlsConnection client;
    final DtlsConnection server;
    private final Semaphore wake = new Semaphore(0);

    InMemoryPair(DtlsCertificate clientCert, DtlsCertificate serverCert) {
        DtlsSettings settings = DtlsSettings.defaults();
        client = new DtlsConnection(DtlsRole.CLIENT, clientCert, settings);
        server = new DtlsConnection(DtlsRole.SERVER, serverCert, settings);
        client.setRemoteFingerprints(List.of(serverCert.fingerprint()));
        server.setRemoteFingerprints(List.of(clientCert.fingerprint()));
        client.onWakeup(wake::release);
        server.onWakeup(wake::release);
    }

    /** Runs the handshake to the end; throws if it does not connect. */
    void handshake() throws InterruptedException {
        server.start(Instant.now());
        client.start(Instant.now());
        while (client.state() == DtlsState.CONNECTING || server.state() == DtlsState.CONNECTING) {
            boolean moved;
            do {
                moved = move(client, server) | move(server, client);
            } while (moved);
            wake.tryAcquire(1, TimeUnit.MILLISECONDS);
        }
        move(client, server);
        move(server, client);
        if (client.state() != DtlsState.CONNECTED || server.state() != DtlsState.CONNECTED) {
            throw new IllegalStateException("handshake failed: " + client.pollEvent() + " / " + server.pollEvent());
        }
        drainEvents(client);
        drainEvents(server);
    }

    static boolean move(DtlsConnection from, DtlsConnection to) {
        boolean any = false;
        ByteBuffer d;
        while ((d = from.pollTransmit()) != null) {
            any = true;
            to.handleInput(Instant.EPOCH, d);
        }
        return any;
    }

    static int drainEvents(DtlsConnection c) {
        int bytes = 0;
        DtlsEvent e;
        while ((e = c.pollEvent()) != null) {
            if (e instanceof DtlsEvent.Data d) {
                bytes += d.data().length;
            }
        }
        return bytes;
    }

    void close() {
        client.close();
        server.close();
    }
}
