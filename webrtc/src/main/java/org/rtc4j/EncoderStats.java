package org.rtc4j;

import java.util.Map;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.H264Encoder;
import org.rtc4j.media.codec.VideoEncoder;
import org.rtc4j.media.codec.Vp8Encoder;
import org.rtc4j.rtp.EncodedFrame;

/**
 * What a sender's video encoder did, for its outbound-rtp (W3C webrtc-stats section 8.4): frames and key frames
 * encoded, the QP sum where the encoder reports its QP (H.264), the time spent encoding, the last picture's size,
 * the frames encoded in the last second and the bytes the rate controller aimed at. Written on the source's
 * thread, read on the connection's loop: every method holds the lock.
 */
final class EncoderStats {

    /** Encode times of the last pictures, for framesPerSecond (at most this many in a second). */
    private static final int WINDOW = 256;

    private final long[] encodedAt = new long[WINDOW];
    private int next;
    private long framesEncoded;
    private long keyFramesEncoded;
    private long qpSum;
    private boolean qpKnown;
    private long encodeNanos;
    private int width;
    private int height;
    private String implementation;
    private double bytesTarget;
    private long lastMicros = -1;

    /**
     * One picture went through {@code encoder} in {@code nanos}, giving {@code frame} (null: dropped by the rate
     * controller, which counts as no frame encoded); {@code now} is System.nanoTime() then.
     */
    synchronized void encoded(VideoEncoder encoder, VideoFrame picture, EncodedFrame frame, long nanos, long now) {
        encodeNanos += nanos;
        implementation = implementation(encoder);
        // Each picture's share of the target is the time until the next, as the encoders' rate control sees it
        double seconds = lastMicros < 0 ? 1 / 30.0 : (picture.timestampMicros() - lastMicros) / 1e6;
        lastMicros = picture.timestampMicros();
        if (frame == null) {
            return;
        }
        if (seconds > 0 && seconds < 1) {
            bytesTarget += encoder.targetBitrate() * seconds / 8;
        }
        framesEncoded++;
        keyFramesEncoded += frame.keyFrame() ? 1 : 0;
        if (encoder instanceof H264Encoder h) {
            qpSum += h.lastQp();
            qpKnown = true;
        }
        width = picture.width();
        height = picture.height();
        encodedAt[next] = now;
        next = (next + 1) % WINDOW;
    }

    /** Adds the members to an outbound-rtp object; nothing before the first picture. */
    synchronized void putInto(Map<String, Object> s, long now) {
        if (implementation == null) {
            return;
        }
        s.put("encoderImplementation", implementation);
        s.put("framesEncoded", framesEncoded);
        s.put("keyFramesEncoded", keyFramesEncoded);
        s.put("totalEncodeTime", encodeNanos / 1e9);
        s.put("totalEncodedBytesTarget", (long) bytesTarget);
        if (qpKnown) {
            s.put("qpSum", qpSum);
        }
        if (framesEncoded > 0) {
            s.put("frameWidth", (long) width);
            s.put("frameHeight", (long) height);
            long fps = 0;
            for (int i = 0; i < (int) Math.min(framesEncoded, WINDOW); i++) {
                fps += now - encodedAt[i] <= 1_000_000_000L ? 1 : 0;
            }
            s.put("framesPerSecond", (double) fps);
        }
    }

    private static String implementation(VideoEncoder e) {
        return switch (e) {
            case H264Encoder h -> "rtc4j H.264 (JCodec)";
            case Vp8Encoder v -> "rtc4j VP8";
            default -> e.getClass().getSimpleName();
        };
    }
}
