package org.rtc4j.rtp.payload;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rtc4j.rtp.Codec;

/**
 * H.265 (RFC 7798) against ffmpeg's payloader (single NAL units and FU), GStreamer's rtph265pay aggregating
 * into AP, and GStreamer's rtph265depay and avdec_h265.
 */
class H265InteropTest extends InteropTestBase {

    @Override
    Codec codec() {
        return Codec.H265;
    }

    @Override
    String[] encodeArgs() {
        return new String[] {"-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-frames:v", "45", "-c:v",
            "libx265", "-preset", "ultrafast", "-x265-params", "bframes=0:keyint=20:log-level=error", "-b:v", "2M",
            "-pix_fmt", "yuv420p", "h265.h265"};
    }

    @Override
    List<byte[]> frames(Path file) throws Exception {
        return MediaFiles.h265AccessUnits(Files.readAllBytes(file));
    }

    @Override
    String gstreamerPayloader() {
        return "tsdemux ! h265parse ! video/x-h265,stream-format=byte-stream,alignment=au"
                + " ! rtph265pay aggregate-mode=zero-latency"
                + " mtu=" + (MTU + 12);
    }

    /** A raw stream has no timestamps, and GStreamer would send it all with one: the same stream in MPEG-TS. */
    @Override
    Path gstreamerInput() throws Exception {
        return MediaFiles.encode(dir, "h265.ts", "-r", "30", "-i", file.toString(), "-c", "copy");
    }

    @Override
    String gstreamerCaps() {
        return "application/x-rtp,media=video,encoding-name=H265,clock-rate=90000,payload=104";
    }

    @Override
    String gstreamerDepayloader() {
        return "rtph265depay ! h265parse ! avdec_h265";
    }

    @Override
    int payloadType() {
        return 104;
    }

    @Override
    int ticksPerFrame() {
        return 3000;
    }

    private static int type(byte[] nal) {
        return (nal[0] >>> 1) & 0x3F;
    }

    /** Both fragmentation (FU) and, from GStreamer, aggregation (AP) came in. */
    @Override
    void checkPackets(List<RtpPeer.Rtp> packets, String sender) {
        org.assertj.core.api.Assertions.assertThat(packets).anyMatch(p -> type(p.payload()) == 49);
        if (sender.equals("gstreamer")) {
            org.assertj.core.api.Assertions.assertThat(packets).anyMatch(p -> type(p.payload()) == 48);
        }
    }

    /** An IRAP picture (types 16-23). */
    @Override
    boolean isKey(byte[] frame) {
        return MediaFiles.nalUnits(frame).stream().anyMatch(u -> type(u) >= 16 && type(u) <= 23);
    }

    /**
     * The NAL units, whatever their start codes; access unit delimiters left out, which payloaders may drop
     * (RFC 7798 allows it, and GStreamer does).
     */
    @Override
    Object comparable(byte[] frame) {
        return MediaFiles.nalUnits(frame).stream().filter(u -> type(u) != 35).map(ByteBuffer::wrap).toList();
    }
}
