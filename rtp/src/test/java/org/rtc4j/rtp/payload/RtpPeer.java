package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Test harness for plain RTP over loopback with a real peer (ffmpeg or GStreamer): a minimal RTP header writer
 * and reader (the session's packet type is not ours to use here), the receive loop, and a GStreamer receiver that
 * depayloads and decodes what we send.
 */
final class RtpPeer {

    private RtpPeer() {
    }

    /** An RTP packet reduced to what the payload formats need. */
    record Rtp(int payloadType, int sequence, long timestamp, boolean marker, byte[] payload) {

        /** RFC 3550 section 5.1, skipping CSRCs, a header extension and padding. */
        static Rtp parse(byte[] b, int len) {
            assertThat(len).isGreaterThanOrEqualTo(12);
            assertThat((b[0] & 0xC0) >>> 6).as("RTP version").isEqualTo(2);
            int off = 12 + 4 * (b[0] & 0x0F);
            if ((b[0] & 0x10) != 0) {
                off += 4 + 4 * (((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF));
            }
            int end = (b[0] & 0x20) != 0 ? len - (b[len - 1] & 0xFF) : len;
            byte[] payload = java.util.Arrays.copyOfRange(b, off, end);
            long ts = ((b[4] & 0xFFL) << 24) | ((b[5] & 0xFF) << 16) | ((b[6] & 0xFF) << 8) | (b[7] & 0xFF);
            return new Rtp(b[1] & 0x7F, ((b[2] & 0xFF) << 8) | (b[3] & 0xFF), ts, (b[1] & 0x80) != 0, payload);
        }
    }

    /** A 12-byte RTP header (no CSRC, no extension) then the payload. */
    static ByteBuffer packet(int payloadType, int sequence, long timestamp, int ssrc, boolean marker,
                             ByteBuffer payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.remaining());
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | payloadType)).putShort((short) sequence)
                .putInt((int) timestamp).putInt(ssrc).put(payload.duplicate());
        return b.flip();
    }

    static DatagramChannel bind() throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        return ch;
    }

    static int port(DatagramChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    /** Receives until the sender has exited and nothing more arrives; bounded to 30 s. */
    static List<Rtp> receiveAll(DatagramChannel ch, Process sender) throws IOException, InterruptedException {
        List<Rtp> packets = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long quietSince = 0;
        while (System.nanoTime() < deadline) {
            buf.clear();
            if (ch.receive(buf) != null) {
                packets.add(Rtp.parse(buf.array(), buf.position()));
                quietSince = 0;
                continue;
            }
            if (!sender.isAlive()) {
                if (quietSince == 0) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(300)) {
                    break;
                }
            }
            Thread.sleep(1);
        }
        assertThat(sender.isAlive()).as("sender still running after 30 s").isFalse();
        return packets;
    }

    /**
     * Groups packets in sequence order into frames by timestamp (audio: one packet each, as several may share a
     * timestamp) and has {@code d} rebuild each, checking that it sees each frame's first packet as a start and
     * its last as an end.
     */
    static List<EncodedFrame> depacketize(List<Rtp> packets, Depacketizer d) throws ParseException {
        return depacketize(packets, d, payload -> false);
    }

    /** As above; frames our depacketizer refuses are left out if {@code refusable} says they are no media. */
    static List<EncodedFrame> depacketize(List<Rtp> packets, Depacketizer d,
                                          java.util.function.Predicate<byte[]> refusable) throws ParseException {
        List<EncodedFrame> frames = new ArrayList<>();
        List<Rtp> frame = new ArrayList<>();
        int expected = -1;
        for (Rtp p : packets) {
            if (expected >= 0) {
                assertThat(p.sequence()).as("in order, no loss").isEqualTo(expected);
            }
            expected = (p.sequence() + 1) & 0xFFFF;
            if (!frame.isEmpty() && (frame.get(0).timestamp() != p.timestamp() || !d.codec().isVideo())) {
                rebuild(frame, d, refusable, frames);
                frame.clear();
            }
            frame.add(p);
        }
        if (!frame.isEmpty()) {
            rebuild(frame, d, refusable, frames);
        }
        return frames;
    }

    private static void rebuild(List<Rtp> frame, Depacketizer d, java.util.function.Predicate<byte[]> refusable,
                                List<EncodedFrame> frames) throws ParseException {
        List<ByteBuffer> payloads = frame.stream().map(p -> ByteBuffer.wrap(p.payload())).toList();
        assertThat(d.isFrameStart(payloads.get(0))).as("frame start at ts %d", frame.get(0).timestamp()).isTrue();
        for (int i = 0; i < frame.size(); i++) {
            assertThat(d.isFrameEnd(payloads.get(i), frame.get(i).marker()))
                    .as("frame end at packet %d of %d", i, frame.size()).isEqualTo(i == frame.size() - 1);
        }
        try {
            frames.add(d.depacketize(payloads, frame.get(0).timestamp()));
        } catch (ParseException e) {
            if (!refusable.test(frame.get(0).payload())) {
                throw e;
            }
        }
    }

    /** Starts {@code cmd} with its output in {@code log}. */
    static Process start(Path log, String... cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until a process has bound UDP {@code port} (in this network namespace's /proc/net/udp). */
    static void awaitBound(int port, Process p) throws IOException, InterruptedException {
        String hex = String.format(":%04X ", port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(Path.of("/proc/net/udp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 1 && (f[1] + " ").endsWith(hex)) {
                    return;
                }
            }
            assertThat(p.isAlive()).as("receiver exited early").isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("nothing bound UDP port " + port);
    }

    /**
     * Sends {@code frames} through {@code packetizer} to a GStreamer pipeline
     * {@code udpsrc caps=CAPS ! DEPAY_AND_DECODE ! fakesink} and returns how many decoded buffers reached the
     * sink; fails if GStreamer reports an error or a warning.
     */
    static int gstreamerDecodes(Path dir, String caps, String depayAndDecode, int payloadType,
                                List<EncodedFrame> frames, Packetizer packetizer, int mtu) throws Exception {
        String log = gstreamerReceives(dir, "-e -v", caps, depayAndDecode + " ! fakesink silent=false sync=false",
                payloadType, frames, packetizer, mtu, text -> decoded(text) >= frames.size());
        return decoded(log);
    }

    /**
     * Runs {@code gst-launch-1.0 OPTIONS udpsrc caps=CAPS ! ELEMENTS}, sends it {@code frames} through
     * {@code packetizer}, stops it (SIGINT) once {@code done} holds for its output or after 60 s (a deadline only
     * a failure spends: on a loaded machine a decoder can take tens of seconds for a short clip), and returns
     * that output, which must show no error or warning.
     */
    static String gstreamerReceives(Path dir, String options, String caps, String elements, int payloadType,
                                    List<EncodedFrame> frames, Packetizer packetizer, int mtu,
                                    java.util.function.Predicate<String> done) throws Exception {
        int port;
        try (DatagramChannel probe = bind()) {
            port = port(probe);
        }
        Path log = dir.resolve("gst-receiver.log");
        String pipeline = "udpsrc address=127.0.0.1 port=" + port + " caps=\"" + caps + "\" ! " + elements;
        Process gst = start(log, "sh", "-c", "exec gst-launch-1.0 " + options + " " + pipeline);
        try (DatagramChannel out = DatagramChannel.open()) {
            awaitBound(port, gst);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
            int[] seq = {0x1234};
            for (EncodedFrame f : frames) {
                packetizer.packetize(f, mtu, (payload, marker) -> {
                    try {
                        out.send(packet(payloadType, seq[0]++ & 0xFFFF, f.timestamp(), 0x11223344, marker, payload),
                                to);
                        // paced per packet, not per frame: a key frame's burst overflowed the receiver's socket
                        // while gst-launch waited for a core on a loaded machine (40 of 45 H.264 frames in CI)
                        Thread.sleep(1);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !done.test(Files.readString(log, StandardCharsets.ISO_8859_1))) {
                Thread.sleep(50);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(gst.pid())).start().waitFor();
            if (!gst.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("gst-launch did not stop");
            }
        } finally {
            gst.destroyForcibly();
        }
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertThat(text).as("GStreamer log").doesNotContain("ERROR").doesNotContain("WARNING");
        return text;
    }

    private static int decoded(String log) {
        return (int) log.lines().filter(l -> l.contains("last-message = chain")).count();
    }
}
