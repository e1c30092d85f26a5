package org.rtc4j.rtp.payload;

import java.nio.file.Path;
import java.util.List;
import org.rtc4j.rtp.Codec;

/** VP9 (RFC 9628) against ffmpeg's and GStreamer's payloaders and GStreamer's rtpvp9depay and vp9dec. */
class Vp9InteropTest extends InteropTestBase {

    @Override
    Codec codec() {
        return Codec.VP9;
    }

    @Override
    String[] encodeArgs() {
        return new String[] {"-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-frames:v", "45", "-c:v",
            "libvpx-vp9", "-b:v", "3M", "-deadline", "realtime", "-cpu-used", "8", "-g", "20", "vp9.ivf"};
    }

    @Override
    List<byte[]> frames(Path file) throws Exception {
        return MediaFiles.ivf(file);
    }

    @Override
    String gstreamerPayloader() {
        return "ivfparse ! rtpvp9pay mtu=" + (MTU + 12);
    }

    @Override
    String gstreamerCaps() {
        return "application/x-rtp,media=video,encoding-name=VP9,clock-rate=90000,payload=96";
    }

    @Override
    String gstreamerDepayloader() {
        return "rtpvp9depay ! vp9dec";
    }

    @Override
    int payloadType() {
        return 96;
    }

    @Override
    int ticksPerFrame() {
        return 3000;
    }

    /** VP9 section 6.2, profile 0: show_existing_frame and frame_type (bits 3 and 2 of the first byte) both 0. */
    @Override
    boolean isKey(byte[] frame) {
        return (frame[0] & 0x0C) == 0;
    }

    /** ffmpeg's VP9 payloader is experimental. */
    @Override
    List<String> ffmpegSenderOptions() {
        return List.of("-strict", "experimental");
    }
}
