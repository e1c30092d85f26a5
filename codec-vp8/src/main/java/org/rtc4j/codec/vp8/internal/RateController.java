package org.rtc4j.codec.vp8.internal;

/**
 * Holds a target bit rate with a leaky-bucket buffer model: each frame gets the per-frame budget
 * less a share of the bits overspent so far, and the quantizer index is chosen from a model of
 * bits = complexity / step size, one complexity per kind of frame (key, then each temporal
 * layer), learned from the frames already coded. A frame's budget is the target rate times the
 * time it is shown for: the nominal frame interval, or what the caller's timestamps say.
 */
public final class RateController {

    private static final int MIN_Q = 4;
    private static final int MAX_Q = 127;
    /** Share of the buffer's excess paid back by each frame. */
    private static final double PAYBACK = 0.15;

    private final double frameRate;
    private double targetBitrate;
    /** Bits spent beyond the budget so far (negative when under). */
    private double buffer;
    /** Bits times step size, by kind of frame; 0 until learned. */
    private final double[] complexity = new double[4];
    private final int pixels;

    public RateController(int width, int height, double frameRate, int targetBitrate) {
        this.pixels = width * height;
        this.frameRate = frameRate;
        setTargetBitrate(targetBitrate);
    }

    public void setTargetBitrate(int bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("bit rate must be positive");
        }
        targetBitrate = bitsPerSecond;
    }

    public int targetBitrate() {
        return (int) targetBitrate;
    }

    /** The nominal time between frames, in seconds. */
    public double frameSeconds() {
        return 1 / frameRate;
    }

    private double frameBudget(double seconds) {
        return targetBitrate * seconds;
    }

    /**
     * The quantizer index for the next frame, shown for {@code seconds}; kind 0 is a key frame,
     * 1 + layer an inter frame.
     */
    public int chooseQ(int kind, double seconds) {
        double budget = frameBudget(seconds);
        // Key frames get several frames' worth: they code everything from scratch.
        double want = kind == 0 ? budget * 6 : budget - PAYBACK * buffer;
        want = Math.max(want, budget * 0.25);
        double c = complexity[kind];
        if (c == 0) {
            c = kind == 0 ? pixels * 40.0 : complexity[0] != 0 ? complexity[0] / 6 : pixels * 8.0;
        }
        for (int q = MIN_Q; q < MAX_Q; q++) {
            if (c / Tables.AC_Q[q] <= want) {
                return q;
            }
        }
        return MAX_Q;
    }

    /** Records the size of a coded frame of the given kind and quantizer index, shown for seconds. */
    public void update(int kind, int q, int bytes, double seconds) {
        double bits = bytes * 8.0;
        buffer += bits - frameBudget(seconds);
        // Not let a long quiet stretch bank unbounded credit (over a second's worth) for a later burst.
        buffer = Math.max(buffer, -targetBitrate);
        double c = bits * Tables.AC_Q[q];
        complexity[kind] = complexity[kind] == 0 ? c : 0.5 * complexity[kind] + 0.5 * c;
    }
}
