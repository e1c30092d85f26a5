package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loop handshake against what an attacker on the path, or a careless peer, sends (RFC 6347 section
 * 4.1.2.7: invalid records are discarded, never fatal), and its resend timer, on the virtual clock.
 */
class LoopHandshakeHostileTest {

    private static final DtlsCertificate EC_1 = DtlsCertificate.generate();
    private static final DtlsCertificate EC_2 = DtlsCertificate.generate();
    private static final DtlsCertificate RSA = DtlsCertificate.generate(DtlsCertificate.KeyType.RSA_2048,
            Duration.ofDays(1));

    /** A plaintext handshake record of epoch 0 holding one whole message. */
    private static byte[] handshakeRecord(int msgType, int msgSeq, byte[] body, long recordSeq) {
        ByteBuffer b = ByteBuffer.allocate(13 + 12 + body.length);
        b.put((byte) 22).put((byte) 0xFE).put((byte) 0xFD).putShort((short) 0).putShort((short) 0)
                .putInt((int) recordSeq).putShort((short) (12 + body.length));
        b.put((byte) msgType).put((byte) 0).putShort((short) body.length).putShort((short) msgSeq)
                .put(new byte[3]).put((byte) 0).putShort((short) body.length).put(body);
        return b.array();
    }

    @Test
    void forgedHandshakeMessagesAheadOfTheRealOnesAreDiscarded() {
        VirtualLink link = LoopHandshakeTest.link(EC_1, EC_2, 0, 1);
        // Before the server's flight reaches the client: a ServerHelloDone where the ServerHello belongs, a
        // truncated ServerHello, a plaintext Finished, and a fatal alert, all at message_seq 0.
        List<byte[]> forged = List.of(handshakeRecord(14, 0, new byte[0], 90),
                handshakeRecord(2, 0, new byte[] {(byte) 0xFE, (byte) 0xFD, 1, 2}, 91),
                handshakeRecord(20, 0, new byte[12], 92),
                new byte[] {21, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 93, 0, 2, 2, 40});
        for (byte[] f : forged) {
            LossyLink.collect(link.a.receive(link.now, ByteBuffer.wrap(f)), link.a, link.dataA);
        }
        link.runUntilSettled(Duration.ofSeconds(5));
        LoopHandshakeTest.assertConnected(link);
        assertThat(link.a.droppedCount()).isGreaterThanOrEqualTo(4);
        LoopHandshakeTest.exchange(link);
    }

    @Test
    void forgedClientHelloBytesAndBadFragmentsDoNotEndTheServer() {
        VirtualLink link = LoopHandshakeTest.link(EC_1, EC_2, 0, 1);
        // A fragment whose message length exceeds the bound, one that overruns its message, and random bytes.
        byte[] huge = handshakeRecord(1, 0, new byte[20], 1);
        huge[13 + 1] = 0x7F;     // message length 8 MB
        byte[] overrun = handshakeRecord(1, 0, new byte[20], 2);
        overrun[13 + 11] = 40;   // fragment_length 40 in a record of 20
        link.inject(huge);
        link.inject(overrun);
        link.inject(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0});
        link.runUntilSettled(Duration.ofSeconds(5));
        LoopHandshakeTest.assertConnected(link);
        assertThat(link.b.droppedCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void fragmentedFlightsAtASmallMtuAreReassembled() {
        DtlsSettings small = VirtualLink.settings().withMtu(256);
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, EC_1, small);
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, RSA, small);
        client.setRemoteFingerprints(List.of(RSA.fingerprint()));
        server.setRemoteFingerprints(List.of(EC_1.fingerprint()));
        // Every datagram from the client arrives as its records in reverse order: fragments out of order.
        VirtualLink link = new VirtualLink(client, server, 0, 1, Duration.ofMillis(5));
        List<Integer> sizes = new ArrayList<>();
        link.tamperAb = d -> {
            sizes.add(d.length);
            return reversedRecords(d);
        };
        server.start(link.now);
        client.start(link.now);
        link.runUntilSettled(Duration.ofSeconds(5));
        LoopHandshakeTest.assertConnected(link);
        assertThat(sizes).allMatch(n -> n <= 256);
        LoopHandshakeTest.exchange(link);
    }

    private static byte[] reversedRecords(byte[] d) {
        List<byte[]> records = new ArrayList<>();
        int p = 0;
        while (p + 13 <= d.length) {
            int end = p + 13 + (((d[p + 11] & 0xFF) << 8) | (d[p + 12] & 0xFF));
            records.add(0, Arrays.copyOfRange(d, p, end));
            p = end;
        }
        ByteBuffer out = ByteBuffer.allocate(d.length);
        records.forEach(out::put);
        return out.array();
    }

    @Test
    void aReplayedRecordIsDropped() {
        VirtualLink link = LoopHandshakeTest.link(EC_1, EC_2, 0, 1);
        link.runUntilSettled(Duration.ofSeconds(5));
        List<byte[]> copies = new ArrayList<>();
        link.tamperAb = d -> {
            copies.add(d.clone());
            return d;
        };
        LoopHandshakeTest.exchange(link);
        long before = link.b.droppedCount();
        link.inject(copies.get(copies.size() - 1));
        link.run(Duration.ofMillis(10));
        assertThat(link.dataB).hasSize(1);
        assertThat(link.b.droppedCount()).isEqualTo(before + 1);
    }

    @Test
    void resendsDoubleFromTheInitialTimeoutAndTheDeadlineEndsIt() {
        DtlsConnection client = new DtlsConnection(DtlsRole.CLIENT, EC_1,
                VirtualLink.settings().withHandshakeTimeout(Duration.ofMillis(1000)));
        DtlsConnection server = new DtlsConnection(DtlsRole.SERVER, EC_2, VirtualLink.settings());
        client.setRemoteFingerprints(List.of(EC_2.fingerprint()));
        VirtualLink link = new VirtualLink(client, server, 1.0, 1, Duration.ofMillis(5));   // nothing arrives
        client.start(link.now);
        link.runUntilSettled(Duration.ofSeconds(5));
        // Sent at 0, 100, 300 and 700 ms (RFC 6347 4.2.4.1: the timer doubles), then the deadline at 1 s.
        assertThat(link.sent).isEqualTo(4 + 1);     // and the alert when it gives up
        assertThat(client.state()).isEqualTo(DtlsState.FAILED);
        assertThat(LossyLink.first(link.eventsA, DtlsEvent.Failed.class).reason()).contains("timed out after 1000 ms");
    }

    @Test
    void aLostFinalFlightIsResentWhenTheClientResendsItsOwn() {
        VirtualLink link = LoopHandshakeTest.link(EC_1, EC_2, 0, 1);
        int[] fromServer = {0};
        // Drop the server's last flight (ChangeCipherSpec and Finished) the first time only.
        link.tamperBa = d -> {
            boolean last = d.length > 13 && d[0] == 20;
            return last && fromServer[0]++ == 0 ? null : d;
        };
        link.runUntilSettled(Duration.ofSeconds(5));
        LoopHandshakeTest.assertConnected(link);
        assertThat(fromServer[0]).isEqualTo(2);
    }
}
