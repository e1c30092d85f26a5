package org.rtc4j.media.codec.internal;

/**
 * A windowed-sinc low-pass filter laid out for rational resampling by {@code up / down} (the rates divided by
 * their greatest common divisor): one row of taps per output phase, as in a polyphase interpolator
 * (Crochiere and Rabiner, "Multirate Digital Signal Processing", 1983, chapter 3).
 *
 * <p>The prototype is an ideal low-pass (sinc) cut off at 0.46 of the lower of the two rates, shaped by a Kaiser
 * window with beta 9 (about 90 dB of stop-band rejection). It spans {@value #HALF_TAPS} input samples each side
 * of the output instant when upsampling, stretched by {@code down / up} when downsampling so that the cut-off
 * follows the output's Nyquist frequency: at 48 kHz the pass band reaches about 20 kHz, and nothing above the
 * target's Nyquist frequency folds back. Phases beyond {@value #MAX_PHASES} (rates with a large least common
 * multiple, say 44 099 to 48 000) are rounded to the nearest of that many: the timing error, under 1/8192 of an
 * input sample, is far below the 16-bit noise floor at audio frequencies.
 */
public final class PolyphaseFilter {

    static final int HALF_TAPS = 32;
    static final int MAX_PHASES = 4096;
    private static final double CUTOFF = 0.46;
    private static final double KAISER_BETA = 9.0;

    private final int halfWidth;    // input samples each side of the output instant
    private final int taps;         // 2 * halfWidth
    private final int phases;
    private final int up;
    private final float[] coefficients;   // phases rows of taps

    public PolyphaseFilter(int up, int down) {
        if (up < 1 || down < 1) {
            throw new IllegalArgumentException(up + "/" + down);
        }
        this.up = up;
        double stretch = Math.max(1.0, (double) down / up);
        this.halfWidth = (int) Math.ceil(HALF_TAPS * stretch);
        this.taps = 2 * halfWidth;
        this.phases = Math.min(up, MAX_PHASES);
        this.coefficients = new float[phases * taps];
        double cutoff = CUTOFF / stretch;   // cycles per input sample
        double i0Beta = besselI0(KAISER_BETA);
        for (int p = 0; p < phases; p++) {
            double frac = (double) p / phases;   // output instant, in input samples past the row's centre tap
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                // Tap k multiplies input sample (centre - halfWidth + 1 + k).
                double t = (k - halfWidth + 1) - frac;
                double x = t / halfWidth;
                double window = Math.abs(x) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / i0Beta;
                double sinc = t == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
                double c = sinc * window;
                coefficients[p * taps + k] = (float) c;
                sum += c;
            }
            // Unity gain at DC for every phase, so a constant stays constant (no phase-dependent ripple).
            for (int k = 0; k < taps; k++) {
                coefficients[p * taps + k] = (float) (coefficients[p * taps + k] / sum);
            }
        }
    }

    /** Taps per output sample; the filter reads input samples {@code first .. first + taps() - 1}. */
    public int taps() {
        return taps;
    }

    /** Input samples each side of an output instant: the filter's delay. */
    public int halfWidth() {
        return halfWidth;
    }

    /**
     * One output sample of the channel at {@code channel} of {@code in} (interleaved, {@code channels} wide): the
     * output instant lies {@code num / up} of the way from input frame {@code first + halfWidth - 1} to the next.
     * The caller guarantees frames {@code first .. first + taps()} exist.
     */
    public float apply(float[] in, int first, int channels, int channel, int num) {
        int p = phases == up ? num : (int) Math.round((double) num * phases / up);
        if (p == phases) {   // rounds onto the next input sample
            p = 0;
            first++;
        }
        int row = p * taps;
        int i = first * channels + channel;
        float acc = 0;
        for (int k = 0; k < taps; k++, i += channels) {
            acc += in[i] * coefficients[row + k];
        }
        return acc;
    }

    // The modified Bessel function of the first kind, order 0, by its power series (converges fast for x < 30).
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 50; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-12) {
                break;
            }
        }
        return sum;
    }
}
