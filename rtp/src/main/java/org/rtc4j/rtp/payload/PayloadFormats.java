package org.rtc4j.rtp.payload;

import java.util.concurrent.ThreadLocalRandom;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.payload.internal.Av1Format;
import org.rtc4j.rtp.payload.internal.G711Format;
import org.rtc4j.rtp.payload.internal.G722Format;
import org.rtc4j.rtp.payload.internal.H264Format;
import org.rtc4j.rtp.payload.internal.H265Format;
import org.rtc4j.rtp.payload.internal.OpusFormat;
import org.rtc4j.rtp.payload.internal.TelephoneEventFormat;
import org.rtc4j.rtp.payload.internal.Vp8Format;
import org.rtc4j.rtp.payload.internal.Vp9Format;

/**
 * The packetizer and depacketizer of each codec's RTP payload format: Opus (RFC 7587), G.711 and G.722
 * (RFC 3551), telephone-event (RFC 4733), VP8 (RFC 7741), VP9 (RFC 9628), H.264 (RFC 6184), H.265 (RFC 7798) and
 * AV1 (AOM RTP payload format). RTX (RFC 4588) is {@link RtxPayload}.
 */
public final class PayloadFormats {

    private PayloadFormats() {
    }

    /**
     * A new packetizer for one outgoing stream of {@code codec}, with the format's defaults: H.264 in
     * packetization-mode 1, VP8/VP9 picture IDs from a random start.
     */
    public static Packetizer packetizer(Codec codec) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return switch (codec) {
            case OPUS -> OpusFormat.create();
            case PCMU, PCMA -> G711Format.of(codec);
            case G722 -> G722Format.create();
            case TELEPHONE_EVENT -> TelephoneEventFormat.packetizer();
            case VP8 -> Vp8Format.packetizer(random.nextInt(0x8000), random.nextInt(0x100));
            case VP9 -> Vp9Format.packetizer(random.nextInt(0x8000), random.nextInt(0x100));
            case H264 -> H264Format.packetizer(1);
            case H265 -> H265Format.packetizer();
            case AV1 -> Av1Format.packetizer();
        };
    }

    /**
     * An H.264 packetizer for the negotiated {@code packetization-mode}: 0 sends single NAL unit packets only (a
     * unit larger than the payload size is refused), 1 also aggregates (STAP-A) and fragments (FU-A).
     */
    public static Packetizer h264Packetizer(int packetizationMode) {
        return H264Format.packetizer(packetizationMode);
    }

    /**
     * How long an audio frame lasts, in ticks of its RTP clock: an Opus packet's frames (RFC 6716 section 3.1),
     * one tick a byte for G.711 and G.722 (RFC 3551 section 4.5: G.722's clock runs at 8 kHz); -1 for video,
     * telephone events and a packet too short to say.
     */
    public static int audioTicks(org.rtc4j.rtp.EncodedFrame frame) {
        return switch (frame.codec()) {
            case OPUS -> opusSamples(frame.data());
            case PCMU, PCMA, G722 -> frame.data().length;
            default -> -1;
        };
    }

    /**
     * An Opus packet's samples per channel at 48 kHz (RFC 6716 sections 3.1 and 3.2), or -1 when it is no valid
     * packet (section 3.4, R1 and R5).
     */
    public static int opusSamples(byte[] packet) {
        return OpusFormat.ticks(packet);
    }

    /** A new depacketizer for one incoming stream of {@code codec}. */
    public static Depacketizer depacketizer(Codec codec) {
        return switch (codec) {
            case OPUS -> OpusFormat.create();
            case PCMU, PCMA -> G711Format.of(codec);
            case G722 -> G722Format.create();
            case TELEPHONE_EVENT -> TelephoneEventFormat.depacketizer();
            case VP8 -> Vp8Format.depacketizer();
            case VP9 -> Vp9Format.depacketizer();
            case H264 -> H264Format.depacketizer();
            case H265 -> H265Format.depacketizer();
            case AV1 -> Av1Format.depacketizer();
        };
    }

    /**
     * An H.264 depacketizer that starts with the SDP's {@code sprop-parameter-sets} (decoded SPS and PPS), which
     * it puts before a key frame that arrives without its own.
     */
    public static Depacketizer h264Depacketizer(byte[]... spropParameterSets) {
        return H264Format.depacketizer(spropParameterSets);
    }

    /** An H.265 depacketizer that starts with the SDP's sprop-vps, sprop-sps and sprop-pps (decoded). */
    public static Depacketizer h265Depacketizer(byte[]... spropParameterSets) {
        return H265Format.depacketizer(spropParameterSets);
    }
}
