package org.rtc4j.media.codec;

import java.util.EnumMap;
import java.util.Map;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * A {@link MediaSink} that decodes: encoded frames of Opus, G.711 (µ-law, A-law), H.264 and VP8 reach the wrapped sink
 * as raw audio (PCM) and pictures (I420); raw frames pass straight through. This is how an application gets at
 * the frames a browser sends, for recording or analysis. One decoder per codec, made on first use; Opus decodes
 * to 48 kHz stereo, G.711 to 8 kHz mono.
 *
 * <p>Frames that do not decode (malformed, a delta frame before any key frame) and frames of codecs with no
 * decoder here (VP9, AV1, ...) are dropped and counted, never thrown into the source's thread.
 */
public final class DecodingSink implements MediaSink {

    private final MediaSink raw;
    private final Map<Codec, AudioDecoder> audio = new EnumMap<>(Codec.class);
    private final Map<Codec, VideoDecoder> video = new EnumMap<>(Codec.class);
    private long dropped;
    private long unsupported;

    public DecodingSink(MediaSink raw) {
        this.raw = raw;
    }

    /** Frames that failed to decode. */
    public long dropped() {
        return dropped;
    }

    /** Frames of a codec no decoder here handles. */
    public long unsupported() {
        return unsupported;
    }

    /** Whether frames of {@code codec} can be decoded here. */
    public static boolean canDecode(Codec codec) {
        return codec == Codec.OPUS || codec == Codec.PCMU || codec == Codec.PCMA || codec == Codec.H264
                || codec == Codec.VP8;
    }

    @Override
    public void onVideoFrame(VideoFrame frame) {
        raw.onVideoFrame(frame);
    }

    @Override
    public void onAudioFrame(AudioFrame frame) {
        raw.onAudioFrame(frame);
    }

    @Override
    public void onEncodedFrame(EncodedFrame frame) {
        Codec codec = frame.codec();
        if (!canDecode(codec)) {
            unsupported++;
            return;
        }
        try {
            if (codec.isVideo()) {
                for (VideoFrame f : video.computeIfAbsent(codec,
                        c -> c == Codec.H264 ? new H264Decoder() : new Vp8Decoder()).decode(frame)) {
                    raw.onVideoFrame(f);
                }
            } else {
                AudioDecoder d = audio.computeIfAbsent(codec,
                        c -> c == Codec.OPUS ? new OpusDecoder(2) : new G711Decoder(c));
                raw.onAudioFrame(d.decode(frame));
            }
        } catch (IllegalArgumentException e) {
            dropped++;
        }
    }
}
