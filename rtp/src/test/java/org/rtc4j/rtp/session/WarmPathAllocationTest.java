package org.rtc4j.rtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.RtpPacket;
import org.rtc4j.rtp.srtp.SrtpContext;
import org.rtc4j.rtp.srtp.SrtpMasterKey;
import org.rtc4j.rtp.srtp.SrtpProfile;

/**
 * The media paths allocate nothing per packet once warm (issue 15, DESIGN.md's hot paths): the send path
 * (packetize, header extensions, history, out queue), the receive path (demux, statistics, NACK tracking, jitter
 * buffer, VP8 depacketizer), and a forwarder's rewrite of SSRC, sequence number and timestamp.
 *
 * <p>Counted with the JVM's per-thread allocation counter, which sees every allocation the code makes, also those
 * the JIT might later remove by escape analysis: the count does not depend on when compilation happens, so the
 * assertions are exact. "Nothing per packet" is held as fewer bytes than packets: an allocation per packet is at
 * least 16 bytes, while a one-off (the JIT rematerialising objects it had scalar-replaced, when it deoptimises)
 * is not per packet. With SRTP, javax.crypto allocates in each {@code Cipher.init} (AES-GCM about 1 KB per
 * packet: its engine, GHASH and counter objects; there is no API to re-key a nonce without it), so the SRTP case
 * is held to what bare SRTP allocates for the same packets.
 */
class WarmPathAllocationTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final int SSRC = 0x1234;
    private static final int FRAME_PACKETS = 10;
    /**
     * Besides the frame's bytes, per frame and never per packet: the frame (40 bytes), its event (32) and the
     * depacketizer's frame builder (24), with room for other object layouts.
     */
    private static final int PER_FRAME_OBJECTS = 128;
    private static final ExtensionIds IDS = new ExtensionIds(1, 0, 0, 3, 4);

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Instant[] times = new Instant[4096];
    private final EncodedFrame frame;

    WarmPathAllocationTest() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < times.length; i++) {
            times[i] = t0.plusNanos(i * 1_000_000_000L / 30);
        }
        byte[] data = new byte[FRAME_PACKETS * 1100];
        new Random(1).nextBytes(data);
        // A VP8 key frame's tag and start code (RFC 6386 section 9.1).
        data[0] = 0x10;
        data[1] = 0;
        data[2] = 0;
        data[3] = (byte) 0x9d;
        data[4] = 0x01;
        data[5] = 0x2a;
        frame = new EncodedFrame(Codec.VP8, data, 0, true);
    }

    private long allocated() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    private static SrtpContext srtp() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        return new SrtpContext(new SrtpMasterKey(p, new byte[p.keyLength()], new byte[p.saltLength()]));
    }

    private static RtpSession sender(boolean withSrtp) {
        RtpSession s = new RtpSession(RtpSessionConfig.defaults(1, "tx").withExtensions(IDS), A, B,
                withSrtp ? srtp() : null, withSrtp ? srtp() : null);
        s.addSendStream(new SendStreamConfig(SSRC, Codec.VP8, 96, "v", null, SSRC + 1, 97));
        return s;
    }

    private static RtpSession receiver() {
        RtpSession r = new RtpSession(RtpSessionConfig.defaults(2, "rx").withExtensions(IDS), B, A, null, null);
        r.addReceiveStream(ReceiveStreamConfig.of("v", Codec.VP8, 96, 97));
        return r;
    }

    /** Sends frames {@code from} to {@code to} at 30 a second; returns the packets sent. */
    private int send(RtpSession s, int from, int to, ByteBuffer dst) {
        int packets = 0;
        for (int f = from; f < to; f++) {
            s.send(times[f], SSRC, frame);
            for (dst.clear(); s.pollTransmit(dst); dst.clear()) {
                packets++;
            }
            s.pollTimeout();
        }
        return packets;
    }

    @Test
    void sendPathAllocatesNothingOnceWarm() {
        RtpSession s = sender(false);
        ByteBuffer dst = ByteBuffer.allocate(2048);
        // Warm: past one second, so the history (1 s) is full and reuses its slots.
        send(s, 0, 100, dst);
        long before = allocated();
        int packets = send(s, 100, 400, dst);
        long bytes = allocated() - before;
        assertThat(packets).isEqualTo(300 * FRAME_PACKETS);
        assertThat(bytes).as("bytes allocated sending %d packets", packets).isLessThan(packets);
    }

    /**
     * One frame's packets, taken from a real sender once, fed again and again with the sequence numbers and
     * timestamps of the frames that would follow.
     */
    private final class Feed {
        private final byte[][] packets = new byte[FRAME_PACKETS][];
        private final ByteBuffer in = ByteBuffer.allocate(2048);
        private final RtpSession receiver = receiver();
        private long frameBytes;
        private int frames;

        Feed() {
            RtpSession s = sender(false);
            s.send(times[0], SSRC, frame);
            ByteBuffer dst = ByteBuffer.allocate(2048);
            for (int p = 0; p < FRAME_PACKETS; p++) {
                dst.clear();
                assertThat(s.pollTransmit(dst)).isTrue();
                packets[p] = java.util.Arrays.copyOf(dst.array(), dst.position());
            }
        }

        void receive(int fromFrame, int toFrame) {
            for (int f = fromFrame; f < toFrame; f++) {
                for (int p = 0; p < FRAME_PACKETS; p++) {
                    byte[] packet = packets[p];
                    in.clear().put(packet).flip();
                    in.putShort(2, (short) (f * FRAME_PACKETS + p));
                    in.putInt(4, f * 3000);
                    receiver.handleInput(times[f & 4095], A, B, in);
                    for (RtpSessionEvent e; (e = receiver.pollEvent()) != null; ) {
                        if (e instanceof RtpSessionEvent.FrameReceived r) {
                            frames++;
                            frameBytes += arrayBytes(r.frame().data().length);
                        }
                    }
                    receiver.pollTimeout();
                }
            }
        }
    }

    /** A byte array's size on the heap: header and length, then the bytes, rounded up to 8. */
    private static long arrayBytes(int length) {
        return (16 + length + 7) & ~7L;
    }

    @Test
    void receivePathAllocatesOnlyTheFramesItReleases() {
        Feed feed = new Feed();
        feed.receive(0, 200);
        assertThat(feed.frames).isEqualTo(200);
        feed.frames = 0;
        feed.frameBytes = 0;
        long before = allocated();
        feed.receive(200, 500);
        long bytes = allocated() - before;
        assertThat(feed.frames).isEqualTo(300);
        assertThat(bytes - feed.frameBytes).as("bytes allocated besides the frames' bytes, %d frames of %d packets",
                feed.frames, FRAME_PACKETS).isLessThanOrEqualTo((long) feed.frames * PER_FRAME_OBJECTS);
    }

    @Test
    void forwardingRewriteAllocatesNothing() throws ParseException {
        Feed feed = new Feed();
        RtpPacket packet = new RtpPacket();
        ByteBuffer[] views = new ByteBuffer[FRAME_PACKETS];
        for (int p = 0; p < FRAME_PACKETS; p++) {
            views[p] = ByteBuffer.wrap(feed.packets[p].clone());
        }
        rewrite(packet, views, 0, 30_000);
        long before = allocated();
        rewrite(packet, views, 30_000, 60_000);
        assertThat(allocated() - before).isLessThan(30_000);
    }

    private static void rewrite(RtpPacket packet, ByteBuffer[] views, int from, int to) throws ParseException {
        for (int i = from; i < to; i++) {
            ByteBuffer v = views[i % FRAME_PACKETS];
            packet.parse(v, 0, v.capacity());
            packet.setSsrc(0x5678);
            packet.setSequenceNumber(i & 0xFFFF);
            packet.setTimestamp(packet.timestamp() + 12345);
        }
    }

    /**
     * Under SRTP the send path allocates what javax.crypto allocates to protect the same packets, and nothing more:
     * compared with a session without SRTP whose packets (same seed, so the same lengths) are protected one by one
     * by a bare {@link SrtpContext}. The two alternate frame by frame, so that the JIT's work on javax.crypto (which
     * changes what it allocates) falls on both alike.
     */
    @Test
    void sendPathUnderSrtpAllocatesNoMoreThanBareSrtp() {
        RtpSession s = sender(true);
        RtpSession plain = sender(false);
        SrtpContext bare = srtp();
        ByteBuffer dst = ByteBuffer.allocate(2048);
        byte[] sealed = new byte[2048];
        long path = 0;
        long crypto = 0;
        int packets = 0;
        for (int f = 0; f < 1000; f++) {
            long t0 = allocated();
            int n = send(s, f, f + 1, dst);
            long t1 = allocated();
            sendAndProtect(plain, bare, f, dst, sealed);
            long t2 = allocated();
            if (f >= 200) {
                packets += n;
                path += t1 - t0;
                crypto += t2 - t1;
            }
        }
        assertThat(crypto / packets).as("javax.crypto's bytes per packet").isPositive();
        // Within 4 bytes a packet (one allocation is at least 16): the JIT deoptimises the two call sites apart.
        assertThat(path).as("bytes allocated on the send path for %d packets under SRTP; bare SRTP: %d", packets,
                crypto).isLessThan(crypto + 4L * packets);
    }

    private void sendAndProtect(RtpSession plain, SrtpContext bare, int frameIndex, ByteBuffer dst, byte[] out) {
        plain.send(times[frameIndex], SSRC, frame);
        for (dst.clear(); plain.pollTransmit(dst); dst.clear()) {
            bare.protectRtp(dst.array(), 0, dst.position(), out, 0);
        }
        plain.pollTimeout();
    }
}
