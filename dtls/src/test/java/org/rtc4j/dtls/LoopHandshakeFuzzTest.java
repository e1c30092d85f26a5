package org.rtc4j.dtls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * Our handshake's parsers (records, the fragment reassembler, every handshake message either role reads) take
 * whatever the network sends without an exception escaping: a datagram is used, dropped and counted, or fails
 * the handshake. An input is a sequence of datagrams, each after its length in two bytes (big endian), given
 * to a server and to a client that have started; the seeds are real flights in that form. In the suite this
 * replays the seeds in {@code LoopHandshakeFuzzTestInputs}; on demand ({@code -Pfuzz}, see the pom) it fuzzes.
 */
class LoopHandshakeFuzzTest {

    private static final DtlsCertificate OURS = DtlsCertificate.generate();
    private static final DtlsCertificate THEIRS = DtlsCertificate.generate();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @FuzzTest(maxDuration = "5m")
    void datagramsNeverThrow(byte[] data) {
        for (DtlsRole role : DtlsRole.values()) {
            DtlsConnection c = new DtlsConnection(role, OURS, DtlsSettings.defaults().withLoopHandshake(true));
            c.setRemoteFingerprints(List.of(THEIRS.fingerprint()));
            c.start(T0);
            Instant now = T0;
            drain(c);
            int p = 0;
            while (p + 2 <= data.length) {
                int len = Math.min((data[p] & 0xff) << 8 | data[p + 1] & 0xff, data.length - p - 2);
                p += 2;
                for (ByteBuffer d = c.receive(now, ByteBuffer.wrap(data, p, len)); d != null; d = c.pollData()) {
                    d.position(d.limit());
                }
                drain(c);
                p += len;
                now = now.plusMillis(50);
                Instant t = c.pollTimeout();
                if (t != null && !t.isAfter(now)) {
                    c.handleTimeout(now);
                    drain(c);
                }
            }
        }
    }

    private static void drain(DtlsConnection c) {
        while (c.pollTransmit() != null || c.pollEvent() != null) {
            // what it sends and says is not the point: only that nothing escapes
        }
    }
}
