package org.rtc4j.media;

/**
 * What {@code getDisplayMedia} asks for (Screen Capture, {@code DisplayMediaStreamOptions}): video constraints
 * (required: a display is always video) and whether audio is wanted (rtc4j captures none and returns video only,
 * which the spec allows).
 */
public record DisplayMediaStreamOptions(MediaTrackConstraints video, boolean audio) {

    /** {@code {video: true}}. */
    public static DisplayMediaStreamOptions videoOnly() {
        return new DisplayMediaStreamOptions(MediaTrackConstraints.none(), false);
    }
}
