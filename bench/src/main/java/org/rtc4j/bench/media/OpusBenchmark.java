package org.rtc4j.bench.media;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.codec.OpusDecoder;
import org.rtc4j.media.codec.OpusEncoder;
import org.rtc4j.media.codec.OpusSettings;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Opus on codec-opus (Concentus with libopus 1.2's leakage model), 48 kHz stereo, 64 kbit/s, complexity 10, 20 ms
 * frames, on a music-like signal (chords with vibrato, different on each side). Scores are 20 ms frames per second on one thread: times real time is the
 * score divided by 50. The issue asks at least 20x for encoding (1000 ops/s) and 40x for decoding (2000 ops/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OpusBenchmark {

    private static final int FRAMES = 250;   // 5 s of signal, cycled
    private AudioFrame[] input;
    private EncodedFrame[] packets;
    private OpusEncoder encoder;
    private OpusDecoder decoder;
    private int next;

    @Setup
    public void setUp() {
        input = new AudioFrame[FRAMES];
        for (int f = 0; f < FRAMES; f++) {
            short[] s = new short[960 * 2];
            for (int i = 0; i < 960; i++) {
                double t = (f * 960 + i) / 48_000.0;
                double vib = 1 + 0.01 * Math.sin(2 * Math.PI * 5 * t);
                s[2 * i] = (short) (9000 * Math.sin(2 * Math.PI * 440 * vib * t) + 4000 * Math.sin(2 * Math.PI * 1320 * t)
                        + 1500 * Math.sin(2 * Math.PI * 5000 * t));
                s[2 * i + 1] = (short) (8000 * Math.sin(2 * Math.PI * 554 * t) + 6000 * Math.sin(2 * Math.PI * 330 * vib * t));
            }
            input[f] = new AudioFrame(s, 48_000, 2, f * 20_000L);
        }
        encoder = new OpusEncoder(OpusSettings.musicDefaults());
        packets = new EncodedFrame[FRAMES];
        for (int f = 0; f < FRAMES; f++) {
            packets[f] = encoder.encode(input[f]).get(0);
        }
        decoder = new OpusDecoder(2);
    }

    /** One 20 ms stereo frame encoded. */
    @Benchmark
    public List<EncodedFrame> encode() {
        AudioFrame a = input[next];
        next = (next + 1) % FRAMES;
        return encoder.encode(a);   // 48 kHz stereo: no resampling, so times after the first do not matter
    }

    /** One 20 ms stereo packet decoded. */
    @Benchmark
    public AudioFrame decode() {
        EncodedFrame p = packets[next];
        next = (next + 1) % FRAMES;
        return decoder.decode(p);
    }
}
