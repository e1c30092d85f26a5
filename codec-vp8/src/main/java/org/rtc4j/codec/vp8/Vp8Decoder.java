package org.rtc4j.codec.vp8;

import java.util.Optional;
import org.rtc4j.codec.vp8.internal.FrameDecoder;
import org.rtc4j.codec.vp8.internal.Vp8Error;

/**
 * Decodes a VP8 stream (RFC 6386), one compressed frame at a time, into I420 frames bit-exact
 * with libvpx. Not thread-safe. A frame that cannot be decoded is reported with
 * {@link Vp8DecodeException}; the decoder then drops frames until the next key frame. Memory is
 * bounded by the largest frame size given at construction.
 */
public final class Vp8Decoder {

    private final FrameDecoder decoder;

    /** A decoder for frames of at most 1920x1088 pixels. */
    public Vp8Decoder() {
        this(1920, 1088);
    }

    /** A decoder for frames of at most maxWidth x maxHeight pixels (at most 16383 each). */
    public Vp8Decoder(int maxWidth, int maxHeight) {
        decoder = new FrameDecoder(maxWidth, maxHeight);
    }

    /**
     * Decodes one compressed frame. Returns the picture to show, or empty for a frame that is
     * decoded but not shown (an alternate reference frame).
     */
    public Optional<Vp8Frame> decode(byte[] data, int offset, int length) throws Vp8DecodeException {
        try {
            decoder.decode(data, offset, length);
        } catch (Vp8Error e) {
            throw new Vp8DecodeException(e.getMessage());
        }
        if (!decoder.shown()) {
            return Optional.empty();
        }
        return Optional.of(decoder.output());
    }

    public Optional<Vp8Frame> decode(byte[] data) throws Vp8DecodeException {
        return decode(data, 0, data.length);
    }
}
