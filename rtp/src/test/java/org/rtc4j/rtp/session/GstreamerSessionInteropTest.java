package org.rtc4j.rtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * GStreamer's rtpbin (a real RTP stack we did not write) sends live VP8 with its RTCP sender reports; our session,
 * in real time over loopback, rebuilds every frame through the VP8 depacketizer and jitter buffer, reads the
 * sender reports, and sends its receiver reports back to rtpbin.
 */
class GstreamerSessionInteropTest {

    private static final int FRAMES = 180;

    private static DatagramChannel bind() throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        return ch;
    }

    private static int port(DatagramChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    @Test
    void rtpbinSendsVp8AndSenderReports(@TempDir Path dir) throws Exception {
        try (DatagramChannel rtp = bind(); DatagramChannel rtcp = bind(); DatagramChannel back = bind()) {
            int backPort;
            try (DatagramChannel probe = bind()) {
                backPort = port(probe);
            }
            String pipeline = "rtpbin name=rb videotestsrc is-live=true num-buffers=" + FRAMES
                    + " ! video/x-raw,width=320,height=240,framerate=30/1 ! vp8enc deadline=1 keyframe-max-dist=60"
                    + " ! rtpvp8pay pt=96 ssrc=4660 ! rb.send_rtp_sink_0 rb.send_rtp_src_0 ! udpsink host=127.0.0.1"
                    + " port=" + port(rtp) + " rb.send_rtcp_src_0 ! udpsink host=127.0.0.1 port=" + port(rtcp)
                    + " sync=false async=false udpsrc address=127.0.0.1 port=" + backPort + " ! rb.recv_rtcp_sink_0";
            Path log = dir.resolve("gst.log");
            Process gst = new ProcessBuilder("sh", "-c", "exec gst-launch-1.0 -e " + pipeline)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            TransportAddress us = TransportAddress.parse(Transport.UDP, "127.0.0.1:" + port(rtp));
            TransportAddress them = TransportAddress.parse(Transport.UDP, "127.0.0.1:" + backPort);
            RtpSession session = new RtpSession(RtpSessionConfig.defaults(0x5555, "rtc4j"), us, them, null, null);
            session.addReceiveStream(ReceiveStreamConfig.of("0", Codec.VP8, 96, -1));
            List<EncodedFrame> frames = new ArrayList<>();
            Set<Long> timestamps = new HashSet<>();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long quietSince = 0;
            try {
                while (System.nanoTime() < deadline) {
                    boolean any = false;
                    for (DatagramChannel ch : new DatagramChannel[] {rtp, rtcp}) {
                        buf.clear();
                        if (ch.receive(buf) != null) {
                            buf.flip();
                            if (ch == rtp && buf.remaining() >= 12) {
                                timestamps.add(buf.getInt(4) & 0xFFFF_FFFFL);
                            }
                            session.handleInput(Instant.now(), them, us, buf);
                            any = true;
                        }
                    }
                    Instant now = Instant.now();
                    Instant timeout = session.pollTimeout();
                    if (timeout != null && !timeout.isAfter(now)) {
                        session.handleTimeout(now);
                    }
                    for (Transmit t; (t = session.pollTransmit()) != null; ) {
                        back.send(t.payload(), new InetSocketAddress("127.0.0.1", backPort));
                    }
                    for (RtpSessionEvent e; (e = session.pollEvent()) != null; ) {
                        if (e instanceof RtpSessionEvent.FrameReceived f) {
                            frames.add(f.frame());
                        }
                    }
                    if (any) {
                        quietSince = 0;
                    } else if (!gst.isAlive()) {
                        if (quietSince == 0) {
                            quietSince = System.nanoTime();
                        } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(300)) {
                            break;
                        }
                    } else {
                        Thread.sleep(1);
                    }
                }
            } finally {
                gst.destroyForcibly();
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(gst.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(text).as("GStreamer log").doesNotContain("ERROR");
            // Every frame GStreamer sent, once, in order, the first a key frame.
            assertThat(frames).hasSize(timestamps.size());
            assertThat(frames.size()).isGreaterThanOrEqualTo(FRAMES - 5);
            assertThat(frames.get(0).keyFrame()).isTrue();
            for (int i = 1; i < frames.size(); i++) {
                assertThat(frames.get(i).timestamp()).isNotEqualTo(frames.get(i - 1).timestamp());
            }
            InboundRtpStats in = session.inboundRtpStats().get(0);
            assertThat(in.ssrc()).isEqualTo(4660);
            assertThat(in.packetsLost()).isZero();
            assertThat(in.framesReceived()).isEqualTo(frames.size());
            // rtpbin's sender reports were read: their packet count is what we had received by then.
            RemoteOutboundRtpStats ro = session.remoteOutboundRtpStats().get(0);
            assertThat(ro.reportsSent()).isPositive();
            assertThat(ro.packetsSent()).isPositive().isLessThanOrEqualTo(in.packetsReceived());
            assertThat(ro.remoteTimestamp()).isGreaterThan(1.7e12);
            assertThat(session.malformedCount()).isZero();
        }
    }

    /** The frames of an IVF file (32-byte file header; per frame a 12-byte header with the size first, LE). */
    private static List<byte[]> ivf(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<byte[]> frames = new ArrayList<>();
        b.position(32);
        while (b.remaining() >= 12) {
            int size = b.getInt();
            b.position(b.position() + 8);
            byte[] f = new byte[size];
            b.get(f);
            frames.add(f);
        }
        return frames;
    }

    @Test
    void rtpbinReportsOnWhatTheSessionSends(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v.ivf");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=30", "-frames:v", "150", "-c:v", "libvpx", "-g", "60", "-b:v", "500k",
                file.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).isZero();
        List<byte[]> vp8 = ivf(file);
        assertThat(vp8).hasSize(150);
        try (DatagramChannel ours = bind()) {
            int rtpPort;
            int rtcpPort;
            try (DatagramChannel a = bind(); DatagramChannel b = bind()) {
                rtpPort = port(a);
                rtcpPort = port(b);
            }
            String pipeline = "rtpbin name=rb udpsrc address=127.0.0.1 port=" + rtpPort
                    + " caps=\"application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96\""
                    + " ! rb.recv_rtp_sink_0 rb. ! rtpvp8depay ! vp8dec ! fakesink sync=false"
                    + " udpsrc address=127.0.0.1 port=" + rtcpPort + " ! rb.recv_rtcp_sink_0"
                    + " rb.send_rtcp_src_0 ! udpsink host=127.0.0.1 port=" + port(ours) + " sync=false async=false";
            Path log = dir.resolve("gst.log");
            Process gst = new ProcessBuilder("sh", "-c", "exec gst-launch-1.0 " + pipeline)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            TransportAddress us = TransportAddress.parse(Transport.UDP, "127.0.0.1:" + port(ours));
            TransportAddress them = TransportAddress.parse(Transport.UDP, "127.0.0.1:" + rtpPort);
            RtpSession session = new RtpSession(RtpSessionConfig.defaults(0x5555, "rtc4j"), us, them, null, null);
            session.addSendStream(SendStreamConfig.of(0x7777, Codec.VP8, 96));
            ByteBuffer buf = ByteBuffer.allocate(65536);
            try {
                Thread.sleep(500); // rtpbin binds its sockets
                long start = System.nanoTime();
                int sent = 0;
                while (sent < vp8.size() || System.nanoTime() - start < TimeUnit.SECONDS.toNanos(7)) {
                    Instant now = Instant.now();
                    if (sent < vp8.size() && System.nanoTime() - start >= sent * 33_333_333L) {
                        byte[] f = vp8.get(sent);
                        session.send(now, 0x7777, new EncodedFrame(Codec.VP8, f, sent * 3000L, (f[0] & 1) == 0));
                        sent++;
                    }
                    buf.clear();
                    if (ours.receive(buf) != null) {
                        session.handleInput(now, them, us, buf.flip());
                    }
                    Instant timeout = session.pollTimeout();
                    if (timeout != null && !timeout.isAfter(now)) {
                        session.handleTimeout(now);
                    }
                    for (Transmit t; (t = session.pollTransmit()) != null; ) {
                        int type = t.payload().get(1) & 0xFF;
                        int to = type >= 192 && type <= 223 ? rtcpPort : rtpPort;
                        ours.send(t.payload(), new InetSocketAddress("127.0.0.1", to));
                    }
                    while (session.pollEvent() != null) {
                        // key frame requests are not expected on loopback
                    }
                    Thread.sleep(1);
                }
            } finally {
                gst.destroyForcibly();
                gst.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).as("GStreamer log").doesNotContain("ERROR");
            // rtpbin's receiver reports echo our sender reports: the round trip on loopback, and no loss.
            RemoteInboundRtpStats ri = session.remoteInboundRtpStats().get(0);
            assertThat(ri.reportsReceived()).isPositive();
            assertThat(ri.roundTripTimeMeasurements()).isPositive();
            assertThat(ri.roundTripTime()).isBetween(0.0, 0.1);
            // rtpbin counts the packets of its probation against its base sequence number: -1 with no loss.
            assertThat(ri.packetsLost()).isBetween(-2L, 0L);
            assertThat(session.malformedCount()).isZero();
        }
    }
}
