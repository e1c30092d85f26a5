package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two of our endpoints over an in-memory link, in real time (keep these few). */
class DtlsHandshakeTest {

    private static final DtlsCertificate EC_1 = DtlsCertificate.generate();
    private static final DtlsCertificate EC_2 = DtlsCertificate.generate();
    private static final DtlsCertificate RSA = DtlsCertificate.generate(DtlsCertificate.KeyType.RSA_2048,
            Duration.ofDays(1));

    static LossyLink pair(DtlsCertificate clientCert, DtlsCertificate serverCert, DtlsSettings settings,
            double loss, long seed) {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, clientCert, settings);
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, serverCert, settings);
        client.setRemoteFingerprints(List.of(serverCert.fingerprint()));
        server.setRemoteFingerprints(List.of(clientCert.fingerprint()));
        LossyLink link = new LossyLink(client, server, loss, seed);
        server.start(Instant.now());
        client.start(Instant.now());
        return link;
    }

    private static void assertConnectedWithSameKeys(LossyLink link, DtlsSrtpProfile profile) {
        assertThat(link.a.state()).as("client %s%n%s", link.eventsA, link.transcript).isEqualTo(DtlsState.CONNECTED);
        assertThat(link.b.state()).as("server %s%n%s", link.eventsB, link.transcript).isEqualTo(DtlsState.CONNECTED);
        DtlsEvent.Connected c = LossyLink.first(link.eventsA, DtlsEvent.Connected.class);
        DtlsEvent.Connected s = LossyLink.first(link.eventsB, DtlsEvent.Connected.class);
        assertThat(c.srtpProfile()).isEqualTo(profile);
        assertThat(s.srtpProfile()).isEqualTo(profile);
        assertThat(c.srtpKeyingMaterial()).hasSize(profile.keyingMaterialLength())
                .isEqualTo(s.srtpKeyingMaterial());
        assertThat(c.cipherSuite()).isEqualTo(s.cipherSuite());
    }

    private static void exchange(LossyLink link) {
        link.a.send("ping".getBytes(StandardCharsets.UTF_8), 0, 4);
        link.b.send("pong!".getBytes(StandardCharsets.UTF_8), 0, 5);
        link.pumpOnce();
        assertThat(link.dataB).hasSize(1);
        assertThat(link.dataB.get(0)).asString(StandardCharsets.UTF_8).isEqualTo("ping");
        assertThat(link.dataA).hasSize(1);
        assertThat(link.dataA.get(0)).asString(StandardCharsets.UTF_8).isEqualTo("pong!");
    }

    @Test
    void handshakeWithoutLossExportsTheSameSrtpKeysAndCarriesDataBothWays() throws Exception {
        LossyLink link = pair(EC_1, EC_2, DtlsSettings.defaults(), 0, 1);
        link.pumpUntilSettled(Duration.ofSeconds(10));
        assertConnectedWithSameKeys(link, DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM);
        DtlsEvent.Connected c = LossyLink.first(link.eventsA, DtlsEvent.Connected.class);
        assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(c.peerFingerprint()).isEqualTo(EC_2.fingerprint());
        assertThat(c.peerCertificate().getEncoded()).isEqualTo(EC_2.encoded());
        exchange(link);
        link.a.close();
        link.pumpOnce();
        assertThat(link.b.state()).isEqualTo(DtlsState.CLOSED);
        assertThat(LossyLink.first(link.eventsB, DtlsEvent.Closed.class).byPeer()).isTrue();
        assertThat(LossyLink.first(link.eventsA, DtlsEvent.Closed.class).byPeer()).isFalse();
    }

    /**
     * Twelve loss patterns (seeds), RSA and ECDSA servers. Before the ChangeCipherSpec gate, flight packing
     * and one record per queued datagram, some seeds stalled until the handshake timeout.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void handshakeCompletesOverTwentyPercentLoss(long seed) throws Exception {
        DtlsSettings settings = DtlsSettings.defaults().withInitialResendTimeout(Duration.ofMillis(50));
        boolean rsa = seed % 2 == 0;
        LossyLink link = pair(EC_1, rsa ? RSA : EC_2, settings, 0.20, seed);
        link.pumpUntilSettled(Duration.ofSeconds(20));
        assertConnectedWithSameKeys(link, DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM);
        assertThat(LossyLink.first(link.eventsA, DtlsEvent.Connected.class).cipherSuite())
                .isEqualTo(rsa ? "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        link.setLoss(0);   // application data has no retransmission at this layer
        exchange(link);
    }

    @Test
    void fingerprintMismatchFailsBothSidesWithAClearReason() throws Exception {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, EC_1, DtlsSettings.defaults());
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, EC_2, DtlsSettings.defaults());
        client.setRemoteFingerprints(List.of(EC_2.fingerprint()));
        server.setRemoteFingerprints(List.of(RSA.fingerprint()));   // not the client's certificate
        LossyLink link = new LossyLink(client, server, 0, 1);
        server.start(Instant.now());
        client.start(Instant.now());
        link.pumpUntilSettled(Duration.ofSeconds(10));
        assertThat(server.state()).isEqualTo(DtlsState.FAILED);
        assertThat(client.state()).isEqualTo(DtlsState.FAILED);
        assertThat(LossyLink.first(link.eventsB, DtlsEvent.Failed.class).reason())
                .contains("does not match the remote description", EC_1.fingerprint().toSdp());
        assertThat(LossyLink.first(link.eventsA, DtlsEvent.Failed.class).reason()).contains("bad_certificate");
    }

    /**
     * Issue 18: someone who can send from the peer's address forges plaintext records that cannot be part of
     * the handshake, a fatal alert first: discarded and counted, never fatal (RFC 6347 section 4.1.2.7). Before,
     * Bouncy Castle ended the handshake: "the peer sent fatal alert user_canceled(90)".
     */
    @Test
    void forgedPlaintextAlertsDuringTheHandshakeAreDiscarded() throws Exception {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, EC_1, DtlsSettings.defaults());
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, EC_2, DtlsSettings.defaults());
        client.setRemoteFingerprints(List.of(EC_2.fingerprint()));
        server.setRemoteFingerprints(List.of(EC_1.fingerprint()));
        LossyLink link = new LossyLink(client, server, 0, 1);
        server.start(Instant.now());
        byte[] userCanceled = plaintext(21, new byte[] {2, 90});
        byte[] data = plaintext(23, "forged".getBytes(StandardCharsets.UTF_8));
        byte[] heartbeat = plaintext(24, new byte[] {1, 0, 0});
        for (byte[] forged : List.of(userCanceled, data, heartbeat)) {
            server.receive(Instant.now(), ByteBuffer.wrap(forged));
        }
        client.start(Instant.now());
        client.receive(Instant.now(), ByteBuffer.wrap(plaintext(21, new byte[] {2, 40})));  // handshake_failure
        link.pumpUntilSettled(Duration.ofSeconds(10));
        assertConnectedWithSameKeys(link, DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM);
        assertThat(server.droppedCount()).isGreaterThanOrEqualTo(3);
        assertThat(client.droppedCount()).isPositive();
        exchange(link);
    }

    /** A plaintext record of epoch 0 and the given content type. */
    private static byte[] plaintext(int type, byte[] fragment) {
        ByteBuffer b = ByteBuffer.allocate(13 + fragment.length);
        b.put((byte) type).put((byte) 0xFE).put((byte) 0xFD).putShort((short) 0).putShort((short) 0)
                .putInt(7).putShort((short) fragment.length).put(fragment);
        return b.array();
    }

    @Test
    void serverRoleOfferedOnlyOneProfileAndKeyLog(@TempDir Path dir) throws Exception {
        Path keyLog = dir.resolve("keys.log");
        DtlsSettings clientSettings = DtlsSettings.defaults()
                .withSrtpProfiles(List.of(DtlsSrtpProfile.SRTP_AES128_CM_HMAC_SHA1_32)).withKeyLogFile(keyLog);
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, EC_2, clientSettings);
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, EC_1, DtlsSettings.defaults());
        client.setRemoteFingerprints(List.of(EC_1.fingerprint("sha-512")));
        server.setRemoteFingerprints(List.of(EC_2.fingerprint("sha-1")));
        LossyLink link = new LossyLink(client, server, 0, 1);
        server.start(Instant.now());
        client.start(Instant.now());
        link.pumpUntilSettled(Duration.ofSeconds(10));
        assertConnectedWithSameKeys(link, DtlsSrtpProfile.SRTP_AES128_CM_HMAC_SHA1_32);
        assertThat(Files.readString(keyLog)).matches("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n");
    }

    @Test
    void forgedAndMalformedRecordsAreDroppedNotFatal() throws Exception {
        LossyLink link = pair(EC_1, EC_2, DtlsSettings.defaults(), 0, 3);
        link.pumpUntilSettled(Duration.ofSeconds(10));
        assertConnectedWithSameKeys(link, DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM);
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[1 + r.nextInt(120)];
            r.nextBytes(junk);
            if (i % 3 == 0) {
                // A well-formed header for the current epoch: application data, alert, handshake, CCS.
                junk = new byte[13 + r.nextInt(80)];
                r.nextBytes(junk);
                junk[0] = (byte) (20 + r.nextInt(5));
                junk[1] = (byte) 0xFE;
                junk[2] = (byte) 0xFD;
                junk[3] = 0;
                junk[4] = (byte) (i % 2);
                junk[11] = 0;
                junk[12] = (byte) (junk.length - 13);
            }
            link.a.receive(Instant.now(), ByteBuffer.wrap(junk));
            link.b.receive(Instant.now(), ByteBuffer.wrap(junk));
        }
        link.pumpOnce();
        assertThat(link.a.state()).as("%s", link.eventsA).isEqualTo(DtlsState.CONNECTED);
        assertThat(link.b.state()).as("%s", link.eventsB).isEqualTo(DtlsState.CONNECTED);
        assertThat(link.a.droppedCount()).isPositive();
        exchange(link);
    }

    @Test
    void junkDuringTheHandshakeIsDropped() throws Exception {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, EC_1, DtlsSettings.defaults());
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, EC_2, DtlsSettings.defaults());
        client.setRemoteFingerprints(List.of(EC_2.fingerprint()));
        server.setRemoteFingerprints(List.of(EC_1.fingerprint()));
        LossyLink link = new LossyLink(client, server, 0, 1);
        java.util.Random r = new java.util.Random(11);
        server.start(Instant.now());
        client.start(Instant.now());
        Instant deadline = Instant.now().plusSeconds(10);
        while ((client.state() == DtlsState.CONNECTING || server.state() == DtlsState.CONNECTING)
                && Instant.now().isBefore(deadline)) {
            for (DtlsConnection target : List.of(client, server)) {
                // Random bytes, and plaintext handshake records whose fragment headers do not add up.
                byte[] junk = new byte[13 + 12 + r.nextInt(60)];
                r.nextBytes(junk);
                if (r.nextBoolean()) {
                    junk[0] = 22;
                    junk[1] = (byte) 0xFE;
                    junk[2] = (byte) 0xFD;
                    junk[3] = 0;
                    junk[4] = 0;
                    junk[11] = 0;
                    junk[12] = (byte) (junk.length - 13);
                    junk[13 + 1] = (byte) 0x7F;   // message length far beyond the fragment
                }
                target.receive(Instant.now(), ByteBuffer.wrap(junk));
            }
            link.pumpOnce();
            Thread.sleep(2);
        }
        link.pumpOnce();
        assertConnectedWithSameKeys(link, DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM);
        assertThat(client.droppedCount() + server.droppedCount()).isPositive();
        exchange(link);
    }

    /**
     * The server's ChangeCipherSpec arrives, its Finished is lost: the client has switched epochs, and the
     * retransmission (ChangeCipherSpec and Finished in one datagram) must still be read. Bouncy Castle alone
     * drops such a datagram whole, because its first record is of the old epoch.
     */
    @Test
    void finishedLostAfterItsChangeCipherSpecIsRecovered() throws Exception {
        DtlsSettings settings = DtlsSettings.defaults().withInitialResendTimeout(Duration.ofMillis(50));
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, EC_1, settings);
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, EC_2, settings);
        client.setRemoteFingerprints(List.of(EC_2.fingerprint()));
        server.setRemoteFingerprints(List.of(EC_1.fingerprint()));
        server.start(Instant.now());
        client.start(Instant.now());
        boolean cut = false;
        Instant deadline = Instant.now().plusSeconds(10);
        while (client.state() != DtlsState.CONNECTED && client.state() != DtlsState.FAILED
                && Instant.now().isBefore(deadline)) {
            LossyLink.timers(client);
            LossyLink.timers(server);
            ByteBuffer d;
            while ((d = client.pollTransmit()) != null) {
                server.receive(Instant.now(), d);
            }
            while ((d = server.pollTransmit()) != null) {
                byte[] b = new byte[d.remaining()];
                d.get(b);
                int keep = firstRecordOfEpochOne(b);
                if (!cut && keep >= 0) {
                    cut = true;     // the first Finished is lost; what came before it (the CCS) arrives
                    if (keep > 0) {
                        client.receive(Instant.now(), ByteBuffer.wrap(java.util.Arrays.copyOf(b, keep)));
                    }
                    continue;
                }
                client.receive(Instant.now(), ByteBuffer.wrap(b));
            }
            Thread.sleep(2);
        }
        assertThat(cut).isTrue();
        assertThat(client.state()).isEqualTo(DtlsState.CONNECTED);
        assertThat(server.state()).isEqualTo(DtlsState.CONNECTED);
    }

    /** The offset of the first epoch-1 record in a datagram, or -1. */
    private static int firstRecordOfEpochOne(byte[] b) {
        int p = 0;
        while (p + 13 <= b.length) {
            if ((((b[p + 3] & 0xFF) << 8) | (b[p + 4] & 0xFF)) == 1) {
                return p;
            }
            p += 13 + (((b[p + 11] & 0xFF) << 8) | (b[p + 12] & 0xFF));
        }
        return -1;
    }
}
