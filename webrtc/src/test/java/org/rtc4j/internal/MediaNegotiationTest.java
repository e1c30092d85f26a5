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
import org.rtc4j.rtp.payload.TelephoneEvent;
import org.rtc4j.rtp.session.RtpSessionConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.rtp.session.SendStreamConfig;
import org.rtc4j.sdp.Direction;
import org.rtc4j.sdp.SessionDescription;

/**
 * What a settled answer configures on the media transport: a receive stream for every negotiated codec, so that
 * a peer sending the second codec of the answer is heard (RFC 3264 section 5.1), and its telephone events.
 */
class MediaNegotiationTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String ANSWER = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0",
            "a=group:BUNDLE a", "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 101", "c=IN IP4 0.0.0.0", "a=mid:a",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/48000", "a=fmtp:101 0-15", "") + "\r\n";

    @Test
    void everyNegotiatedCodecIsReceivedAndTelephoneEventsToo() throws Exception {
        SessionDescription answer = SessionDescription.parse(ANSWER);
        TransceiverModel t = new TransceiverModel("audio", Direction.SENDRECV, 0x1111, 0x2222);
        t.mid = "a";
        MediaTransport receiver = new MediaTransport(RtpSessionConfig.defaults(1, "r"));
        MediaNegotiation.settle(answer, answer, false, List.of(t), receiver);
        assertThat(t.codec.name()).isEqualTo("opus");
        assertThat(t.codecs).extracting(c -> c.name()).containsExactly("opus", "PCMU", "telephone-event");
        assertThat(t.currentDirection).isEqualTo(Direction.SENDRECV);

        // the peer sends the answer's second codec, PCMU, and a DTMF event in that stream
        MediaTransport sender = new MediaTransport(RtpSessionConfig.defaults(2, "s"));
        sender.useExtensions(new org.rtc4j.rtp.session.ExtensionIds(4, 0, 0, 0, 0));
        sender.addSendStream(new SendStreamConfig(0x3333, Codec.PCMU, 0, "a", null, 0, -1));
        byte[] material = new byte[DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM.keyingMaterialLength()];
        new Random(1).nextBytes(material);
        var connected = new DtlsEvent.Connected(null, null, DtlsSrtpProfile.SRTP_AEAD_AES_128_GCM, material, "test");
        assertThat(sender.start(NOW, connected, false, B, A)).isTrue();
        assertThat(receiver.start(NOW, connected, true, A, B)).isTrue();
        Random random = new Random(2);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] f = new byte[160];
            random.nextBytes(f);
            sent.add(f);
            sender.send(NOW, 0x3333, new EncodedFrame(Codec.PCMU, f, i * 160L, true));
        }
        sender.session().sendTelephoneEvent(NOW, 0x3333, 101, 800, new TelephoneEvent(7, true, 10, 800), true);
        ByteBuffer out = ByteBuffer.allocate(4096);
        while (sender.session().pollTransmit(out.clear())) {
            receiver.receive(NOW, out.flip());
        }
        List<byte[]> frames = new ArrayList<>();
        List<TelephoneEvent> events = new ArrayList<>();
        for (RtpSessionEvent e; (e = receiver.pollEvent()) != null; ) {
            if (e instanceof RtpSessionEvent.FrameReceived f) {
                assertThat(f.mid()).isEqualTo("a");
                assertThat(f.frame().codec()).isEqualTo(Codec.PCMU);
                frames.add(f.frame().data());
            } else if (e instanceof RtpSessionEvent.TelephoneEventReceived te) {
                events.add(te.report());
            }
        }
        assertThat(frames).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(frames.get(i)).isEqualTo(sent.get(i));
        }
        assertThat(events).containsExactly(new TelephoneEvent(7, true, 10, 800));
    }

    /**
     * RFC 6184: a sender passes over H.264 in packetization-mode 0 (single NAL units: our encoder's one-slice
     * pictures do not fit) while another codec is negotiated, and uses it when it is all there is; its packetizer is
     * the negotiated mode's (0 when the parameter is absent, section 8.1).
     */
    @Test
    void h264ModeZeroIsSentOnlyWhenNothingElseIsNegotiated() {
        var mode0 = new org.rtc4j.sdp.RtpCodecParameters(104, "H264", 90_000, 0, java.util.Map.of("packetization-mode",
                "0", "profile-level-id", "42e01f"), java.util.List.of());
        var absent = new org.rtc4j.sdp.RtpCodecParameters(105, "H264", 90_000, 0, java.util.Map.of("profile-level-id",
                "42e01f"), java.util.List.of());
        var mode1 = new org.rtc4j.sdp.RtpCodecParameters(102, "H264", 90_000, 0, java.util.Map.of("packetization-mode",
                "1", "profile-level-id", "42e01f"), java.util.List.of());
        var vp8 = org.rtc4j.sdp.RtpCodecParameters.of(96, "VP8", 90_000, 0);
        assertThat(MediaNegotiation.sendCodec(java.util.List.of(mode0, absent, vp8, mode1))).isEqualTo(vp8);
        assertThat(MediaNegotiation.sendCodec(java.util.List.of(mode0, absent))).isEqualTo(mode0);
        // mode 0 refuses a frame with a unit over the payload size; mode 1 fragments it
        byte[] big = new byte[3000];
        java.util.Arrays.fill(big, (byte) 0x55);
        big[0] = 0;
        big[1] = 0;
        big[2] = 1;
        big[3] = 0x65;
        EncodedFrame frame = new EncodedFrame(Codec.H264, big, 0, true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MediaNegotiation.packetizer(absent)
                .packetize(frame, 1200, (p, m) -> { })).isInstanceOf(IllegalArgumentException.class);
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        MediaNegotiation.packetizer(mode1).packetize(frame, 1200, (p, m) -> sizes.add(p.remaining()));
        assertThat(sizes).hasSize(3);
    }
}
