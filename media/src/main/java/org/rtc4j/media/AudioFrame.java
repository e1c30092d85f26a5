package org.rtc4j.media;

import java.util.Objects;

/**
 * A run of raw audio: signed 16-bit PCM, channels interleaved (left, right, left, ... for stereo), as
 * microphones, decoders and WAV readers produce it and encoders, sinks and writers take it.
 *
 * <p>Ownership: the frame owns {@code samples}. It is not copied on construction or on access; whoever builds a
 * frame gives the array up, and nobody writes to it afterwards. A producer that reuses buffers must copy
 * ({@link #copy()}) before handing a frame out.
 *
 * @param samples         interleaved samples; length a multiple of {@code channels}
 * @param sampleRate      samples per second per channel, 1 to {@value #MAX_SAMPLE_RATE}
 * @param channels        1 to {@value #MAX_CHANNELS}
 * @param timestampMicros time of the first sample, in microseconds, on the producer's clock
 */
public record AudioFrame(short[] samples, int sampleRate, int channels, long timestampMicros)
        implements MediaFrame {

    public static final int MAX_SAMPLE_RATE = 768_000;
    public static final int MAX_CHANNELS = 255;

    public AudioFrame {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("bad sample rate " + sampleRate);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("bad channel count " + channels);
        }
        if (samples.length % channels != 0) {
            throw new IllegalArgumentException(samples.length + " samples do not split into " + channels
                    + " channels");
        }
    }

    /** Samples per channel (one "frame" in the PCM sense per instant). */
    public int samplesPerChannel() {
        return samples.length / channels;
    }

    /** How long this frame plays, in microseconds (rounded down). */
    public long durationMicros() {
        return samplesPerChannel() * 1_000_000L / sampleRate;
    }

    /** Sample {@code index} (per channel) of {@code channel}. */
    public short sample(int index, int channel) {
        Objects.checkIndex(channel, channels);
        return samples[Objects.checkIndex(index, samplesPerChannel()) * channels + channel];
    }

    /** Digital silence of the given length, as disabled tracks send. */
    public static AudioFrame silence(int sampleRate, int channels, int samplesPerChannel, long timestampMicros) {
        return new AudioFrame(new short[Math.multiplyExact(samplesPerChannel, channels)], sampleRate, channels,
                timestampMicros);
    }

    /** A frame from little-endian 16-bit PCM bytes (WAV's {@code s16le}), copied. */
    public static AudioFrame fromLittleEndian(byte[] pcm, int offset, int length, int sampleRate, int channels,
                                              long timestampMicros) {
        Objects.checkFromIndexSize(offset, length, pcm.length);
        if (length % 2 != 0) {
            throw new IllegalArgumentException("odd byte count " + length);
        }
        short[] s = new short[length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((pcm[offset + 2 * i] & 0xFF) | (pcm[offset + 2 * i + 1] << 8));
        }
        return new AudioFrame(s, sampleRate, channels, timestampMicros);
    }

    /** The samples as little-endian 16-bit PCM bytes, in a new array. */
    public byte[] toLittleEndian() {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    /** A deep copy owning a new array. */
    public AudioFrame copy() {
        return new AudioFrame(samples.clone(), sampleRate, channels, timestampMicros);
    }

    /** The same samples (shared) at another time. */
    public AudioFrame withTimestamp(long micros) {
        return new AudioFrame(samples, sampleRate, channels, micros);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioFrame f && sampleRate == f.sampleRate && channels == f.channels
                && timestampMicros == f.timestampMicros && java.util.Arrays.equals(samples, f.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleRate, channels, timestampMicros, java.util.Arrays.hashCode(samples));
    }

    @Override
    public String toString() {
        return "PCM " + sampleRate + " Hz x" + channels + " " + samplesPerChannel() + " samples t="
                + timestampMicros + "us";
    }
}
