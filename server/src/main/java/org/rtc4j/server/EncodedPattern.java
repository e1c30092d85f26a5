package org.rtc4j.server;

import org.rtc4j.codec.vp8.Vp8EncodedFrame;
import org.rtc4j.codec.vp8.Vp8Encoder;
import org.rtc4j.codec.vp8.Vp8Frame;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.TimedEncodedFrame;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.H264Encoder;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * The synthetic test pattern ({@link SyntheticVideo}: bars, a moving square, the frame counter as digits and a
 * bar code) encoded as it is read, with the VP8 encoder of codec-vp8 or media's H.264 encoder: an endless
 * {@link FrameReader} that a {@code PacedSource} plays out in real time. The first frame is a key frame, and
 * every second brings another: senders here do not forward a receiver's key-frame requests (PLI) to the
 * source, so a peer that joins late, or lost a frame, decodes again within a second.
 */
final class EncodedPattern implements FrameReader {

    /** Small enough for either Java encoder to keep up in real time on a loaded core. */
    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    static final double FRAME_RATE = 30;
    static final int BITRATE = 600_000;
    private static final int KEY_FRAME_INTERVAL = (int) FRAME_RATE;

    private final SyntheticVideo pattern = new SyntheticVideo(WIDTH, HEIGHT, FRAME_RATE);
    private final Codec codec;
    private final Vp8Encoder vp8;
    private final H264Encoder h264;
    private long index;
    /** The first frame, encoded when the reader is made: the first read costs nothing where time counts. */
    private MediaFrame first;

    /** The pattern in {@code codec}: VP8 or H.264, the two codecs rtc4j encodes. */
    EncodedPattern(Codec codec) {
        this.codec = codec;
        switch (codec) {
            case VP8 -> {
                vp8 = new Vp8Encoder(WIDTH, HEIGHT, BITRATE, FRAME_RATE);
                h264 = null;
            }
            case H264 -> {
                vp8 = null;
                h264 = new H264Encoder(BITRATE, KEY_FRAME_INTERVAL / FRAME_RATE);
            }
            default -> throw new IllegalArgumentException("rtc4j cannot encode " + codec);
        }
        first = read();
    }

    /** Whether rtc4j can encode the pattern in {@code codec}. */
    static boolean canEncode(Codec codec) {
        return codec == Codec.VP8 || codec == Codec.H264;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public MediaFrame read() {
        if (first != null) {
            MediaFrame f = first;
            first = null;
            return f;
        }
        while (true) {
            VideoFrame picture = pattern.frame(index);
            long micros = pattern.timestampMicros(index);
            index++;
            EncodedFrame frame = encode(picture, micros);
            if (frame != null) { // null: the H.264 rate control dropped the picture
                return new TimedEncodedFrame(frame, micros, Math.round(1e6 / FRAME_RATE));
            }
        }
    }

    private EncodedFrame encode(VideoFrame picture, long micros) {
        if (h264 != null) {
            return h264.encode(picture);
        }
        Vp8EncodedFrame f = vp8.encode(new Vp8Frame(WIDTH, HEIGHT, picture.dataY(), picture.strideY(),
                picture.dataU(), picture.dataV(), picture.strideU()), (index - 1) % KEY_FRAME_INTERVAL == 0);
        return new EncodedFrame(codec, f.data(), micros * 90 / 1000 & 0xFFFF_FFFFL, f.keyFrame(), f.temporalLayer(), 0);
    }

    @Override
    public void close() {
        // nothing held
    }
}
