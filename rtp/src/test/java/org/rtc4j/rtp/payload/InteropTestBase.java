package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * One codec against real peers over plain RTP on loopback: a file encoded by ffmpeg is packetized by ffmpeg's and
 * by GStreamer's payloader and must come out of our depacketizer frame for frame as the file holds it; and our
 * packetizer's RTP must be depayloaded and decoded by GStreamer without an error, every frame.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180) // above RtpPeer's own 60 s wait for GStreamer, so that a slow decoder fails with what it decoded
abstract class InteropTestBase {

    static final int MTU = 1200;

    Path dir;
    Path file;
    Path gstreamerInput;
    List<byte[]> reference;

    abstract Codec codec();

    /** ffmpeg arguments that make the test file (lavfi source, encoder, options), its name last. */
    abstract String[] encodeArgs();

    abstract List<byte[]> frames(Path file) throws Exception;

    /** The GStreamer elements between filesrc and udpsink: demuxer or parser, then the payloader. */
    abstract String gstreamerPayloader();

    /** udpsrc caps for our RTP. */
    abstract String gstreamerCaps();

    /** The GStreamer depayloader and decoder for our RTP. */
    abstract String gstreamerDepayloader();

    abstract int payloadType();

    /** RTP timestamp ticks between frames. */
    abstract int ticksPerFrame();

    abstract boolean isKey(byte[] frame);

    /** What must match between a rebuilt frame and the file's; the bytes themselves unless a format says so. */
    Object comparable(byte[] frame) {
        return ByteBuffer.wrap(frame);
    }

    /** Checks what a peer's packets must have exercised. */
    void checkPackets(List<RtpPeer.Rtp> packets, String sender) {
    }

    /** A payload a peer sends that is not media, which our depacketizer must refuse. */
    boolean notMedia(byte[] payload) {
        return false;
    }

    boolean framesSpanPackets() {
        return true;
    }

    List<String> ffmpegSenderOptions() {
        return List.of();
    }

    @BeforeAll
    void encode() throws Exception {
        LoopbackNamespace.require();
        dir = Files.createTempDirectory("rtc4j-" + codec().encodingName());
        String[] args = encodeArgs();
        file = MediaFiles.encode(dir, args[args.length - 1], java.util.Arrays.copyOf(args, args.length - 1));
        reference = frames(file);
        assertThat(reference).hasSizeGreaterThan(10);
        gstreamerInput = gstreamerInput();
    }

    /** The file GStreamer's payloader reads: the test file unless a container must give it timestamps. */
    Path gstreamerInput() throws Exception {
        return file;
    }

    @Test
    void ffmpegPacketizesAndWeRebuildEveryFrame() throws Exception {
        try (DatagramChannel ch = RtpPeer.bind()) {
            List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-re", "-i",
                    file.toString(), "-c", "copy"));
            cmd.addAll(ffmpegSenderOptions());
            cmd.addAll(List.of("-f", "rtp", "-payload_type", Integer.toString(payloadType()),
                    "rtp://127.0.0.1:" + RtpPeer.port(ch) + "?pkt_size=" + (MTU + 12)));
            Process ff = RtpPeer.start(dir.resolve("ffmpeg-sender.log"), cmd.toArray(String[]::new));
            List<RtpPeer.Rtp> packets = RtpPeer.receiveAll(ch, ff);
            checkRebuilt(packets, ff, "ffmpeg-sender.log");
            checkPackets(packets, "ffmpeg");
        }
    }

    @Test
    void gstreamerPacketizesAndWeRebuildEveryFrame() throws Exception {
        try (DatagramChannel ch = RtpPeer.bind()) {
            String pipeline = "filesrc location=" + gstreamerInput + " ! " + gstreamerPayloader()
                    + " ! udpsink host=127.0.0.1 port=" + RtpPeer.port(ch) + " sync=true";
            Process gst = RtpPeer.start(dir.resolve("gst-sender.log"), "sh", "-c", "exec gst-launch-1.0 " + pipeline);
            List<RtpPeer.Rtp> packets = RtpPeer.receiveAll(ch, gst);
            checkRebuilt(packets, gst, "gst-sender.log");
            checkPackets(packets, "gstreamer");
        }
    }

    private void checkRebuilt(List<RtpPeer.Rtp> packets, Process sender, String log) throws Exception {
        assertThat(sender.exitValue()).as(Files.readString(dir.resolve(log))).isZero();
        List<EncodedFrame> frames = RtpPeer.depacketize(packets, PayloadFormats.depacketizer(codec()),
                this::notMedia);
        assertThat(frames.stream().map(f -> comparable(f.data())).toList())
                .containsExactlyElementsOf(reference.stream().map(this::comparable).toList());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).keyFrame()).as("key frame %d", i).isEqualTo(isKey(reference.get(i)));
        }
        if (framesSpanPackets()) {
            assertThat(packets.size()).as("some frames took several packets").isGreaterThan(reference.size());
        }
    }

    @Test
    void gstreamerDepayloadsAndDecodesEveryFrameWeSend() throws Exception {
        List<EncodedFrame> frames = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            frames.add(new EncodedFrame(codec(), reference.get(i), (long) i * ticksPerFrame() + 1000,
                    isKey(reference.get(i))));
        }
        int decoded = RtpPeer.gstreamerDecodes(dir, gstreamerCaps(), gstreamerDepayloader(), payloadType(), frames,
                PayloadFormats.packetizer(codec()), MTU);
        assertThat(decoded).isEqualTo(frames.size());
    }
}
