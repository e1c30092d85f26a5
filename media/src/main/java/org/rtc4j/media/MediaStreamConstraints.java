package org.rtc4j.media;

/**
 * What {@code getUserMedia} asks for (the spec's {@code MediaStreamConstraints}): audio and video constraints,
 * {@code null} for a kind not asked for ({@code audio: false}).
 */
public record MediaStreamConstraints(MediaTrackConstraints audio, MediaTrackConstraints video) {

    /** {@code {audio: a, video: v}} with booleans. */
    public static MediaStreamConstraints of(boolean audio, boolean video) {
        return new MediaStreamConstraints(audio ? MediaTrackConstraints.none() : null,
                video ? MediaTrackConstraints.none() : null);
    }

    public static MediaStreamConstraints audio(MediaTrackConstraints audio) {
        return new MediaStreamConstraints(audio, null);
    }

    public static MediaStreamConstraints video(MediaTrackConstraints video) {
        return new MediaStreamConstraints(null, video);
    }

    /** The constraints for {@code kind}, or {@code null} if not asked for. */
    public MediaTrackConstraints forKind(MediaKind kind) {
        return kind == MediaKind.AUDIO ? audio : video;
    }
}
