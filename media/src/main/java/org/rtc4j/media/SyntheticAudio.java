package org.rtc4j.media;

/**
 * The synthetic microphone's sound, computed from the sample number alone: a steady sine tone (by default
 * 440 Hz at a tenth of full scale) and a beep of {@value #BEEP_HERTZ} Hz at half of full scale for the first
 * {@value #BEEP_MILLIS} ms of every second, so that a listener (or a program correlating it with the synthetic
 * camera's clock) can tell where each second starts. Every channel carries the same signal.
 */
public final class SyntheticAudio {
    // The tone restarts its phase each second: seamless for a whole number of hertz.

    public static final int BEEP_HERTZ = 1_000;
    public static final int BEEP_MILLIS = 100;
    private static final double TONE_LEVEL = 0.1 * 32767;
    private static final double BEEP_LEVEL = 0.5 * 32767;

    private final int sampleRate;
    private final int channels;
    private final double toneHertz;

    public SyntheticAudio(int sampleRate, int channels, double toneHertz) {
        if (sampleRate < 1 || sampleRate > AudioFrame.MAX_SAMPLE_RATE || channels < 1
                || channels > AudioFrame.MAX_CHANNELS || !(toneHertz > 0)) {
            throw new IllegalArgumentException("bad synthetic audio " + sampleRate + " Hz x" + channels + " tone "
                    + toneHertz);
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.toneHertz = toneHertz;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Samples {@code first} to {@code first + count - 1} (per channel), at time {@code first / sampleRate}. */
    public AudioFrame frame(long first, int count) {
        short[] s = new short[Math.multiplyExact(count, channels)];
        long beepSamples = (long) sampleRate * BEEP_MILLIS / 1_000;
        for (int i = 0; i < count; i++) {
            long n = first + i;
            // Phase from the sample number modulo one second keeps the argument small (no drift over hours).
            double t = (double) Math.floorMod(n, (long) sampleRate) / sampleRate;
            double x = TONE_LEVEL * Math.sin(2 * Math.PI * toneHertz * t);
            if (Math.floorMod(n, (long) sampleRate) < beepSamples) {
                x += BEEP_LEVEL * Math.sin(2 * Math.PI * BEEP_HERTZ * t);
            }
            short v = (short) Math.round(x);
            for (int c = 0; c < channels; c++) {
                s[i * channels + c] = v;
            }
        }
        return new AudioFrame(s, sampleRate, channels, first * 1_000_000L / sampleRate);
    }

    /** True when sample {@code n} lies in a beep. */
    public boolean inBeep(long n) {
        return Math.floorMod(n, (long) sampleRate) < (long) sampleRate * BEEP_MILLIS / 1_000;
    }
}
