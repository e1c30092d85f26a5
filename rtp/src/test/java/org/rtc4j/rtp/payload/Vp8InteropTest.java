package org.rtc4j.rtp.payload;

import java.nio.file.Path;
import java.util.List;
import org.rtc4j.rtp.Codec;

/** VP8 (RFC 7741) against ffmpeg's and GStreamer's payloaders and GStreamer's rtpvp8depay and vp8dec. */
class Vp8InteropTest extends InteropTestBase {

    @Override
    Codec codec() {
        return Codec.VP8;
    }

    @Override
    String[] encodeArgs() {
        return new String[] {"-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-frames:v", "45", "-c:v",
            "libvpx", "-b:v", "3M", "-deadline", "realtime", "-cpu-used", "8", "-g", "20", "vp8.ivf"};
    }

    @Override
    List<byte[]> frames(Path file) throws Exception {
        return MediaFiles.ivf(file);
    }

    @Override
    String gstreamerPayloader() {
        return "ivfparse ! rtpvp8pay mtu=" + (MTU + 12);
    }

    @Override
    String gstreamerCaps() {
        return "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96";
    }

    @Override
    String gstreamerDepayloader() {
        return "rtpvp8depay ! vp8dec";
    }

    @Override
    int payloadType() {
        return 96;
    }

    @Override
    int ticksPerFrame() {
        return 3000;
    }

    /** RFC 6386 section 9.1: P bit 0. */
    @Override
    boolean isKey(byte[] frame) {
        return (frame[0] & 1) == 0;
    }
}
