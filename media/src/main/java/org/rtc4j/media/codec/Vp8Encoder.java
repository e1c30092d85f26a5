package org.rtc4j.media.codec;

import org.rtc4j.codec.vp8.Vp8EncodedFrame;
import org.rtc4j.codec.vp8.Vp8Frame;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.internal.RtpTime;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * VP8 encoding (RFC 6386) on rtc4j's own pure-Java real-time encoder (module {@code org.rtc4j.codec.vp8}), for
 * sending raw video that every browser decodes. Each picture becomes one VP8 frame; the bit rate is held by the
 * encoder's rate controller, each picture's share being the time until the next (from the timestamps), so a
 * camera that slows down does not overspend.
 *
 * <p>Key frames: the first picture, a change of size, and {@link #requestKeyFrame()}. With temporal layers (2 or
 * 3) each frame carries its layer ({@link EncodedFrame#temporalLayer()}), and a forwarder may drop the upper
 * ones; error-resilient mode makes every frame decodable after the loss of any frame a forwarder may drop.
 */
public final class Vp8Encoder implements VideoEncoder {

    private static final double NOMINAL_FRAME_RATE = 30;

    private final int temporalLayers;
    private final boolean errorResilient;
    private int bitrate;
    private org.rtc4j.codec.vp8.Vp8Encoder encoder;
    private boolean keyRequested = true;
    private boolean started;
    private long lastMicros;
    private double lastSeconds = 1 / NOMINAL_FRAME_RATE;

    /** A single-layer encoder holding {@code bitrate} bits per second. */
    public Vp8Encoder(int bitrate) {
        this(bitrate, 1, false);
    }

    /** An encoder of 1 to 3 temporal layers, error resilient or not. */
    public Vp8Encoder(int bitrate, int temporalLayers, boolean errorResilient) {
        if (temporalLayers < 1 || temporalLayers > 3) {
            throw new IllegalArgumentException("1 to 3 temporal layers, not " + temporalLayers);
        }
        setTargetBitrate(bitrate);
        this.temporalLayers = temporalLayers;
        this.errorResilient = errorResilient;
    }

    @Override
    public Codec codec() {
        return Codec.VP8;
    }

    @Override
    public void requestKeyFrame() {
        keyRequested = true;
    }

    @Override
    public void setTargetBitrate(int bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("bit rate must be positive: " + bitsPerSecond);
        }
        bitrate = bitsPerSecond;
        if (encoder != null) {
            encoder.setTargetBitrate(bitsPerSecond);
        }
    }

    @Override
    public int targetBitrate() {
        return bitrate;
    }

    /** Never {@code null}: at its coarsest quantiser VP8 still codes a picture in a few hundred bytes. */
    @Override
    public EncodedFrame encode(VideoFrame frame) {
        if (encoder == null || encoder.width() != frame.width() || encoder.height() != frame.height()) {
            encoder = new org.rtc4j.codec.vp8.Vp8Encoder(frame.width(), frame.height(), bitrate, NOMINAL_FRAME_RATE,
                    temporalLayers, errorResilient);
            keyRequested = true;
        }
        long micros = frame.timestampMicros();
        double seconds = started ? (micros - lastMicros) / 1e6 : lastSeconds;
        // A stall or a jump in time is not a budget: keep the picture's share to what the frame rate gives.
        if (!(seconds > 0.001 && seconds < 1.0)) {
            seconds = lastSeconds;
        }
        lastSeconds = seconds;
        lastMicros = micros;
        started = true;
        Vp8EncodedFrame out = encoder.encode(planes(frame), keyRequested, seconds);
        keyRequested = false;
        return new EncodedFrame(Codec.VP8, out.data(), RtpTime.timestamp(micros, Codec.VP8.clockRate()),
                out.keyFrame(), out.temporalLayer(), 0);
    }

    // The encoder only reads the planes, so they are shared; VP8 pictures have one stride for both chroma planes.
    private static Vp8Frame planes(VideoFrame f) {
        if (f.strideU() == f.strideV()) {
            return new Vp8Frame(f.width(), f.height(), f.dataY(), f.strideY(), f.dataU(), f.dataV(), f.strideU());
        }
        int cw = f.chromaWidth();
        int ch = f.chromaHeight();
        byte[] u = new byte[cw * ch];
        byte[] v = new byte[cw * ch];
        for (int r = 0; r < ch; r++) {
            System.arraycopy(f.dataU(), r * f.strideU(), u, r * cw, cw);
            System.arraycopy(f.dataV(), r * f.strideV(), v, r * cw, cw);
        }
        return new Vp8Frame(f.width(), f.height(), f.dataY(), f.strideY(), u, v, cw);
    }
}
