package org.rtc4j.media.codec;

import java.nio.ByteBuffer;
import org.jcodec.common.model.Picture;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.internal.BaselineEncoder;
import org.rtc4j.media.codec.internal.H264RateControl;
import org.rtc4j.media.codec.internal.JCodecPictures;
import org.rtc4j.media.codec.internal.RtpTime;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * H.264 Constrained Baseline encoding on JCodec's macroblock encoders and our slice writer, for sending raw video
 * that browsers decode: each picture becomes one Annex B access unit (start codes, ITU-T H.264 annex B) of a single
 * slice; key frames are IDR pictures with the SPS and PPS in front, so a receiver can start at any of them;
 * macroblocks that their prediction already matches are sent as P_Skip. The bit rate is held by
 * {@code H264RateControl} (a QP per picture from a buffer model, within 10 % over any 10 s), which JCodec lacks;
 * when even QP 51 spends too much, pictures are dropped ({@link #encode} returns {@code null}).
 *
 * <p>Key frames: the first picture, a change of size, {@link #requestKeyFrame()}, and every
 * {@code keyFrameIntervalSeconds} if that is above 0 (WebRTC senders rely on PLI instead and use 0).
 * Pictures must have even width and height (4:2:0 cropping works in pairs of pixels, H.264 table 6-1).
 */
public final class H264Encoder implements VideoEncoder {

    // frame_num and the POC wrap at powers of two no larger than this; the counter wraps with them.
    private static final int FRAME_NUM_WRAP = 1 << 16;

    // Motion search of +-8 pixels rather than JCodec's 16: JCodec searches every position, so this is 4 times less
    // work (26 to 46 frames a second at 640x480 here) for motion of up to 240 pixels a second at 30 fps.
    private static final int MOTION_SEARCH_RANGE = 8;

    private final BaselineEncoder encoder = new BaselineEncoder();
    private final H264RateControl rate;
    private final double keyFrameInterval;
    private Picture picture;
    private ByteBuffer out;
    private int frameNum;
    private boolean keyRequested = true;
    private long lastMicros;
    private long lastKeyMicros;
    private double lastDuration = 1 / 30.0;
    private boolean started;
    private int lastQp;

    /** An encoder holding {@code bitrate} bits per second, key frames only when needed. */
    public H264Encoder(int bitrate) {
        this(bitrate, 0);
    }

    public H264Encoder(int bitrate, double keyFrameIntervalSeconds) {
        encoder.setMotionSearchRange(MOTION_SEARCH_RANGE);
        this.rate = new H264RateControl(bitrate);
        this.keyFrameInterval = keyFrameIntervalSeconds;
    }

    @Override
    public Codec codec() {
        return Codec.H264;
    }

    @Override
    public void requestKeyFrame() {
        keyRequested = true;
    }

    @Override
    public void setTargetBitrate(int bitsPerSecond) {
        rate.setBitrate(bitsPerSecond);
    }

    @Override
    public int targetBitrate() {
        return rate.bitrate();
    }

    /** Pictures dropped to hold the bit rate. */
    public long droppedFrames() {
        return rate.dropped();
    }

    /** Macroblocks sent as P_Skip (no residual, the motion vector the decoder infers). */
    public long skippedMacroblocks() {
        return encoder.skippedMacroblocks();
    }

    /** The QP the last picture was coded at (10 to 51). */
    public int lastQp() {
        return lastQp;
    }

    @Override
    public EncodedFrame encode(VideoFrame frame) {
        if ((frame.width() & 1) != 0 || (frame.height() & 1) != 0) {
            throw new IllegalArgumentException("H.264 4:2:0 needs even width and height: " + frame);
        }
        if (picture == null || picture.getCroppedWidth() != frame.width()
                || picture.getCroppedHeight() != frame.height()) {
            picture = JCodecPictures.padded(frame.width(), frame.height());
            out = ByteBuffer.allocate(picture.getWidth() * picture.getHeight() * 2 + 1024);
            keyRequested = true;
        }
        long micros = frame.timestampMicros();
        double duration = started ? (micros - lastMicros) / 1e6 : lastDuration;
        // A stall or a jump in time is not a budget: keep the picture's share to what the frame rate gives.
        if (!(duration > 0.001 && duration < 1.0)) {
            duration = lastDuration;
        }
        lastDuration = duration;
        boolean key = keyRequested
                || keyFrameInterval > 0 && (micros - lastKeyMicros) / 1e6 >= keyFrameInterval;
        if (!key && rate.dropPicture(duration)) {
            lastMicros = micros;
            return null;
        }
        int mbs = (picture.getWidth() >> 4) * (picture.getHeight() >> 4);
        int qp = rate.startPicture(duration, key, mbs);
        JCodecPictures.fill(frame, picture);
        out.clear();
        if (key) {
            frameNum = 0;
        }
        ByteBuffer coded = encoder.encode(picture, out, key, frameNum, qp);
        frameNum = (frameNum + 1) % FRAME_NUM_WRAP;
        byte[] data = new byte[coded.remaining()];
        coded.get(data);
        rate.endPicture(data.length * 8L);
        if (key) {
            keyRequested = false;
            lastKeyMicros = micros;
        }
        started = true;
        lastMicros = micros;
        lastQp = qp;
        return new EncodedFrame(Codec.H264, data, RtpTime.timestamp(micros, Codec.H264.clockRate()), key);
    }
}
