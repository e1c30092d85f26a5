package org.rtc4j.bench.media;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.H264Decoder;
import org.rtc4j.media.codec.H264Encoder;
import org.rtc4j.rtp.EncodedFrame;

/**
 * H.264 on JCodec at 640x480, 30 fps, rate controlled at {@code bitrate}, on the synthetic camera's test pattern
 * (colour bars, a moving square, digits: easy content) and the same under a scrolling texture (hard content).
 * Scores are frames per second on one thread; the issue asks at least 30 for encoding and 60 for decoding. The
 * rate is set high enough (4 Mbit/s) that no picture is dropped (a dropped picture would count as a very fast one)
 * and few macroblocks are skipped.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class H264Benchmark {

    private static final int FRAMES = 60;

    @Param({"pattern", "textured"})
    public String content;

    @Param({"4000000"})
    public int bitrate;

    private VideoFrame[] input;
    private EncodedFrame[] stream;
    private H264Encoder encoder;
    private H264Decoder decoder;
    private int next;
    private long frameIndex;

    @Setup
    public void setUp() {
        SyntheticVideo video = new SyntheticVideo(640, 480, 30);
        input = new VideoFrame[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            VideoFrame f = video.frame(i);
            input[i] = content.equals("textured") ? textured(f, i) : f;
        }
        // One key frame, then P frames, as a call runs; the decode loop restarts at the key frame.
        H264Encoder e = new H264Encoder(bitrate);
        stream = new EncodedFrame[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            stream[i] = e.encode(input[i]);
            if (stream[i] == null) {
                throw new IllegalStateException("picture " + i + " dropped at " + bitrate + " bit/s: raise the rate");
            }
        }
        encoder = new H264Encoder(bitrate);
        decoder = new H264Decoder();
    }

    static VideoFrame textured(VideoFrame f, int index) {
        byte[] y = f.dataY().clone();
        for (int row = 0; row < f.height(); row++) {
            for (int x = 0; x < f.width(); x++) {
                int h = (x + index * 3) * 73 + row * 151;
                int noise = (int) ((h * 2654435761L) >>> 27 & 31) - 16;
                int v = (y[row * f.strideY() + x] & 0xFF) + noise;
                y[row * f.strideY() + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new VideoFrame(f.width(), f.height(), y, f.dataU(), f.dataV(), f.timestampMicros());
    }

    /** One picture encoded (P frames after the first key frame, rate controlled). */
    @Benchmark
    public EncodedFrame encode() {
        VideoFrame f = input[next];
        next = (next + 1) % FRAMES;
        long t = frameIndex++ * 33_333;
        return encoder.encode(f.withTimestamp(t));
    }

    /** One access unit decoded. */
    @Benchmark
    public List<VideoFrame> decode() {
        EncodedFrame f = stream[next];
        next = (next + 1) % FRAMES;
        return decoder.decode(f);
    }
}
