package org.rtc4j.bench.dtls;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.dtls.DtlsConnection;
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
            to.receive(Instant.EPOCH, d);
        }
        return any;
    }

    /** Moves what {@code from} has sent; returns the application bytes {@code to} decrypted (views, no copy). */
    static int deliver(DtlsConnection from, DtlsConnection to) {
        int bytes = 0;
        for (ByteBuffer d; (d = from.pollTransmit()) != null; ) {
            for (ByteBuffer p = to.receive(Instant.EPOCH, d); p != null; p = to.pollData()) {
                bytes += p.remaining();
            }
        }
        return bytes;
    }

    static void drainEvents(DtlsConnection c) {
        while (c.pollEvent() != null) {
            // Connected: application data comes out of receive from now on
        }
    }

    void close() {
        client.close();
        server.close();
    }
}
