package org.rtc4j.bench.rtp;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rtc4j.bench.srtp.SrtpBenchmark;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.RtpPacket;
import org.rtc4j.rtp.session.RtpSession;
import org.rtc4j.rtp.session.RtpSessionConfig;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.rtp.session.SendStreamConfig;
import org.rtc4j.rtp.srtp.SrtpContext;
import org.rtc4j.rtp.srtp.SrtpMasterKey;
import org.rtc4j.rtp.srtp.SrtpProfile;

/**
 * The media paths of the RTP session against bare SRTP, packets per second on one thread, with AEAD_AES_128_GCM
 * and 1,200-byte VP8 payloads (frames of {@value #FRAME_PACKETS} packets), all in one run:
 * <ul>
 *   <li>{@code bareProtect}, {@code bareUnprotect}: {@link SrtpBenchmark}'s two operations (copy, then
 *       transform in place), run here so that the ratios come from one run;</li>
 *   <li>{@code sendPath}: VP8 packetizer, header, history, SRTP protect, copy out through
 *       {@link RtpSession#pollTransmit(ByteBuffer)};</li>
 *   <li>{@code receivePath}: copy in, SRTP unprotect, demux, statistics, NACK tracking, jitter buffer, VP8
 *       depacketizer, frame event;</li>
 *   <li>{@code forward}: a received plain packet gets a new SSRC, sequence number and timestamp in place, then
 *       SRTP protects it into the output buffer;</li>
 *   <li>{@code sessionSend}, {@code sessionReceive}: the session alone, without SRTP.</li>
 * </ul>
 * Receiving needs packets it has not seen: like SrtpBenchmark it cycles through {@value #RING} packets and takes a
 * fresh receiving session (and SRTP context) after each pass.
 *
 * <p>With {@code -prof gc}, each path's bytes per packet are javax.crypto's (AES-GCM allocates its engine, GHASH
 * and counter objects in every {@code Cipher.init}, about 1 KB; C2 removes about 110 B of it by escape analysis
 * when it inlines the whole call chain, which it does for some paths in some runs and not others), plus a
 * receive path's share of the frames it releases. The paths themselves allocate nothing per packet:
 * {@code WarmPathAllocationTest} in module rtp counts that without depending on the JIT.
 *
 * <p>Run: {@code java -cp 'bench/target/rtc4j-bench.jar:bench/target/lib/*' org.openjdk.jmh.Main RtpSessionBenchmark
 * -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RtpSessionBenchmark {

    static final int RING = 8192;
    static final int FRAME_PACKETS = 10;
    static final int PAYLOAD = 1200;
    static final int SSRC = 0x1234;
    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;

    private SrtpMasterKey key;
    private final SrtpBenchmark bare = new SrtpBenchmark();
    private byte[] work;
    private byte[][] sealed;
    private int[] sealedLength;
    private byte[][] clear;
    private int[] clearLength;
    private int seq;
    private int nextReceive;
    private int nextClear;
    private int nextForward;

    private RtpSession sender;
    private RtpSession plainSender;
    private EncodedFrame frame;
    private ByteBuffer dst;
    private RtpSession receiver;
    private RtpSession plainReceiver;
    private ByteBuffer in;
    private final RtpPacket packet = new RtpPacket();
    private SrtpContext forwarder;
    private byte[][] forwardPackets;
    private ByteBuffer[] forwardViews;
    private final Instant[] times = new Instant[1 << 16];
    private int sendFrames;
    private int plainSendFrames;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        byte[] k = new byte[PROFILE.keyLength()];
        byte[] s = new byte[PROFILE.saltLength()];
        r.nextBytes(k);
        r.nextBytes(s);
        key = new SrtpMasterKey(PROFILE, k, s);
        bare.profile = PROFILE;
        bare.payload = PAYLOAD;
        bare.setUp();
        work = new byte[12 + PAYLOAD + PROFILE.rtpOverhead()];
        forwarder = new SrtpContext(key);

        // VP8 frames: a key frame tag (RFC 6386 9.1) then bytes; sized so each packet carries 1,200 bytes.
        byte[] data = new byte[FRAME_PACKETS * (PAYLOAD - 4) - 50];
        r.nextBytes(data);
        data[0] = 0x10;
        data[1] = 0;
        data[2] = 0;
        data[3] = (byte) 0x9d;
        data[4] = 0x01;
        data[5] = 0x2a;
        frame = new EncodedFrame(Codec.VP8, data, 0, true);
        sender = sender(true);
        plainSender = sender(false);
        dst = ByteBuffer.allocate(2048);
        in = ByteBuffer.allocate(2048);

        // The packets the receivers cycle through, from a real sending session.
        RtpSession ring = sender(true);
        RtpSession plainRing = sender(false);
        sealed = new byte[RING][];
        sealedLength = new int[RING];
        clear = new byte[RING][];
        clearLength = new int[RING];
        for (int i = 0; i < RING; ) {
            ring.send(NOW, SSRC, new EncodedFrame(Codec.VP8, data, 3000L * i, true));
            plainRing.send(NOW, SSRC, new EncodedFrame(Codec.VP8, data, 3000L * i, true));
            for (int p = 0; p < FRAME_PACKETS && i < RING; p++, i++) {
                dst.clear();
                ring.pollTransmit(dst);
                sealed[i] = java.util.Arrays.copyOf(dst.array(), dst.position());
                sealedLength[i] = dst.position();
                dst.clear();
                plainRing.pollTransmit(dst);
                clear[i] = java.util.Arrays.copyOf(dst.array(), dst.position());
                clearLength[i] = dst.position();
            }
        }
        for (int i = 0; i < times.length; i++) {
            times[i] = NOW.plusNanos(i * 1_000_000_000L / 30);
        }
        forwardPackets = new byte[16][];
        forwardViews = new ByteBuffer[16];
        for (int i = 0; i < 16; i++) {
            forwardPackets[i] = clear[i].clone();
            forwardViews[i] = ByteBuffer.wrap(forwardPackets[i]);
        }
        receiver = receiver(true);
        plainReceiver = receiver(false);
    }

    private RtpSession sender(boolean withSrtp) {
        RtpSessionConfig config = RtpSessionConfig.defaults(1, "bench").withSeed(7);
        config = new RtpSessionConfig(config.rtcpSsrc(), config.cname(), config.extensions(), 12 + PAYLOAD,
                config.history(), config.nackGiveUp(), config.sessionBandwidth(), true, 7);
        RtpSession s = new RtpSession(config, A, B, withSrtp ? new SrtpContext(key) : null,
                withSrtp ? new SrtpContext(key) : null);
        s.addSendStream(new SendStreamConfig(SSRC, Codec.VP8, 96, null, null, SSRC + 1, 97));
        return s;
    }

    private RtpSession receiver(boolean withSrtp) {
        RtpSession s = new RtpSession(RtpSessionConfig.defaults(2, "bench-rx"), B, A,
                withSrtp ? new SrtpContext(key) : null, withSrtp ? new SrtpContext(key) : null);
        s.addReceiveStream(ReceiveStreamConfig.of("0", Codec.VP8, 96, 97).withSsrc(SSRC));
        return s;
    }

    /** What the receivers counted, to check that the benchmark's packets make frames. */
    String receiverStats() {
        return receiver.inboundRtpStats() + "\n" + plainReceiver.inboundRtpStats();
    }

    /** SrtpBenchmark's protect, measured in this run. */
    @Benchmark
    public int bareProtect() {
        return bare.protect();
    }

    /** SrtpBenchmark's unprotect, measured in this run. */
    @Benchmark
    public int bareUnprotect() {
        return bare.unprotect();
    }

    @Benchmark
    @OperationsPerInvocation(FRAME_PACKETS)
    public int sendPath() {
        if (sendFrames == times.length) {
            sendFrames = 0;
            sender = sender(true);
        }
        return send(sender, times[sendFrames++]);
    }

    @Benchmark
    @OperationsPerInvocation(FRAME_PACKETS)
    public int sessionSend() {
        if (plainSendFrames == times.length) {
            plainSendFrames = 0;
            plainSender = sender(false);
        }
        return send(plainSender, times[plainSendFrames++]);
    }

    /** 30 frames a second, so the history holds the last second as a real stream's does. */
    private int send(RtpSession s, Instant now) {
        s.send(now, SSRC, frame);
        int bytes = 0;
        for (int p = 0; p < FRAME_PACKETS; p++) {
            dst.clear();
            s.pollTransmit(dst);
            bytes += dst.position();
        }
        return bytes;
    }

    @Benchmark
    public Object receivePath() {
        int i = nextReceive;
        RtpSession r = receiver;
        in.clear().put(sealed[i], 0, sealedLength[i]).flip();
        r.handleInput(NOW, A, B, in);
        RtpSessionEvent e = r.pollEvent();
        if (++nextReceive == RING) {
            nextReceive = 0;
            receiver = receiver(true);
        }
        return e;
    }

    /**
     * The session alone: the packets of one frame, given fresh sequence numbers and timestamps as they go in (as
     * if just received, so in cache as a socket leaves them; no SRTP, so nothing to replay-protect).
     */
    @Benchmark
    public Object sessionReceive() {
        int n = nextClear++;
        byte[] p = clear[n % FRAME_PACKETS];
        int len = clearLength[n % FRAME_PACKETS];
        in.clear().put(p, 0, len).flip();
        in.putShort(2, (short) n);
        in.putInt(4, (n / FRAME_PACKETS) * 3000);
        plainReceiver.handleInput(NOW, A, B, in);
        return plainReceiver.pollEvent();
    }

    @Benchmark
    public int forward() throws ParseException {
        int i = nextForward;
        int n = clearLength[i];
        packet.parse(forwardViews[i], 0, n);
        packet.setSsrc(0x5678);
        packet.setSequenceNumber(seq++);
        packet.setTimestamp(packet.timestamp() + 12345);
        // A forwarder sends a packet on as soon as it arrives, while it is in cache: a few packets, not the ring.
        nextForward = (nextForward + 1) & 15;
        return forwarder.protectRtp(forwardPackets[i], 0, n, work, 0);
    }
}
