package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.dtls.DtlsSrtpProfile;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.RtpSessionConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.rtp.session.SendStreamConfig;

/** The media transport's keys and its early packets, without the rest of the stack. */
class MediaTransportTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void packetsFromBeforeTheKeysAreReadOnceKeyedAndTheirNumberIsBounded() {
        byte[] material = new byte[DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM.keyingMaterialLength()];
        new Random(1).nextBytes(material);
        var connected = new DtlsEvent.Connected(null, null, DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM, material, "test");
        MediaTransport server = new MediaTransport(RtpSessionConfig.defaults(1, "server"));
        MediaTransport client = new MediaTransport(RtpSessionConfig.defaults(2, "client"));
        server.addSendStream(SendStreamConfig.of(0x1234, Codec.OPUS, 111));
        client.addReceiveStream(ReceiveStreamConfig.of("0", Codec.OPUS, 111, -1));
        // The server is keyed first (it saw the client's Finished) and sends at once.
        assertThat(server.start(NOW, connected, false, B, A)).isTrue();
        Random random = new Random(2);
        List<byte[]> frames = new ArrayList<>();
        int max = MediaTransport.MAX_EARLY;
        for (int i = 0; i < max + 8; i++) {
            byte[] f = SyntheticFrames.opus(random, 100);
            frames.add(f);
            server.send(NOW, 0x1234, new EncodedFrame(Codec.OPUS, f, i * 960L, true));
        }
        ByteBuffer out = ByteBuffer.allocate(4096);
        int kept = 0;
        int refused = 0;
        while (server.session().pollTransmit(out.clear())) {
            if (client.keepEarly(out.flip())) {
                kept++;
            } else {
                refused++;
            }
        }
        assertThat(kept).isEqualTo(max);
        assertThat(refused).isEqualTo(8);
        assertThat(client.start(NOW, connected, true, A, B)).isTrue();
        List<byte[]> received = new ArrayList<>();
        for (RtpSessionEvent e; (e = client.pollEvent()) != null; ) {
            if (e instanceof RtpSessionEvent.FrameReceived f) {
                received.add(f.frame().data());
            }
        }
        assertThat(received).hasSize(max);
        for (int i = 0; i < max; i++) {
            assertThat(received.get(i)).isEqualTo(frames.get(i));
        }
        assertThat(client.session().srtpDropCount()).isZero();
        assertThat(client.keepEarly(ByteBuffer.wrap(new byte[40]))).as("nothing kept once keyed").isFalse();
    }

    @Test
    void noUseSrtpProfileMeansNoMedia() {
        MediaTransport m = new MediaTransport(RtpSessionConfig.defaults(1, "x"));
        assertThat(m.start(NOW, new DtlsEvent.Connected(null, null, null, null, "test"), true, A, B)).isFalse();
        assertThat(m.running()).isFalse();
    }
}
