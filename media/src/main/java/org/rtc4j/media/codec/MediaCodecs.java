package org.rtc4j.media.codec;

import org.rtc4j.rtp.Codec;

/**
 * The encoders this module has, by codec: what a sender picks once the negotiation settled a codec. H.264 needs
 * JCodec on the class path and Opus needs rtc4j's codec-opus (both optional dependencies, see the package comment); G.711
 * and VP8 (module codec-vp8, ours) need nothing.
 */
public final class MediaCodecs {

    /** The video bit rate an encoder starts at when nothing limits it (libwebrtc starts lower and ramps up). */
    public static final int DEFAULT_VIDEO_BITRATE = 1_000_000;

    // Looked up once: senders ask for every frame.
    private static final boolean JCODEC = present("org.jcodec.codecs.h264.H264Encoder");
    private static final boolean OPUS_CODEC = present("org.rtc4j.codec.opus.internal.OpusEncoder");

    private MediaCodecs() {
    }

    /** Whether raw media can be encoded to {@code codec} here (its library is present). */
    public static boolean canEncode(Codec codec) {
        return switch (codec) {
            case H264 -> JCODEC;
            case OPUS -> OPUS_CODEC;
            case PCMU, PCMA, VP8 -> true;
            default -> false;
        };
    }

    /**
     * A new encoder of raw pictures to {@code codec}, holding {@code bitsPerSecond}.
     *
     * @throws IllegalArgumentException when {@link #canEncode} says no, or for an audio codec
     */
    public static VideoEncoder videoEncoder(Codec codec, int bitsPerSecond) {
        if (codec == Codec.H264 && canEncode(codec)) {
            return new H264Encoder(bitsPerSecond);
        }
        if (codec == Codec.VP8) {
            return new Vp8Encoder(bitsPerSecond);
        }
        throw new IllegalArgumentException("no video encoder for " + codec);
    }

    /**
     * A new encoder of raw audio to {@code codec}: Opus with WebRTC's voice settings (mono, 20 ms, in-band FEC),
     * G.711 in RFC 3551's 20 ms packets.
     *
     * @throws IllegalArgumentException when {@link #canEncode} says no, or for a video codec
     */
    public static AudioEncoder audioEncoder(Codec codec) {
        if (!codec.isVideo() && canEncode(codec)) {
            return codec == Codec.OPUS ? new OpusEncoder(OpusSettings.voiceDefaults()) : new G711Encoder(codec, 20);
        }
        throw new IllegalArgumentException("no audio encoder for " + codec);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, MediaCodecs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
