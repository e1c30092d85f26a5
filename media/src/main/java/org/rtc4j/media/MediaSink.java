package org.rtc4j.media;

import java.util.function.Consumer;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Where a track's media goes ({@link MediaStreamTrack#addSink}): raw pictures, raw audio, or encoded frames,
 * whichever the track's source produces. Methods run on the source's thread (its scheduler, its capture
 * thread, or the thread that pushed the frame), one frame at a time; they must return quickly and not block.
 * A sink keeps a frame as long as it likes: frames are immutable.
 */
public interface MediaSink {

    default void onVideoFrame(VideoFrame frame) {
    }

    default void onAudioFrame(AudioFrame frame) {
    }

    default void onEncodedFrame(EncodedFrame frame) {
    }

    /** A sink of raw pictures. */
    static MediaSink video(Consumer<VideoFrame> c) {
        return new MediaSink() {
            @Override
            public void onVideoFrame(VideoFrame frame) {
                c.accept(frame);
            }
        };
    }

    /** A sink of raw audio. */
    static MediaSink audio(Consumer<AudioFrame> c) {
        return new MediaSink() {
            @Override
            public void onAudioFrame(AudioFrame frame) {
                c.accept(frame);
            }
        };
    }

    /** A sink of encoded frames. */
    static MediaSink encoded(Consumer<EncodedFrame> c) {
        return new MediaSink() {
            @Override
            public void onEncodedFrame(EncodedFrame frame) {
                c.accept(frame);
            }
        };
    }
}
