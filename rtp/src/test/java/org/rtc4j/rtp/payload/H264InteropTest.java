package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * H.264 (RFC 6184, packetization-modes 1 and 0) against ffmpeg's payloader (single NAL units and FU-A), GStreamer's
 * rtph264pay aggregating into STAP-A, and GStreamer's rtph264depay and avdec_h264.
 */
class H264InteropTest extends InteropTestBase {

    @Override
    Codec codec() {
        return Codec.H264;
    }

    @Override
    String[] encodeArgs() {
        return new String[] {"-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-frames:v", "45", "-c:v",
            "libx264", "-preset", "veryfast", "-bf", "0", "-g", "20", "-b:v", "2M", "-pix_fmt", "yuv420p", "h264.h264"};
    }

    @Override
    List<byte[]> frames(Path file) throws Exception {
        return MediaFiles.h264AccessUnits(Files.readAllBytes(file));
    }

    @Override
    String gstreamerPayloader() {
        return "tsdemux ! h264parse ! video/x-h264,stream-format=byte-stream,alignment=au"
                + " ! rtph264pay aggregate-mode=zero-latency"
                + " mtu=" + (MTU + 12);
    }

    /** A raw stream has no timestamps, and GStreamer would send it all with one: the same stream in MPEG-TS. */
    @Override
    Path gstreamerInput() throws Exception {
        return MediaFiles.encode(dir, "h264.ts", "-r", "30", "-i", file.toString(), "-c", "copy");
    }

    @Override
    String gstreamerCaps() {
        return "application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=102,packetization-mode=1";
    }

    @Override
    String gstreamerDepayloader() {
        return "rtph264depay ! h264parse ! avdec_h264";
    }

    @Override
    int payloadType() {
        return 102;
    }

    @Override
    int ticksPerFrame() {
        return 3000;
    }

    /** Packetization-mode 0: single NAL unit packets only (a UDP datagram holds the largest unit on loopback). */
    @Test
    void gstreamerDepayloadsAndDecodesPacketizationModeZero() throws Exception {
        List<EncodedFrame> frames = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            frames.add(new EncodedFrame(Codec.H264, reference.get(i), i * 3000L, isKey(reference.get(i))));
        }
        int decoded = RtpPeer.gstreamerDecodes(dir, gstreamerCaps().replace("packetization-mode=1",
                "packetization-mode=0"), gstreamerDepayloader(), payloadType(), frames,
                PayloadFormats.h264Packetizer(0), 60_000);
        assertThat(decoded).isEqualTo(frames.size());
    }

    /** Both fragmentation (FU-A) and, from GStreamer, aggregation (STAP-A) came in. */
    @Override
    void checkPackets(List<RtpPeer.Rtp> packets, String sender) {
        assertThat(packets).anyMatch(p -> (p.payload()[0] & 0x1F) == 28);
        if (sender.equals("gstreamer")) {
            assertThat(packets).anyMatch(p -> (p.payload()[0] & 0x1F) == 24);
        }
    }

    /** An IDR slice (type 5). */
    @Override
    boolean isKey(byte[] frame) {
        return MediaFiles.nalUnits(frame).stream().anyMatch(u -> (u[0] & 0x1F) == 5);
    }

    /**
     * The NAL units, whatever their start codes; access unit delimiters left out, which payloaders may drop
     * (RFC 6184 allows it, and GStreamer does).
     */
    @Override
    Object comparable(byte[] frame) {
        return MediaFiles.nalUnits(frame).stream().filter(u -> (u[0] & 0x1F) != 9).map(ByteBuffer::wrap).toList();
    }
}
