package org.rtc4j.codec.opus.internal;

/*
 * rtc4j's own code (BSD-3-Clause like the rest of this module), written after the behaviour of libopus 1.2's
 * leakage model (libopus commit 0cc4d965): no libopus code. Concentus is libopus 1.1, which lacks it.
 *
 * The CELT encoder's dynamic allocation boosts bands whose energy stands out from their neighbours. Next to a strong
 * tonal peak that is not enough: the peak's quantisation noise spreads into the weaker bands beside it (they need
 * more bits to stay above it), and the peak itself needs more bits so that its own noise does not leak into them.
 * libopus 1.2 measures this on 50 Hz bins of the last 20 ms and adds the result to the dynalloc follower of the
 * first 19 CELT bands. Concentus's own tonality analysis has 100 Hz bins and is off by default, so this model
 * computes its own spectrum: a 960-point DFT (sin^2 window, 50 Hz bins at 48 kHz) of the channels' sum, band
 * energies on the CELT band edges up to 12 kHz, then a spread of each band's level to its neighbours at a fixed slope
 * per bin, from below and from above. A band under its neighbours' spread, or over it by more than the offset,
 * gets the difference as its boost, in 1/64 of a log2 amplitude step (AnalysisInfo.leak_boost).
 */
final class LeakageModel {

    static final int BANDS = AnalysisInfo.LEAK_BANDS;
    private static final int N = 960;        // 20 ms at 48 kHz: 50 Hz bins
    private static final int BINS = 240;     // up to 12 kHz, the 19th CELT band's top
    // The first 19 CELT band edges (multiples of 200 Hz) in 50 Hz bins; band 0 starts at DC.
    private static final int[] EDGES = {4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 136, 160, 192, 240};
    private static final float OFFSET = 2.5f;            // how far a band may stand out before it is boosted
    private static final float SLOPE_PER_BIN = 2f / 4;   // how fast a band's spread falls with distance
    // Puts a full-scale 16-bit sine's band energy near 2^0, so that the +1e-10 floor only matters in silence.
    private static final double SCALE = Math.pow(2, -49.6);
    private static final float[] WINDOW = new float[N];
    // The DFT as 15 radix-2 FFTs of 64 points (every 15th sample) combined by 15-point DFTs (Cooley-Tukey,
    // 960 = 64 x 15); bin k1 + 64 k2 needs k2 < 4 only, as BINS = 240 <= 256.
    private static final int N1 = 64;
    private static final int N2 = 15;
    private static final int K2 = (BINS + N1 - 1) / N1;
    private static final float[] COS = new float[N];   // cos and sin of 2 pi i / N
    private static final float[] SIN = new float[N];
    private static final int[] BIT_REVERSED = new int[N1];

    static {
        for (int i = 0; i < N; i++) {
            double s = Math.sin(Math.PI * (i + .5) / N);
            WINDOW[i] = (float) (s * s);
            COS[i] = (float) Math.cos(2 * Math.PI * i / N);
            SIN[i] = (float) Math.sin(2 * Math.PI * i / N);
        }
        for (int i = 0; i < N1; i++) {
            BIT_REVERSED[i] = Integer.reverse(i) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(N1));
        }
    }

    private final float[] history = new float[N];   // the channels' sum, oldest first
    private final float[] re = new float[N];        // re[n2 * N1 + k1]: the 64-point FFTs, then twiddled
    private final float[] im = new float[N];
    private final float[] binEnergy = new float[BINS];
    private final float[] level = new float[BANDS];
    private final float[] from = new float[BANDS];
    private final float[] to = new float[BANDS];
    private final int[] boost = new int[BANDS];
    private int fresh;       // samples added since the boost was last computed
    private int filled;      // samples in history, up to N
    private boolean valid;

    void reset() {
        java.util.Arrays.fill(history, 0);
        fresh = 0;
        filled = 0;
        valid = false;
    }

    /** Adds one frame of input and hands the boost for it to the CELT encoder through {@code info}. */
    void analyse(short[] pcm, int ptr, int frameSize, int channels, AnalysisInfo info) {
        int n = Math.min(frameSize, N);
        int skip = frameSize - n;
        System.arraycopy(history, n, history, 0, N - n);
        for (int i = 0; i < n; i++) {
            int at = ptr + (skip + i) * channels;
            float v = 0;
            for (int c = 0; c < channels; c++) {
                v += pcm[at + c];
            }
            history[N - n + i] = v;
        }
        filled = Math.min(N, filled + n);
        fresh += n;
        // Once per 10 ms at most: shorter frames take the last boost (the spectrum of 20 ms changes slowly).
        if (filled == N && (fresh >= N / 2 || !valid)) {
            compute();
            fresh = 0;
            valid = true;
        }
        info.leak_valid = valid;
        System.arraycopy(boost, 0, info.leak_boost, 0, BANDS);
    }

    private void compute() {
        spectrum();
        int band = 0;
        double energy = 0;
        for (int k = 0; k < BINS; k++) {
            energy += binEnergy[k] * SCALE;
            if (k + 1 == EDGES[band]) {
                level[band++] = (float) (.5 * Math.log(energy + 1e-10) / Math.log(2));
                energy = 0;
            }
        }
        from[0] = level[0];
        to[0] = level[0] - OFFSET;
        for (int b = 1; b < BANDS; b++) {
            float slope = SLOPE_PER_BIN * (EDGES[b] - EDGES[b - 1]);
            from[b] = Math.min(from[b - 1] + slope, level[b]);
            to[b] = Math.max(to[b - 1] - slope, level[b] - OFFSET);
        }
        for (int b = BANDS - 3; b >= 0; b--) {
            float slope = SLOPE_PER_BIN * (EDGES[b + 1] - EDGES[b]);
            from[b] = Math.min(from[b + 1] + slope, from[b]);
            to[b] = Math.max(to[b + 1] - slope, to[b]);
        }
        for (int b = 0; b < BANDS; b++) {
            float gap = Math.max(0, to[b] - level[b]) + Math.max(0, level[b] - (from[b] + OFFSET));
            boost[b] = Math.min(255, (int) Math.floor(.5 + 64f * gap));
        }
    }

    /** binEnergy[k] = |X[k]|^2 of the windowed history's DFT, k < BINS. */
    void spectrum() {
        for (int n2 = 0; n2 < N2; n2++) {
            int row = n2 * N1;
            for (int n1 = 0; n1 < N1; n1++) {
                int t = N2 * n1 + n2;
                re[row + BIT_REVERSED[n1]] = history[t] * WINDOW[t];
                im[row + BIT_REVERSED[n1]] = 0;
            }
            fft64(row);
            for (int k1 = 1; k1 < N1; k1++) {   // twiddle W_N^(n2 k1)
                int w = n2 * k1;
                float c = COS[w];
                float s = SIN[w];
                float r = re[row + k1];
                float i = im[row + k1];
                re[row + k1] = r * c + i * s;
                im[row + k1] = i * c - r * s;
            }
        }
        for (int k1 = 0; k1 < N1; k1++) {
            for (int k2 = 0; k2 < K2 && k1 + N1 * k2 < BINS; k2++) {
                float sr = 0;
                float si = 0;
                int w = 0;
                int step = N1 * k2;   // W_15^(n2 k2) = W_N^(64 n2 k2)
                for (int n2 = 0; n2 < N2; n2++) {
                    float c = COS[w];
                    float s = SIN[w];
                    float r = re[n2 * N1 + k1];
                    float i = im[n2 * N1 + k1];
                    sr += r * c + i * s;
                    si += i * c - r * s;
                    w += step;
                    if (w >= N) {
                        w -= N;
                    }
                }
                binEnergy[k1 + N1 * k2] = sr * sr + si * si;
            }
        }
    }

    /** In-place radix-2 FFT of re/im[row, row + 64), input in bit-reversed order. */
    private void fft64(int row) {
        for (int half = 1; half < N1; half <<= 1) {
            int stride = N / (2 * half);   // W_(2 half)^j = W_N^(j stride)
            for (int start = 0; start < N1; start += 2 * half) {
                for (int j = 0; j < half; j++) {
                    int a = row + start + j;
                    int b = a + half;
                    float c = COS[j * stride];
                    float s = SIN[j * stride];
                    float br = re[b] * c + im[b] * s;
                    float bi = im[b] * c - re[b] * s;
                    re[b] = re[a] - br;
                    im[b] = im[a] - bi;
                    re[a] += br;
                    im[a] += bi;
                }
            }
        }
    }

    /** For tests: fills the history with {@code samples} (N of them) as if fed in. */
    void load(float[] samples) {
        System.arraycopy(samples, 0, history, 0, N);
    }

    float binEnergy(int k) {
        return binEnergy[k];
    }
}
