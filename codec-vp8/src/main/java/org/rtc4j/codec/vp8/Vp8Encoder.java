package org.rtc4j.codec.vp8;

import org.rtc4j.codec.vp8.internal.FrameEncoder;
import org.rtc4j.codec.vp8.internal.RateController;

/**
 * A real-time VP8 encoder (RFC 6386) for calls: key frames on request (as for a PLI), inter
 * frames predicted from the last frame (or, with temporal layers, from the last frame of a
 * lower layer), a rate controller holding a target bit rate that may change at any time, and an
 * error-resilient mode in which no frame depends on probabilities left by an earlier one. The
 * stream uses version 0 (six-tap filters, normal loop filter). Not thread-safe.
 */
public final class Vp8Encoder {

    private static final int LAST = 1;
    private static final int GOLDEN = 2;

    private final int width;
    private final int height;
    private final int temporalLayers;
    private final boolean errorResilient;
    private final FrameEncoder encoder;
    private final RateController rate;
    /** Frames since the last key frame, which restarts the layer pattern. */
    private long frameIndex;
    private boolean started;

    /**
     * An encoder for frames of width x height at frameRate frames a second, aiming at
     * targetBitrate bits a second, with 1 to 3 temporal layers.
     */
    public Vp8Encoder(int width, int height, int targetBitrate, double frameRate, int temporalLayers,
            boolean errorResilient) {
        if (temporalLayers < 1 || temporalLayers > 3) {
            throw new IllegalArgumentException("1 to 3 temporal layers, not " + temporalLayers);
        }
        if (!(frameRate > 0 && frameRate <= 1000)) {
            throw new IllegalArgumentException("bad frame rate " + frameRate);
        }
        this.width = width;
        this.height = height;
        this.temporalLayers = temporalLayers;
        this.errorResilient = errorResilient;
        encoder = new FrameEncoder(width, height);
        rate = new RateController(width, height, frameRate, targetBitrate);
    }

    /** A single-layer encoder, not error resilient. */
    public Vp8Encoder(int width, int height, int targetBitrate, double frameRate) {
        this(width, height, targetBitrate, frameRate, 1, false);
    }

    /** Changes the target bit rate from the next frame on (as a congestion controller does). */
    public void setTargetBitrate(int bitsPerSecond) {
        rate.setTargetBitrate(bitsPerSecond);
    }

    /** The bit rate aimed at, bits per second. */
    public int targetBitrate() {
        return rate.targetBitrate();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * Encodes one frame of the configured size, shown for the nominal frame interval; a key frame
     * when asked or when none was sent yet.
     */
    public Vp8EncodedFrame encode(Vp8Frame frame, boolean forceKeyFrame) {
        return encode(frame, forceKeyFrame, rate.frameSeconds());
    }

    /**
     * Encodes one frame shown for {@code seconds} (until the next frame; its share of the bit
     * rate), as a caller with timestamps from a camera knows it; otherwise as above.
     */
    public Vp8EncodedFrame encode(Vp8Frame frame, boolean forceKeyFrame, double seconds) {
        if (!(seconds > 0 && seconds <= 10)) {
            throw new IllegalArgumentException("frame duration " + seconds + " s");
        }
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height() + ", not "
                    + width + "x" + height);
        }
        encoder.setSource(frame.yPlane(), frame.yStride(), frame.uPlane(), frame.vPlane(), frame.uvStride());
        boolean key = forceKeyFrame || !started;
        if (key) {
            frameIndex = 0;
        }
        int layer = key ? 0 : layerOf(frameIndex);
        int kind = key ? 0 : 1 + layer;
        int q = rate.chooseQ(kind, seconds);
        int length;
        if (key) {
            length = encoder.encode(true, q, LAST, true, true, !errorResilient);
        } else {
            length = encodeLayer(layer, q);
        }
        rate.update(kind, q, length, seconds);
        started = true;
        frameIndex++;
        byte[] data = java.util.Arrays.copyOf(encoder.output(), length);
        return new Vp8EncodedFrame(data, key, layer);
    }

    /** Encodes I420 planes: w x h luma rows yStride apart, chroma rows uvStride apart. */
    public Vp8EncodedFrame encode(byte[] y, int yStride, byte[] u, byte[] v, int uvStride, boolean forceKeyFrame) {
        return encode(new Vp8Frame(width, height, y, yStride, u, v, uvStride), forceKeyFrame);
    }

    private int layerOf(long index) {
        return switch (temporalLayers) {
            case 1 -> 0;
            case 2 -> (int) (index & 1);
            default -> (index & 1) != 0 ? 2 : (index & 3) == 2 ? 1 : 0;
        };
    }

    /**
     * The layer pattern: layer 0 predicts from and refreshes LAST; with two layers, layer 1
     * predicts from LAST and refreshes nothing; with three, layer 1 (the middle frame of four)
     * predicts from LAST and refreshes GOLDEN, and layer 2 predicts from the newest of LAST and
     * GOLDEN it may use and refreshes nothing. A frame never references a higher layer.
     */
    private int encodeLayer(int layer, int q) {
        if (layer == 0) {
            return encoder.encode(false, q, LAST, true, false, !errorResilient);
        }
        // Probabilities of a frame a forwarder may drop must not outlive it.
        if (temporalLayers == 3 && layer == 1) {
            return encoder.encode(false, q, LAST, false, true, false);
        }
        int ref = temporalLayers == 3 && (frameIndex & 3) == 3 ? GOLDEN : LAST;
        return encoder.encode(false, q, ref, false, false, false);
    }

    /** What a decoder shows for the last encoded frame (for tests). */
    Vp8Frame reconstruction() {
        return encoder.reconstruction();
    }
}
