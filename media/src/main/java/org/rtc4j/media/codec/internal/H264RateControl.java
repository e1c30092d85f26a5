package org.rtc4j.media.codec.internal;

/**
 * Chooses a quantiser (QP) for each H.264 picture so that the stream holds a target bit rate, on top of JCodec,
 * which has none. Two parts, as in the classic MPEG-2 TM5 and x264 ABR controllers, kept small:
 * <ul>
 *   <li>A model of size against QP per picture type: H.264's quantiser step doubles every 6 QP (ITU-T H.264
 *       section 8.5.12), and bits fall roughly in proportion, so {@code bits = complexity * 2^(-qp/6)}; the
 *       complexity of I and P pictures is learnt from each encoded picture (a moving average).</li>
 *   <li>A virtual buffer (leaky bucket): it fills with each picture's bits and drains at the target rate over
 *       the picture's duration. Each picture aims at its share of the rate less the buffer's excess spread over
 *       {@value #CORRECTION_SECONDS} s, so the rate over any window longer than that stays on target.</li>
 * </ul>
 * The QP of P pictures moves at most {@value #MAX_STEP} a picture (no visible pumping). A coarser QP also skips
 * more macroblocks (P_Skip, {@code SkipDecision}), but a coded macroblock still costs some 20-50 bits even at
 * QP 51: when that is still too much, pictures are dropped ({@link #dropPicture}). Unused budget banks at
 * most half a second of bits, so a still scene does not earn a burst later, and none survives a change of the
 * target, which takes effect at once. Times come from the pictures' timestamps, never from a clock.
 */
public final class H264RateControl {

    public static final int MIN_QP = 10;
    public static final int MAX_QP = 51;
    static final double CORRECTION_SECONDS = 1.0;
    static final int MAX_STEP = 4;
    static final double DROP_SECONDS = 0.25;
    // An I picture's share of the budget, in P pictures (it costs several times more at the same QP).
    private static final double I_SHARE = 4;

    private int bitrate;
    private double fullness;     // bits above the target so far
    private double complexityI = -1;
    private double complexityP = -1;
    private int lastQp = 30;
    private int qp;
    private boolean intra;
    private double duration;
    private long dropped;

    public H264RateControl(int bitrate) {
        setBitrate(bitrate);
    }

    public void setBitrate(int bitsPerSecond) {
        if (bitsPerSecond < 10_000) {
            throw new IllegalArgumentException("bit rate below 10 kbit/s: " + bitsPerSecond);
        }
        if (bitsPerSecond != bitrate) {
            // Budget saved under the old target is not spent under the new one; a debt is still paid back.
            fullness = Math.max(0, fullness);
        }
        this.bitrate = bitsPerSecond;
    }

    public int bitrate() {
        return bitrate;
    }

    /**
     * Whether to drop the next (non-key) picture, of {@code seconds} duration: when the buffer holds more than
     * {@value #DROP_SECONDS} s of excess bits with the quantiser already at its coarsest, coding it could only
     * add more. A dropped picture drains the buffer by its share, as if sent empty.
     */
    public boolean dropPicture(double seconds) {
        if (lastQp >= MAX_QP && fullness > DROP_SECONDS * bitrate) {
            fullness -= bitrate * seconds;
            dropped++;
            return true;
        }
        return false;
    }

    /** Pictures dropped so far. */
    public long dropped() {
        return dropped;
    }

    /** The QP for the next picture, of {@code seconds} duration, intra or not. */
    public int startPicture(double seconds, boolean intra, int macroblocks) {
        this.intra = intra;
        this.duration = seconds;
        double share = bitrate * seconds;
        double target = share - fullness * seconds / CORRECTION_SECONDS;
        if (intra) {
            target += share * (I_SHARE - 1);
        }
        target = Math.max(target, share * 0.1);
        double c = intra ? complexityI : complexityP;
        int q;
        if (c < 0) {
            // Nothing learnt yet: guess from bits per pixel (about 0.1 bit/pixel at QP 30 for camera-like video).
            double bitsPerMb = target / macroblocks;
            q = (int) Math.round(30 - 6 * log2(bitsPerMb / (intra ? 80 : 25)));
        } else {
            q = (int) Math.round(6 * log2(c / target));
        }
        if (!intra && complexityP >= 0) {
            q = Math.max(lastQp - MAX_STEP, Math.min(lastQp + MAX_STEP, q));
        }
        qp = Math.max(MIN_QP, Math.min(MAX_QP, q));
        return qp;
    }

    /** What the picture started last cost, in bits. */
    public void endPicture(long bits) {
        double c = bits * Math.pow(2, qp / 6.0);
        if (intra) {
            complexityI = complexityI < 0 ? c : 0.5 * complexityI + 0.5 * c;
        } else {
            complexityP = complexityP < 0 ? c : 0.6 * complexityP + 0.4 * c;
            lastQp = qp;
        }
        if (intra && complexityP < 0) {
            lastQp = qp + 2;
        }
        fullness += bits - bitrate * duration;
        fullness = Math.max(fullness, -0.5 * bitrate);
    }

    /** Bits spent beyond the target so far (negative: under), bounded below by half a second's worth. */
    public double excessBits() {
        return fullness;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
