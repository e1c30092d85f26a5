package org.rtc4j.media;

/**
 * One timed unit of media as a source yields it: a raw picture, a run of raw audio, or an encoded frame. The
 * timestamp is in microseconds on the producer's clock; {@link FramePacer} paces frames by it.
 */
public sealed interface MediaFrame permits VideoFrame, AudioFrame, TimedEncodedFrame {

    /** Presentation time (for an encoded frame: the time to send it, its decode time) in microseconds. */
    long timestampMicros();

    /** What the frame carries. */
    default MediaKind kind() {
        return switch (this) {
            case VideoFrame v -> MediaKind.VIDEO;
            case AudioFrame a -> MediaKind.AUDIO;
            case TimedEncodedFrame e -> e.frame().codec().isVideo() ? MediaKind.VIDEO : MediaKind.AUDIO;
        };
    }
}
