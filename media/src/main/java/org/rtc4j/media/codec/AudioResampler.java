package org.rtc4j.media.codec;

import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.codec.internal.PolyphaseFilter;

/**
 * Converts a stream of audio to one sample rate and channel count: what the Opus encoder does to input that is
 * not already 48 kHz, and what brings G.711's 8 kHz mono to and from the 48 kHz stereo used inside.
 *
 * <p>Rates: any to any, by a polyphase windowed-sinc filter on the exact rational ratio (Kaiser window, pass band
 * to 0.46 of the lower rate, about 90 dB rejection; see {@code PolyphaseFilter}), not by interpolation between
 * neighbours, which would fold everything above the new Nyquist frequency back into the audible band.
 * Equal rates skip the filter. The filter looks ahead {@code halfWidth} input samples (0.7 ms from 48 kHz,
 * 4 ms from 8 kHz): output lags input by that much, and {@link #flush()} returns the rest at the end.
 *
 * <p>Channels, mixed before the filter: to mono, the average of all channels; from mono, the one channel
 * copied to each; many to stereo, the average of the even channels on the left and of the odd on the right;
 * otherwise channel {@code c} takes input channel {@code c} modulo the input's count.
 *
 * <p>Times: output timestamps continue from the first input frame's, by the samples produced; an input frame
 * more than {@value #GAP_MICROS} µs away from where the stream should be (a gap or a jump) starts over, dropping
 * the half-filter of samples in flight. A change of input rate starts over the same way. Not thread-safe.
 */
public final class AudioResampler {

    /** A timestamp this far from the expected one is a discontinuity. */
    public static final long GAP_MICROS = 20_000;

    private final int outRate;
    private final int outChannels;
    private int inRate;
    private PolyphaseFilter filter;
    private int up;
    private int down;
    private float[] buf = new float[0];
    private int held;      // frames in buf
    private int first;     // frame of buf where the next output's taps start
    private int num;       // the next output's phase, in 1/up of an input sample
    private long baseMicros;
    private long inFrames;
    private long outFrames;
    private boolean started;

    public AudioResampler(int outRate, int outChannels) {
        if (outRate < 1 || outRate > AudioFrame.MAX_SAMPLE_RATE || outChannels < 1
                || outChannels > AudioFrame.MAX_CHANNELS) {
            throw new IllegalArgumentException("bad output format " + outRate + " Hz x" + outChannels);
        }
        this.outRate = outRate;
        this.outChannels = outChannels;
    }

    public int outputRate() {
        return outRate;
    }

    public int outputChannels() {
        return outChannels;
    }

    /**
     * The converted audio available after {@code in}, or {@code null} while the filter is still filling. A frame
     * already in the output format passes through untouched (it is immutable) once the stream is aligned.
     */
    public AudioFrame process(AudioFrame in) {
        if (started && (in.sampleRate() != inRate
                || Math.abs(in.timestampMicros() - expectedInputMicros()) > GAP_MICROS)) {
            started = false;
        }
        if (!started) {
            start(in.sampleRate(), in.timestampMicros());
        }
        inFrames += in.samplesPerChannel();
        if (filter == null) {
            long ts = outputMicros();
            outFrames += in.samplesPerChannel();
            return in.channels() == outChannels ? in.withTimestamp(ts)
                    : new AudioFrame(toShorts(mix(in)), outRate, outChannels, ts);
        }
        append(mix(in), in.samplesPerChannel());
        return drain();
    }

    /** Everything still inside the filter, as if the input were followed by silence; then a fresh start. */
    public AudioFrame flush() {
        if (!started || filter == null) {
            started = false;
            return null;
        }
        long wanted = Math.ceilDiv(inFrames * up, down) - outFrames;
        append(new float[(filter.halfWidth() + 1) * outChannels], filter.halfWidth() + 1);
        AudioFrame out = drain();
        started = false;
        if (out == null || wanted <= 0) {
            return null;
        }
        int keep = (int) Math.min(wanted, out.samplesPerChannel());
        short[] s = java.util.Arrays.copyOf(out.samples(), keep * outChannels);
        return new AudioFrame(s, outRate, outChannels, out.timestampMicros());
    }

    private void start(int rate, long micros) {
        started = true;
        baseMicros = micros;
        inFrames = 0;
        outFrames = 0;
        if (rate != inRate) {
            inRate = rate;
            int g = gcd(rate, outRate);
            up = outRate / g;
            down = rate / g;
            filter = rate == outRate ? null : new PolyphaseFilter(up, down);
        }
        if (filter != null) {
            // Start with half a filter of silence, so output sample 0 sits on input sample 0.
            held = filter.halfWidth() - 1;
            buf = new float[Math.max(buf.length, (held + filter.taps() + 1) * outChannels)];
            java.util.Arrays.fill(buf, 0, held * outChannels, 0f);
            first = 0;
            num = 0;
        }
    }

    private long expectedInputMicros() {
        return baseMicros + inFrames * 1_000_000 / inRate;
    }

    private long outputMicros() {
        return baseMicros + outFrames * 1_000_000 / outRate;
    }

    // The input mixed to the output's channel count, as floats.
    private float[] mix(AudioFrame in) {
        int n = in.samplesPerChannel();
        int ic = in.channels();
        short[] s = in.samples();
        float[] out = new float[n * outChannels];
        if (ic == outChannels) {
            for (int i = 0; i < s.length; i++) {
                out[i] = s[i];
            }
        } else if (outChannels == 1) {
            for (int i = 0; i < n; i++) {
                float sum = 0;
                for (int c = 0; c < ic; c++) {
                    sum += s[i * ic + c];
                }
                out[i] = sum / ic;
            }
        } else if (outChannels == 2 && ic > 2) {
            int left = (ic + 1) / 2;
            int right = ic / 2;
            for (int i = 0; i < n; i++) {
                float l = 0;
                float r = 0;
                for (int c = 0; c < ic; c++) {
                    if ((c & 1) == 0) {
                        l += s[i * ic + c];
                    } else {
                        r += s[i * ic + c];
                    }
                }
                out[2 * i] = l / left;
                out[2 * i + 1] = r / right;
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < outChannels; c++) {
                    out[i * outChannels + c] = s[i * ic + c % ic];
                }
            }
        }
        return out;
    }

    private void append(float[] samples, int frames) {
        int need = (held + frames) * outChannels;
        if (need > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
        System.arraycopy(samples, 0, buf, held * outChannels, frames * outChannels);
        held += frames;
    }

    private AudioFrame drain() {
        int taps = filter.taps();
        // Each output needs taps + 1 input frames from its first (one more when its phase rounds up).
        int f = first;
        int n = num;
        short[] out = null;
        int count = 0;
        while (f + taps + 1 <= held) {
            if (out == null) {
                long est = ((long) (held - first) * up) / down + 2;
                out = new short[(int) Math.min(est, Integer.MAX_VALUE / 4) * outChannels];
            }
            if ((count + 1) * outChannels > out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            for (int c = 0; c < outChannels; c++) {
                out[count * outChannels + c] = clip(filter.apply(buf, f, outChannels, c, n));
            }
            count++;
            n += down;
            f += n / up;
            n %= up;
        }
        // Keep only what later outputs still need.
        System.arraycopy(buf, f * outChannels, buf, 0, (held - f) * outChannels);
        held -= f;
        first = 0;
        num = n;
        if (count == 0) {
            return null;
        }
        long ts = outputMicros();
        outFrames += count;
        return new AudioFrame(java.util.Arrays.copyOf(out, count * outChannels), outRate, outChannels, ts);
    }

    private static short[] toShorts(float[] f) {
        short[] s = new short[f.length];
        for (int i = 0; i < f.length; i++) {
            s[i] = clip(f[i]);
        }
        return s;
    }

    private static short clip(float v) {
        int r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
