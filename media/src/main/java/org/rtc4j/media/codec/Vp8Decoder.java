package org.rtc4j.media.codec;

import java.util.List;
import java.util.Optional;
import org.rtc4j.codec.vp8.Vp8DecodeException;
import org.rtc4j.codec.vp8.Vp8Frame;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.internal.RtpTime;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * VP8 decoding (RFC 6386) on rtc4j's own pure-Java decoder (module {@code org.rtc4j.codec.vp8}, bit-exact with
 * libvpx): the frames browsers send by default, as I420. VP8 has no reordering, so each shown frame gives one
 * picture at once; a hidden frame (an alternate reference) gives none.
 *
 * <p>Hostile input: a corrupt or truncated frame, an inter frame before any key frame, and a frame larger than
 * the size given at construction are refused with {@link IllegalArgumentException} and counted; the decoder then
 * waits for the next key frame (ask the sender for one: RTCP PLI). Memory is bounded by that largest size.
 */
public final class Vp8Decoder implements VideoDecoder {

    private final org.rtc4j.codec.vp8.Vp8Decoder decoder;
    private final RtpTime clock = new RtpTime(Codec.VP8.clockRate());
    private long malformed;

    /** A decoder for pictures of up to 3840x2160 (what browsers send at most today). */
    public Vp8Decoder() {
        this(3840, 2160);
    }

    /** A decoder for pictures of up to maxWidth x maxHeight (at most 16383 each). */
    public Vp8Decoder(int maxWidth, int maxHeight) {
        decoder = new org.rtc4j.codec.vp8.Vp8Decoder(maxWidth, maxHeight);
    }

    @Override
    public Codec codec() {
        return Codec.VP8;
    }

    /** Frames refused. */
    public long malformed() {
        return malformed;
    }

    @Override
    public List<VideoFrame> decode(EncodedFrame frame) {
        if (frame.codec() != Codec.VP8) {
            throw new IllegalArgumentException("not VP8: " + frame);
        }
        long micros = clock.micros(frame.timestamp());
        Optional<Vp8Frame> picture;
        try {
            picture = decoder.decode(frame.data());
        } catch (Vp8DecodeException e) {
            malformed++;
            throw new IllegalArgumentException("undecodable VP8 frame (" + frame.data().length + " bytes): "
                    + e.getMessage() + "; waiting for a key frame", e);
        }
        return picture.map(p -> List.of(toVideoFrame(p, micros))).orElse(List.of());
    }

    @Override
    public List<VideoFrame> flush() {
        return List.of();   // nothing is ever held back
    }

    private static VideoFrame toVideoFrame(Vp8Frame p, long micros) {
        byte[] y = new byte[p.y().remaining()];
        byte[] u = new byte[p.u().remaining()];
        byte[] v = new byte[p.v().remaining()];
        p.y().get(y);
        p.u().get(u);
        p.v().get(v);
        return new VideoFrame(p.width(), p.height(), y, p.yStride(), u, p.uvStride(), v, p.uvStride(), micros, 0);
    }
}
