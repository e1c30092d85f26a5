package org.rtc4j.rtp.payload;

import java.nio.file.Path;
import java.util.List;
import org.rtc4j.rtp.Codec;

/** Opus (RFC 7587) against ffmpeg's and GStreamer's payloaders and GStreamer's rtpopusdepay and opusdec. */
class OpusInteropTest extends InteropTestBase {

    @Override
    Codec codec() {
        return Codec.OPUS;
    }

    @Override
    String[] encodeArgs() {
        return new String[] {"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "1", "-c:a",
            "libopus", "-b:a", "64k", "opus.ogg"};
    }

    @Override
    List<byte[]> frames(Path file) throws Exception {
        return MediaFiles.oggOpus(file);
    }

    @Override
    String gstreamerPayloader() {
        return "oggdemux ! rtpopuspay mtu=" + (MTU + 12);
    }

    @Override
    String gstreamerCaps() {
        return "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111";
    }

    @Override
    String gstreamerDepayloader() {
        return "rtpopusdepay ! opusdec";
    }

    @Override
    int payloadType() {
        return 111;
    }

    /** 20 ms at 48 kHz (libopus's default frame). */
    @Override
    int ticksPerFrame() {
        return 960;
    }

    @Override
    boolean isKey(byte[] frame) {
        return true;
    }

    /**
     * GStreamer's rtpopuspay sends the Ogg stream's header packets (RFC 7845 OpusHead, OpusTags) as payloads;
     * they are no Opus packets (RFC 6716 section 3.4), and our depacketizer must refuse them.
     */
    @Override
    boolean notMedia(byte[] payload) {
        String head = new String(payload, 0, Math.min(8, payload.length), java.nio.charset.StandardCharsets.ISO_8859_1);
        return head.equals("OpusHead") || head.equals("OpusTags");
    }

    /** Audio frames are one packet each. */
    @Override
    boolean framesSpanPackets() {
        return false;
    }
}
