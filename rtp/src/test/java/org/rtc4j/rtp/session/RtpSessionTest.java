package org.rtc4j.rtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.RtpHeaderWriter;
import org.rtc4j.rtp.SdesExtension;
import org.rtc4j.rtp.rtcp.FullIntraRequest;
import org.rtc4j.rtp.rtcp.Goodbye;
import org.rtc4j.rtp.rtcp.PictureLossIndication;
import org.rtc4j.rtp.rtcp.RtcpCompound;
import org.rtc4j.rtp.session.internal.NtpTime;
import org.rtc4j.rtp.srtp.SrtpContext;
import org.rtc4j.rtp.srtp.SrtpMasterKey;
import org.rtc4j.rtp.srtp.SrtpProfile;

/** Two sessions wired by hand, packet by packet. */
class RtpSessionTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static SrtpContext srtp(int keyByte) {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        byte[] k = new byte[p.keyLength()];
        java.util.Arrays.fill(k, (byte) keyByte);
        return new SrtpContext(new SrtpMasterKey(p, k, new byte[p.saltLength()]));
    }

    private static List<byte[]> drain(RtpSession s) {
        List<byte[]> out = new ArrayList<>();
        for (Transmit t; (t = s.pollTransmit()) != null; ) {
            out.add(t.bytes());
        }
        return out;
    }

    private static List<RtpSessionEvent> events(RtpSession s) {
        List<RtpSessionEvent> out = new ArrayList<>();
        for (RtpSessionEvent e; (e = s.pollEvent()) != null; ) {
            out.add(e);
        }
        return out;
    }

    private static void deliver(RtpSession to, Instant now, List<byte[]> datagrams, Predicate<Integer> keep) {
        for (int i = 0; i < datagrams.size(); i++) {
            if (keep.test(i)) {
                to.handleInput(now, A, B, ByteBuffer.wrap(datagrams.get(i)));
            }
        }
    }

    private RtpSession sender(boolean rtx, boolean srtp) {
        RtpSession s = new RtpSession(RtpSessionConfig.defaults(1, "a").withExtensions(new ExtensionIds(1, 2, 3, 0, 0)),
                A, B, srtp ? srtp(1) : null, srtp ? srtp(2) : null);
        s.addSendStream(new SendStreamConfig(0x1111, Codec.VP8, 96, "v", null, 0x1112, rtx ? 97 : -1),
                new TestFormat(Codec.VP8));
        return s;
    }

    private RtpSession receiver(boolean srtp) {
        RtpSession r = new RtpSession(RtpSessionConfig.defaults(2, "b").withExtensions(new ExtensionIds(1, 2, 3, 0, 0)),
                B, A, srtp ? srtp(2) : null, srtp ? srtp(1) : null);
        r.addReceiveStream(ReceiveStreamConfig.of("v", Codec.VP8, 96, 97)
                .withDepacketizer(() -> new TestFormat(Codec.VP8)));
        return r;
    }

    @Test
    void srtpFramesWithALostPacketRecoveredThroughRtx() {
        RtpSession a = sender(true, true);
        RtpSession b = receiver(true);
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(0, 5000), 0, true));
        List<byte[]> first = drain(a);
        assertThat(first).hasSizeGreaterThan(3);
        deliver(b, T0, first, i -> i != 2);
        assertThat(events(b)).hasSize(1).first().isInstanceOf(RtpSessionEvent.StreamBound.class);
        List<byte[]> nack = drain(b);
        assertThat(nack).hasSize(1);
        a.handleInput(T0, B, A, ByteBuffer.wrap(nack.get(0)));
        List<byte[]> rtx = drain(a);
        assertThat(rtx).hasSize(1);
        deliver(b, T0, rtx, i -> true);
        List<RtpSessionEvent> got = events(b);
        assertThat(got).hasSize(1);
        EncodedFrame f = ((RtpSessionEvent.FrameReceived) got.get(0)).frame();
        assertThat(f.data()).isEqualTo(TestFormat.content(0, 5000));
        assertThat(f.keyFrame()).isTrue();
        InboundRtpStats in = b.inboundRtpStats().get(0);
        assertThat(in.retransmittedPacketsReceived()).isEqualTo(1);
        // Lost on the original stream, repaired on the RTX stream (RFC 4588 6.2): the loss before repair.
        assertThat(in.packetsLost()).isEqualTo(1);
        assertThat(in.nackCount()).isEqualTo(1);
        assertThat(a.outboundRtpStats().get(0).retransmittedPacketsSent()).isEqualTo(1);
        // A tampered packet is dropped by SRTP before it is read.
        byte[] bad = first.get(0).clone();
        bad[bad.length - 1] ^= 1;
        b.handleInput(T0, A, B, ByteBuffer.wrap(bad));
        assertThat(b.srtpDropCount()).isEqualTo(1);
    }

    @Test
    void plainRetransmissionWithoutRtx() {
        RtpSession a = sender(false, false);
        RtpSession b = receiver(false);
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(7, 3000), 90, true));
        deliver(b, T0, drain(a), i -> i != 1);
        events(b);
        a.handleInput(T0, B, A, ByteBuffer.wrap(drain(b).get(0)));
        deliver(b, T0, drain(a), i -> true);
        assertThat(events(b)).singleElement().isInstanceOf(RtpSessionEvent.FrameReceived.class);
    }

    /**
     * Under SRTP without RTX a NACK is not answered: the packet would be protected a second time under its index,
     * with the transport-wide sequence number rewritten (a new plaintext under a used GCM nonce or AES-CM
     * keystream, RFC 3711 section 9.1). Asking must never break the session either.
     */
    @Test
    void underSrtpWithoutRtxANackIsNotAnsweredAndBreaksNothing() {
        RtpSession a = sender(false, true);
        RtpSession b = receiver(true);
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(3, 3000), 90, true));
        List<byte[]> sent = drain(a);
        deliver(b, T0, sent, i -> i != sent.size() - 2);
        events(b);
        a.handleInput(T0, B, A, ByteBuffer.wrap(drain(b).get(0)));
        assertThat(drain(a)).isEmpty();
        assertThat(a.outboundRtpStats().get(0).retransmittedPacketsSent()).isZero();
        assertThat(a.unansweredNackCount()).isEqualTo(1);
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(4, 500), 3090, false));
        assertThat(drain(a)).isNotEmpty(); // the session goes on
    }

    @Test
    void keyFrameRequestsSurfaceOncePerFirSequenceNumber() {
        RtpSession a = sender(true, false);
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(0, 100), 0, true));
        drain(a);
        a.handleInput(T0, B, A, ByteBuffer.wrap(RtcpCompound.toBytes(List.of(new PictureLossIndication(2, 0x1111)))));
        byte[] fir = RtcpCompound.toBytes(List.of(new FullIntraRequest(2, List.of(new FullIntraRequest.Entry(0x1111, 5)))));
        a.handleInput(T0, B, A, ByteBuffer.wrap(fir));
        a.handleInput(T0, B, A, ByteBuffer.wrap(fir));
        a.handleInput(T0, B, A, ByteBuffer.wrap(RtcpCompound.toBytes(List.of(new Goodbye(List.of(2), "")))));
        assertThat(events(a)).containsExactly(new RtpSessionEvent.KeyFrameRequested(0x1111, false),
                new RtpSessionEvent.KeyFrameRequested(0x1111, true), new RtpSessionEvent.SourceLeft(2));
        OutboundRtpStats out = a.outboundRtpStats().get(0);
        assertThat(out.pliCount()).isEqualTo(1);
        assertThat(out.firCount()).isEqualTo(1);
    }

    private static byte[] rtp(int ssrc, int pt, int seq, String mid, String rid, byte[] payload) {
        RtpHeaderWriter w = new RtpHeaderWriter().reset().payloadType(pt).ssrc(ssrc).sequenceNumber(seq).marker(true);
        if (mid != null) {
            SdesExtension.write(w, 1, mid);
        }
        if (rid != null) {
            SdesExtension.write(w, 2, rid);
        }
        ByteBuffer b = ByteBuffer.allocate(w.length() + payload.length);
        int h = w.write(b, 0);
        b.put(h, payload);
        return b.array();
    }

    @Test
    void demuxByMidRidAndPayloadType() {
        RtpSession r = new RtpSession(RtpSessionConfig.defaults(2, "b").withExtensions(new ExtensionIds(1, 2, 3, 0, 0)),
                B, A, null, null);
        for (String rid : new String[] {"lo", "hi"}) {
            r.addReceiveStream(new ReceiveStreamConfig("v", rid, 0, Codec.VP8, 96, 97, false,
                    () -> new TestFormat(Codec.VP8)));
        }
        r.addReceiveStream(ReceiveStreamConfig.of("a", Codec.OPUS, 111, -1)
                .withDepacketizer(() -> new TestFormat(Codec.OPUS)));
        byte[] frame = {TestFormat.START | TestFormat.END | TestFormat.KEY, 0, 0, 0, 1};
        r.handleInput(T0, A, B, ByteBuffer.wrap(rtp(10, 96, 1, "v", "hi", frame)));
        r.handleInput(T0, A, B, ByteBuffer.wrap(rtp(11, 96, 1, "v", "lo", frame)));
        r.handleInput(T0, A, B, ByteBuffer.wrap(rtp(12, 111, 1, null, null, frame)));
        // Unknown: no MID/RID and a payload type no unsignaled stream has; then a second unsignaled SSRC.
        r.handleInput(T0, A, B, ByteBuffer.wrap(rtp(13, 96, 1, null, null, frame)));
        r.handleInput(T0, A, B, ByteBuffer.wrap(rtp(14, 111, 1, null, null, frame)));
        List<RtpSessionEvent> e = events(r);
        assertThat(e).filteredOn(x -> x instanceof RtpSessionEvent.StreamBound).containsExactly(
                new RtpSessionEvent.StreamBound("v", "hi", 10), new RtpSessionEvent.StreamBound("v", "lo", 11),
                new RtpSessionEvent.StreamBound("a", null, 12));
        assertThat(e).filteredOn(x -> x instanceof RtpSessionEvent.FrameReceived).hasSize(3);
        assertThat(r.unknownSsrcCount()).isEqualTo(2);
    }

    @Test
    void reportsAndRoundTripFromSenderAndReceiveOnlySides() {
        RtpSession a = sender(true, true);
        RtpSession b = receiver(true);
        Instant t = T0;
        a.send(t, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(0, 1000), 0, true));
        deliver(b, t, drain(a), i -> true);
        // Run both for 10 s with a 20 ms one-way delay on every RTCP datagram.
        for (int ms = 0; ms < 10_000; ms += 10) {
            Instant now = T0.plusMillis(ms);
            a.handleTimeout(now);
            b.handleTimeout(now);
            Instant later = now.plusMillis(20);
            List<byte[]> ab = drain(a);
            List<byte[]> ba = drain(b);
            deliver(b, later, ab, i -> true);
            for (byte[] d : ba) {
                a.handleInput(later, B, A, ByteBuffer.wrap(d));
            }
        }
        RemoteInboundRtpStats ri = a.remoteInboundRtpStats().get(0);
        assertThat(ri.reportsReceived()).isGreaterThan(5);
        assertThat(ri.roundTripTime()).isBetween(0.035, 0.065);
        RemoteOutboundRtpStats ro = b.remoteOutboundRtpStats().get(0);
        assertThat(ro.packetsSent()).isEqualTo(a.outboundRtpStats().get(0).packetsSent());
        assertThat(ro.roundTripTimeMeasurements()).isPositive();
        assertThat(ro.roundTripTime()).isBetween(0.035, 0.065);
    }

    @Test
    void thePacerHoldsMediaBackAndTheTimeoutSaysWhen() {
        RtpSession a = sender(false, false);
        long[] free = {NtpTime.nanos(T0.plusMillis(10))};
        a.setPacer(new Pacer() {
            @Override
            public long sendTime(long nowNanos, int bytes) {
                return free[0];
            }

            @Override
            public void sent(long nowNanos, int bytes) {
                free[0] = nowNanos + 5_000_000L;
            }
        });
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(1, 2500), 0, true));
        assertThat(a.pollTransmit()).isNull();
        assertThat(a.pollTimeout()).isEqualTo(T0.plusMillis(10));
        a.handleTimeout(T0.plusMillis(10));
        assertThat(a.pollTransmit()).isNotNull();
        assertThat(a.pollTransmit()).isNull();
        assertThat(a.pollTimeout()).isEqualTo(T0.plusMillis(15));
    }

    @Test
    void goodbyeNamesEverySentStream() throws Exception {
        RtpSession a = sender(false, false);
        a.sendGoodbye(T0, "bye");
        List<byte[]> out = drain(a);
        assertThat(out).hasSize(1);
        assertThat(RtcpCompound.read(ByteBuffer.wrap(out.get(0)))).contains(new Goodbye(List.of(0x1111), "bye"));
    }

    private static byte[] accessUnit(java.util.Random r, int[]... nals) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int[] nal : nals) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            for (int i = 0; i < nal.length - 1; i++) {
                out.write(nal[i]);
            }
            // then nal[last] bytes of slice data without zeros (no start code emulation)
            for (int i = 0; i < nal[nal.length - 1]; i++) {
                out.write(1 + r.nextInt(255));
            }
        }
        return out.toByteArray();
    }

    /** H.264 has no begin mark: frames split on the timestamp, through the real packetizer and depacketizer. */
    @Test
    void h264FramesThroughTheRealPayloadFormatWithALossRepaired() {
        java.util.Random r = new java.util.Random(5);
        int[] sps = {0x67, 0x42, 0xc0, 0x1e, 0xda, 0x02, 0x80, 0xbf, 0xe5, 0xc0, 0x44, 0};
        int[] pps = {0x68, 0xce, 0x3c, 0x80, 0};
        List<byte[]> units = List.of(accessUnit(r, sps, pps, new int[] {0x65, 0x88, 3000}),
                accessUnit(r, new int[] {0x41, 0x9a, 2500}), accessUnit(r, new int[] {0x41, 0x9a, 1500}));
        RtpSession a = new RtpSession(RtpSessionConfig.defaults(1, "a"), A, B, null, null);
        a.addSendStream(new SendStreamConfig(0x1111, Codec.H264, 102, null, null, 0x1112, 103));
        RtpSession b = new RtpSession(RtpSessionConfig.defaults(2, "b"), B, A, null, null);
        b.addReceiveStream(ReceiveStreamConfig.of("0", Codec.H264, 102, 103));
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            a.send(T0, 0x1111, new EncodedFrame(Codec.H264, units.get(i), 3000L * i, i == 0));
            sent.addAll(drain(a));
        }
        int lost = sent.size() - 3;
        deliver(b, T0, sent, i -> i != lost);
        for (byte[] nack : drain(b)) {
            a.handleInput(T0, B, A, ByteBuffer.wrap(nack));
        }
        deliver(b, T0, drain(a), i -> true);
        List<EncodedFrame> frames = events(b).stream().filter(e -> e instanceof RtpSessionEvent.FrameReceived)
                .map(e -> ((RtpSessionEvent.FrameReceived) e).frame()).toList();
        assertThat(frames).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(frames.get(i).data()).isEqualTo(units.get(i));
        }
        assertThat(frames.get(0).keyFrame()).isTrue();
        assertThat(b.inboundRtpStats().get(0).retransmittedPacketsReceived()).isEqualTo(1);
    }

    @Test
    void retransmissionsTakeTheNextTransportWideSequenceNumber() throws Exception {
        RtpSession a = new RtpSession(RtpSessionConfig.defaults(1, "a").withExtensions(new ExtensionIds(0, 0, 0, 0, 5)),
                A, B, null, null);
        a.addSendStream(new SendStreamConfig(0x1111, Codec.VP8, 96, null, null, 0x1112, 97), new TestFormat(Codec.VP8));
        a.send(T0, 0x1111, new EncodedFrame(Codec.VP8, TestFormat.content(0, 3000), 0, true));
        List<byte[]> sent = drain(a);
        int[] twcc = new int[sent.size()];
        for (int i = 0; i < sent.size(); i++) {
            org.rtc4j.rtp.RtpPacket p = org.rtc4j.rtp.RtpPacket.of(ByteBuffer.wrap(sent.get(i)));
            long at = p.findExtension(5);
            twcc[i] = org.rtc4j.rtp.TransportSequenceNumber.read(p.buffer(), (int) (at >>> 16), (int) (at & 0xFFFF));
            assertThat(twcc[i]).isEqualTo(twcc[0] + i);
        }
        int seq = org.rtc4j.rtp.RtpPacket.of(ByteBuffer.wrap(sent.get(1))).sequenceNumber();
        a.handleInput(T0, B, A, ByteBuffer.wrap(RtcpCompound.toBytes(List.of(
                new org.rtc4j.rtp.rtcp.GenericNack(2, 0x1111, new int[] {seq})))));
        org.rtc4j.rtp.RtpPacket rtx = org.rtc4j.rtp.RtpPacket.of(ByteBuffer.wrap(drain(a).get(0)));
        long at = rtx.findExtension(5);
        assertThat(rtx.ssrc()).isEqualTo(0x1112);
        assertThat(org.rtc4j.rtp.TransportSequenceNumber.read(rtx.buffer(), (int) (at >>> 16), 2))
                .isEqualTo(twcc[0] + sent.size());
    }
}
