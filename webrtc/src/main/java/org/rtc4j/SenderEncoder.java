package org.rtc4j;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.AudioEncoder;
import org.rtc4j.media.codec.MediaCodecs;
import org.rtc4j.media.codec.VideoEncoder;
import org.rtc4j.rtp.AudioLevel;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * What an {@link RTCRtpSender} hangs on its track: encoded frames pass through; raw pictures and audio are
 * encoded with the negotiated codec (W3C section 5.2: the sender encodes its track with the first codec of the
 * negotiated list). Encoding runs on the source's thread, never on the connection's loop, so a slow encoder
 * delays its own source only. The loop tells it what to do through volatile fields: the codec (null while the
 * transceiver does not send), a key frame request (RTCP PLI or FIR, RFC 4585 section 6.3.1, RFC 5104 section
 * 4.3.1) and the receiver's estimate (REMB); the encoding's maxBitrate, maxFramerate and scaleResolutionDownBy
 * come from the sender's parameters. Audio frames go out with the level of the samples they were encoded from
 * (RFC 6464); what the video encoder did is counted for outbound-rtp ({@link EncoderStats}).
 *
 * <p>Frames that cannot be encoded (no codec negotiated yet, no encoder for it here, a picture the codec
 * refuses) are dropped and counted, never thrown into the source's thread.
 */
final class SenderEncoder implements MediaSink {

    /** Where frames go: with the level of the samples an audio frame was encoded from (null: not known). */
    interface Out {
        void send(EncodedFrame frame, AudioLevel level);
    }

    /** RFC 6464 section 3's V flag from a plain energy detector: voice above -60 dBov (no real VAD here). */
    private static final int VOICE_LEVEL = 60;

    private final Supplier<RTCRtpEncodingParameters> encoding;
    private final Out out;
    private final AtomicBoolean keyFrameRequested = new AtomicBoolean();
    private volatile Codec codec;
    private volatile long estimate;
    // Touched on the sources' threads only, under this object's lock (replaceTrack may switch threads).
    private VideoEncoder video;
    private AudioEncoder audio;
    private long dropped;
    /** What the video encoder did, for outbound-rtp. */
    final EncoderStats stats = new EncoderStats();
    /** The squared samples given to the audio encoder since its last packet, and how many (RFC 6464 levels). */
    private double energy;
    private long samples;
    /** The time of the last picture encoded, for maxFramerate; MIN_VALUE before the first. */
    private long lastPictureMicros = Long.MIN_VALUE;
    private long framerateDropped;

    SenderEncoder(Supplier<RTCRtpEncodingParameters> encoding, Out out) {
        this.encoding = encoding;
        this.out = out;
    }

    /** The codec the negotiation settled for sending, or null while nothing is sent (set on the loop). */
    void negotiated(Codec value) {
        codec = value;
    }

    /** The peer asked for a key frame: the next picture is one. */
    void requestKeyFrame() {
        keyFrameRequested.set(true);
    }

    /** The peer's receiver estimate in bits per second (REMB), 0 for none: the encoder stays under it. */
    void estimate(long bitsPerSecond) {
        estimate = bitsPerSecond;
    }

    /** Raw frames not encoded (nothing negotiated, no encoder, a refused picture). */
    synchronized long dropped() {
        return dropped;
    }

    /** Pictures left out to hold the encoding's maxFramerate. */
    synchronized long framerateDropped() {
        return framerateDropped;
    }

    /** The bit rate the video encoder holds now, 0 before it exists. */
    synchronized int videoTargetBitrate() {
        return video == null ? 0 : video.targetBitrate();
    }

    @Override
    public void onEncodedFrame(EncodedFrame frame) {
        if (encoding.get().active()) {
            out.send(frame, null);
        }
    }

    @Override
    public synchronized void onVideoFrame(VideoFrame frame) {
        Codec c = codec;
        RTCRtpEncodingParameters e = encoding.get();
        if (c == null || !c.isVideo() || !e.active() || !MediaCodecs.canEncode(c)) {
            dropped++;
            return;
        }
        // maxFramerate (W3C section 5.2): a picture sooner than 1/maxFramerate after the last one encoded is
        // dropped before the encoder (a millisecond's slack, so 30 fps halved by 15 keeps every other picture)
        if (e.maxFramerate() > 0 && lastPictureMicros != Long.MIN_VALUE
                && frame.timestampMicros() - lastPictureMicros < 1e6 / e.maxFramerate() - 1_000) {
            framerateDropped++;
            return;
        }
        if (video == null || video.codec() != c) {
            video = MediaCodecs.videoEncoder(c, target(e, MediaCodecs.DEFAULT_VIDEO_BITRATE));
        }
        // scaleResolutionDownBy: the encoder gets the smaller picture (a new size makes its next frame a key one)
        frame = FrameScaler.scale(frame, e.scaleResolutionDownBy());
        lastPictureMicros = frame.timestampMicros();
        if (keyFrameRequested.getAndSet(false)) {
            video.requestKeyFrame();
        }
        int target = target(e, MediaCodecs.DEFAULT_VIDEO_BITRATE);
        if (target != video.targetBitrate()) {
            video.setTargetBitrate(target);
        }
        EncodedFrame f;
        long start = System.nanoTime();
        try {
            f = video.encode(frame);
        } catch (IllegalArgumentException refused) {   // odd sizes for H.264, say
            dropped++;
            return;
        }
        long end = System.nanoTime();
        stats.encoded(video, frame, f, end - start, end);
        if (f != null) {
            out.send(f, null);
        }
    }

    @Override
    public synchronized void onAudioFrame(AudioFrame frame) {
        Codec c = codec;
        RTCRtpEncodingParameters e = encoding.get();
        if (c == null || c.isVideo() || !e.active() || !MediaCodecs.canEncode(c)) {
            dropped++;
            return;
        }
        if (audio == null || audio.codec() != c) {
            audio = MediaCodecs.audioEncoder(c);
        }
        if (e.maxBitrate() > 0 || estimate > 0) {
            audio.setTargetBitrate(target(e, Integer.MAX_VALUE));
        }
        short[] pcm = frame.samples();
        for (short s : pcm) {
            energy += (double) s * s;
        }
        samples += pcm.length;
        List<EncodedFrame> encoded = audio.encode(frame);
        if (encoded.isEmpty()) {
            return;
        }
        // The level of what went into these packets (the encoder's buffering makes it the samples since the
        // last packet, give or take the part of a frame it holds back).
        int level = AudioLevel.fromEnergy(energy, samples);
        AudioLevel l = AudioLevel.of(level < VOICE_LEVEL, level);
        energy = 0;
        samples = 0;
        for (EncodedFrame f : encoded) {
            out.send(f, l);
        }
    }

    /** The lowest of the encoding's maxBitrate, the peer's estimate and {@code otherwise}. */
    private int target(RTCRtpEncodingParameters e, int otherwise) {
        long t = otherwise;
        if (e.maxBitrate() > 0) {
            t = Math.min(t, e.maxBitrate());
        }
        long remb = estimate;
        if (remb > 0) {
            t = Math.min(t, remb);
        }
        return (int) Math.max(1, t);
    }
}
